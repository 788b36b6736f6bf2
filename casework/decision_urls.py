"""Staff pages under /staff/ (see the module that defines the views)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
