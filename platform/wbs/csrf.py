"""CSRF protection that works with ``Referrer-Policy: no-referrer``.

Our pages never send a Referer, so browsers submit our own forms with
``Origin: null``, which Django's origin check rejects (and ``CSRF_TRUSTED_ORIGINS``
cannot name "null"). This middleware runs just before Django's
``CsrfViewMiddleware`` and, for an ``Origin: null`` that the browser's fetch
metadata says came from our own origin (``Sec-Fetch-Site: same-origin``) or, for
browsers too old to send fetch metadata, that nothing says came from elsewhere,
writes the request's own origin in its place. Django then checks the origin
and the form token as always.

``Sec-Fetch-Site`` is set by the browser alone (pages cannot forge it), so a
cross-site or same-site page posting with ``Origin: null`` (a sandboxed frame, a
no-referrer page of another tenant) keeps its ``null`` and is refused.
"""

from collections.abc import Callable
from contextlib import suppress

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse


class NullOriginFromOwnPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        from_own_page = meta.get("HTTP_SEC_FETCH_SITE", "same-origin") == "same-origin"
        if meta.get("HTTP_ORIGIN") == "null" and from_own_page:
            # What Django's origin check compares with: this request's scheme and host
            # (a host Django refuses leaves the origin null, refused as before).
            with suppress(DisallowedHost):
                meta["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
