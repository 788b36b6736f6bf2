"""The staff home page: who is signed in, the tenant's categories and deadlines."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from casework.deadlines import current_policy
from intake.models import Category
from tenants.accounts.models import StaffRole
from tenants.accounts.staff_sessions import render_staff_page, staff_verified_required


@never_cache
@staff_verified_required
def staff_home(request: HttpRequest) -> HttpResponse:
    role_names = dict(StaffRole.choices)
    return render_staff_page(
        request,
        "casework/home.html",
        {
            "roles": [role_names.get(role, role) for role in request.user.roles],  # type: ignore[union-attr]
            "is_administrator": request.user.has_role(StaffRole.ADMINISTRATOR),  # type: ignore[union-attr]
            "categories": Category.objects.filter(is_active=True),
            "deadlines": current_policy(),
        },
    )
