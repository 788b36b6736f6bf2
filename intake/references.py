"""Case references that reveal neither the order of arrival nor how many cases exist.

A reference is ``WBS-<year>-<five random symbols>`` (``WBS-2026-7KQ4M``): Crockford's
base-32 symbols without 0 and 1, so nothing reads as O, I or L (30 symbols, about 24
million references a year). It is drawn when a report is sealed, stored on the report
and unique per tenant (a unique constraint; an arrival that draws a taken one draws
again, ``intake.services.reports``). A sequential number would tell staff which of two
reports came first (against reports recorded by staff, a reporter's hour) and its gaps
would show cases hidden from the reader.
"""

from __future__ import annotations

import re
import secrets

SYMBOLS = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 5
UNIQUE_CONSTRAINT = "report_reference_unique"
REFERENCE_PATTERN = re.compile(rf"WBS-[0-9]{{4}}-[{SYMBOLS}]{{{LENGTH}}}")


def new_reference(year: int) -> str:
    return f"WBS-{year:04d}-{''.join(secrets.choice(SYMBOLS) for _ in range(LENGTH))}"


def is_reference(text: object) -> bool:
    """Whether ``text`` is written as a reference (anything else names no case: a lookup
    need not ask the database, which refuses some text, such as a NUL, with an error)."""
    return isinstance(text, str) and REFERENCE_PATTERN.fullmatch(text) is not None
