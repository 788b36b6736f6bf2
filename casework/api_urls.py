"""Staff API for casework, under /api/v1/cases on a tenant host."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
