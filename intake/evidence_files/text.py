"""Plain text: what counts as a note the reporter typed, kept byte for byte."""

from __future__ import annotations

import re

from intake.evidence_files.file_types import TEXT, UNKNOWN, FileType, Foreign

_MARKUP_START = re.compile(r"<\s*[!?a-zA-Z]")


def sniff_text(data: bytes) -> FileType | Foreign:
    """UTF-8 without NUL bytes is text: what no leading bytes named is judged here, last."""
    if b"\x00" in data:
        return UNKNOWN
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return UNKNOWN
    # HTML/SVG/XML opened from a download can run scripts: not plain text for our purposes.
    if _MARKUP_START.match(text.lstrip("\ufeff \t\r\n")):
        return Foreign("halaman HTML/XML/SVG", "an HTML/XML/SVG page")
    return TEXT
