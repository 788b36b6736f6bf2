"""CSV files that spreadsheet programs open right and never run.

Excel set to Indonesian (or any locale whose decimal mark is a comma) expects ``;``
between fields, and reads a file without a byte-order mark as ANSI; a cell that starts
with ``=``, ``+``, ``-`` or ``@`` would run as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]], *, language: str) -> tuple[bytes, int]:
    """(the file, its row count): UTF-8 with a byte-order mark; ``;`` between fields for
    Indonesian readers (their spreadsheets' list separator), ``,`` otherwise."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if language == "id" else ",")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(str(value)) for value in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode(), count
