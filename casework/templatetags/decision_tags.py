"""Template helpers for the decision pages (casework.pages.decisions)."""

from __future__ import annotations

from typing import Any

from django import template

from casework.access import PERMISSIONS, can

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    """``user|may:"forward_case"``: whether the person's roles allow the action."""
    return action in PERMISSIONS and can(user, action)
