"""The daily batch that puts a reporter's actions on the record without their time.

What a reporter does is audited in held entries (``tenants.audit.held_entries``) and
their files are stored dated to the day (``tenants.storage``). Once a day is over, the
batch first rewrites the files reporters sent that day (so storage's own times are the
batch's), then appends the day's held entries to the audit chain in random order. A
failure leaves the entries held, and the next run does it all again: both steps are
safe to repeat.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from intake.evidence_storage import rewrite_reporter_files
from tenants.audit.held_entries import append_held_entries, held_days_due


def settle_reporter_traces(now: datetime | None = None) -> int:
    """This tenant's batch; returns how many audit entries it appended."""
    now = now or timezone.now()
    days = held_days_due(now)
    if days:
        rewrite_reporter_files(days)
    return append_held_entries(now)
