"""Staff pages for casework, under /staff/ on a tenant host."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
