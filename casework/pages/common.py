"""What every casework page shares: the tenant's time zone, the role check with its
403 page.

Server-rendered, no inline script. Pages read through ``casework.selectors`` and
change things only through ``casework.services`` (or another app's services); a
refusal from a service is shown with 400 (invalid input) or 403 (not allowed), and
a case a person may not see is a 404 exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import get_language

from casework.access import PERMISSIONS
from tenants.accounts.permissions import Permission
from tenants.accounts.staff_sessions import staff_permission_required

ViewFunction = Callable[..., HttpResponse]


def needs(action: str | Permission) -> Callable[[ViewFunction], ViewFunction]:
    """A page for people whose roles allow ``action`` (others get 403 with the reason);
    signed in with both factors, never cached."""
    return staff_permission_required(PERMISSIONS[action] if isinstance(action, str) else action)


def page_language() -> str:
    return "en" if get_language() == "en" else "id"
