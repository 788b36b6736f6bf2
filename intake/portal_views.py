"""The reporter-facing pages of a tenant's portal."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from casework.models import DeadlinePolicy


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    return render(
        request,
        "intake/home.html",
        {
            "welcome_text": tenant.welcome_text(get_language() or tenant.default_language),
            "deadlines": DeadlinePolicy.objects.first(),
        },
    )
