"""Reading a rendered page as a person does: the messages it shows."""

from __future__ import annotations

import re
from html import unescape
from typing import Any


def _text(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def error_summary(html: str) -> list[str]:
    """The messages listed in the page's error summary (the box at the top of a refused form)."""
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []


def alert_text(html: str) -> str:
    """The text of the page's warning (a refusal shown on a page of its own)."""
    found = re.search(r'<div class="warning" role="alert">(.*?)</div>', html, re.S)
    return _text(found.group(1)) if found else ""


def form_error(html: str) -> str:
    """The text of a form's first error (a sign-in form's refusal)."""
    found = re.search(r'<div (?:id="[\w-]+" )?class="error" role="alert">(.*?)</div>', html, re.S)
    return _text(found.group(1)) if found else ""


def form_token_on(html: str) -> str:
    """The form token a portal form carries for browsers without JavaScript."""
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    assert found, "no form token on the page"
    return unescape(found.group(1))


def paid_form(client: Any, path: str, form: dict[str, Any]) -> dict[str, Any]:
    """``form`` with the form token of the page at ``path``, as a browser without
    JavaScript sends it (the test profile lets a token count at once)."""
    return form | {"form_token": form_token_on(client.get(path).content.decode())}
