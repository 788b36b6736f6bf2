from typing import Any

from django.http import HttpRequest


def current_tenant(request: HttpRequest) -> dict[str, Any]:
    return {"tenant": getattr(request, "tenant", None)}
