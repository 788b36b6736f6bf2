from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET


@require_GET
def branding_css(request: HttpRequest) -> HttpResponse:
    """The tenant's colours as CSS variables: a file, so pages need no inline style."""
    css = render_to_string("tenants/branding.css", {"tenant": request.tenant})  # type: ignore[attr-defined]
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
