"""Staff API for casework, under /api/v1/cases on a tenant host (see casework/api.py).

The include in wbs.urls_tenant has no trailing slash, so the routes are
``/api/v1/cases``, ``/api/v1/cases/<id>``, ``/api/v1/cases/<id>/transition`` etc.
(the per-case routes sit under a "/" include so no route starts with a slash).
"""

from django.urls import URLPattern, URLResolver, include, path

from casework import api

case_routes: list[URLPattern | URLResolver] = [
    path("<str:pk>", api.CaseDetailView.as_view(), name="api-case"),
    path("<str:pk>/transition", api.CaseTransitionView.as_view(), name="api-case-transition"),
    path("<str:pk>/assign", api.CaseAssignView.as_view(), name="api-case-assign"),
    path("<str:pk>/messages", api.CaseMessagesView.as_view(), name="api-case-messages"),
    path("<str:pk>/notes", api.CaseNotesView.as_view(), name="api-case-notes"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.CaseListView.as_view(), name="api-cases"),
    path("/", include(case_routes)),
]
