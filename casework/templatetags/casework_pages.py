"""Small formatting filters of the casework pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """150000000 -> "Rp 150.000.000"."""
    if value in (None, ""):
        return ""
    try:
        return "Rp " + f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping|get_item:key`` for keys templates cannot spell (dots, dashes)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
