"""The JSON parser of every API endpoint (``DEFAULT_PARSER_CLASSES``).

It imports nothing of the project: DRF reads its parser classes while loading its own
views, before any app's code."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json


class WholeBodyJSONParser(JSONParser):
    """DRF's JSON parser, decoding the body in one piece (DRF has already read a JSON body
    into memory, and its stream decoder cost twice the parsing itself), and refusing with
    a 400, not a 500, JSON nested deeper than the decoder goes."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(
                stream.read().decode(encoding),
                parse_constant=drf_json.strict_constant if self.strict else None,
            )
        except ValueError as error:  # also a body that is not in its declared charset
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        except RecursionError as error:  # nested deeper than the decoder goes
            raise exceptions.ParseError("JSON parse error - nested too deep") from error
