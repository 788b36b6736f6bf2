"""A tenant URLconf with one view that fails, for error-reporting tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from wbs.urls_tenant import urlpatterns as tenant_urlpatterns


@csrf_exempt
def explode(request: HttpRequest) -> HttpResponse:
    raise ValueError("handler crashed while reading the report")


urlpatterns = [path("explode/", explode), *tenant_urlpatterns]
