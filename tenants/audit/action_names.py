"""What each audit action is called on the audit trail page and in its export.

The core knows no feature, so each app names its own actions when it starts
(``name_actions`` in its ``AppConfig.ready``); an action nobody named shows as its code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_names: dict[str, Any] = {}


def name_actions(names: Mapping[str, Any]) -> None:
    """Register display names (lazy translations) for some actions."""
    _names.update(names)


def action_name(action: str) -> str:
    return str(_names.get(action, action))


def named_actions() -> list[tuple[str, str]]:
    """Every named action with its name, sorted by name (the trail's filter choices)."""
    return sorted(((code, str(name)) for code, name in _names.items()), key=lambda choice: choice[1].lower())
