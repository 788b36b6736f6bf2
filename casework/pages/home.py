"""The staff home page: who is signed in, their open cases and what falls due this week."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from casework.access import can
from casework.selectors import home as selectors
from tenants.accounts.models import StaffRole
from tenants.accounts.staff_sessions import render_staff_page, staff_verified_required
from tenants.clock import tenant_today


@never_cache
@staff_verified_required
def staff_home(request: HttpRequest) -> HttpResponse:
    role_names = dict(StaffRole.choices)
    user = request.user
    today = tenant_today()
    handles_cases = can(user, "view_cases")
    return render_staff_page(
        request,
        "casework/home.html",
        {
            "roles": [role_names.get(role, role) for role in user.roles],  # type: ignore[union-attr]
            "is_administrator": user.has_role(StaffRole.ADMINISTRATOR),  # type: ignore[union-attr]
            "handles_cases": handles_cases,
            "my_cases": selectors.my_open_cases(user) if handles_cases else [],
            "due_soon": selectors.due_this_week(user, today=today) if handles_cases else [],
            # The same filters in the queue: the whole lists behind the first rows.
            "due_soon_query": urlencode({"due_to": selectors.due_this_week_until(today).isoformat()}),
            "today": today,
        },
    )
