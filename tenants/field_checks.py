"""Checks of single form or API fields that several apps' services share, with one
wording each. A failing check adds its message under the field's name to ``errors``
(so a service reports every wrong field at once) and returns a usable value."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

NUL_IN_TEXT = "Teks berisi karakter yang tidak sah. / The text has a NUL character."
LARGEST_ID = 2**63 - 1  # a bigint primary key


def object_id(value: Any) -> int | None:
    """A row's id as a URL or a form writes it: ASCII digits only (int() would read other
    scripts' digits too, and 5000 of them slowly), 1 to LARGEST_ID; a JSON whole number
    in that range; None for anything else, which names no row."""
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= len(str(LARGEST_ID))):
            return None
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= LARGEST_ID:
        return None
    return value


def whole_number(value: Any, *, field: str, low: int, high: int, label: str, errors: dict[str, str]) -> int:
    """``value`` as a whole number in [low, high]."""
    text = str(value).strip()
    try:
        if not text.isascii():  # int() would read other scripts' digits too
            raise ValueError(text)
        number = int(text)
    except ValueError:
        errors[field] = _("%(label)s: isi bilangan bulat %(low)d–%(high)d.") % {
            "label": label,
            "low": low,
            "high": high,
        }
        return low
    if not low <= number <= high:
        errors[field] = _("%(label)s: harus antara %(low)d dan %(high)d.") % {
            "label": label,
            "low": low,
            "high": high,
        }
    return number


def required_text(value: Any, *, field: str, label: str, limit: int, errors: dict[str, str]) -> str:
    """``value`` stripped, not empty and at most ``limit`` characters."""
    text = str(value or "").strip()
    if "\x00" in text:  # no text column can store it
        errors[field] = NUL_IN_TEXT
    elif not text:
        errors[field] = _("%(label)s wajib diisi.") % {"label": label}
    elif len(text) > limit:
        errors[field] = _("%(label)s paling panjang %(limit)d karakter.") % {"label": label, "limit": limit}
    return text
