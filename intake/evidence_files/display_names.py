"""The name shown for an upload and offered on download: the client's name, made harmless."""

from __future__ import annotations

import re
import unicodedata

DISPLAY_NAME_MAX = 80
_DISPLAY_PUNCTUATION = frozenset(" ._-()[]")
_CLIENT_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def safe_display_name(filename: str, extension: str) -> str:
    """A name fit to show and to offer on download; it never decides anything."""
    base = re.split(r"[\\/]", filename)[-1]
    kept = "".join(_display_character(character) for character in unicodedata.normalize("NFC", base))
    stem = _CLIENT_EXTENSION.sub("", " ".join(kept.split()))
    stem = stem.strip(" .")[: DISPLAY_NAME_MAX - len(extension) - 1].rstrip(" .")
    return f"{stem or 'berkas'}.{extension}"


def _display_character(character: str) -> str:
    category = unicodedata.category(character)
    if character.isspace() or category.startswith("C"):
        return " "  # control and bidi-override characters, newlines: become a plain space
    if category[0] in "LN" or character in _DISPLAY_PUNCTUATION:
        return character
    return ""
