"""Reading what people send, the same way for every input of ours, intake's and
casework's alike.

- ``GivenValue``: a field that judges its member as given, absent and null included
  (a form sends every field, the API only some; both mean the same).
- ``ServiceText``: text handed to a service as it came. The service owns the rules
  (required, length, pattern) and their messages, so a page posting the same text
  gets the same answer; the field refuses only what is no text at all, and documents
  the service's limits in the OpenAPI schema.
- ``validated``: a serializer's answer for a page, as ``InvalidInput`` with the same
  ``{field: message}`` the API answers.

Every message is in Bahasa Indonesia, then English.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from tenants.api_base import flat_errors
from tenants.errors import InvalidInput
from tenants.field_checks import NUL_IN_TEXT

MUST_BE_TEXT = "Harus berupa teks. / Must be text."


def json_or_value(value: Any) -> Any:
    """Multipart and form posts carry structured members as JSON text. Text that is not
    JSON, or nested too deep to read, stays text (and is refused as such)."""
    if isinstance(value, str) and value.strip()[:1] in {"[", "{"}:
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def plain_text(value: Any) -> str | None:
    """A value given where text belongs: text, a number (as its text), or empty for null;
    None for anything else (a list, an object, true or false)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


class GivenValue(serializers.Field):
    """A field that reads its member as given and judges it in ``to_internal_value``,
    absent and null included (both arrive as None), except that a partial update
    leaves an absent member out."""

    def get_value(self, dictionary: Mapping[Any, Any]) -> Any:
        return dictionary.get(self.field_name, empty)

    def run_validation(self, data: Any = empty) -> Any:
        if data is empty:
            if getattr(self.root, "partial", False):
                raise SkipField()
            data = None
        return self.to_internal_value(data)


class ServiceText(GivenValue, serializers.CharField):
    """Text for a service, untouched (not trimmed; absent or null is empty). Refused only
    when it is not text, or when it holds a NUL character, which no text column can
    store (``refuse_nul=False`` where the service seals the text or takes only values
    it knows: there the service answers, as it does the pages). ``max_length`` and the
    like document the service's own rules."""

    def __init__(self, *, refuse_nul: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
        self.refuse_nul = refuse_nul

    def to_internal_value(self, data: Any) -> str:
        if data is None:
            return ""
        if not isinstance(data, str):
            raise serializers.ValidationError(MUST_BE_TEXT)
        if self.refuse_nul and "\x00" in data:
            raise serializers.ValidationError(NUL_IN_TEXT)
        return data


def validated(serializer_class: type[serializers.Serializer], data: Any) -> Any:
    """``serializer_class(data=data)``'s validated data, or ``InvalidInput`` with the messages
    the API would answer (for pages, which show them next to the fields)."""
    given = serializer_class(data=data)
    if not given.is_valid():
        raise InvalidInput(flat_errors(given.errors))
    return given.validated_data
