"""The report submission: one DRF serializer holds every rule and every message.

The API (JSON or multipart), the portal form (its flat fields mapped to the API's
shape by ``intake.portal_views.submission_from_form``) and the staff page that
records a report received by letter all validate through
``ReportSubmissionSerializer``, so the same bad input gets the same message
everywhere, and the OpenAPI schema documents what is enforced.

Everything is checked before anything is written; every problem is listed at once,
one message per field, in Bahasa Indonesia then English. The validated result is a
``ReportDraft`` (what the services and forwarding take).

This is the hottest path of the platform, so the serializer is flat: each field
checks its own value in ``to_internal_value`` (no nested serializers, no validator
objects run per value), ``who`` and ``identity`` are documented by the shapes
``PartySerializer`` and ``IdentitySerializer`` built from the same constants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from intake.models import ELEMENTS, Category, IdentityMode, ReporterRelation
from intake.proof_of_work import MAX_PROOF_LENGTH
from tenants.input_fields import MUST_BE_TEXT, GivenValue, ServiceText, json_or_value, plain_text, validated
from tenants.shared_memo import remembered_for_tenant

MAX_PARTIES = 10
MAX_RUPIAH = 10**15
TEXT_LIMITS = {"what": 200, "description": 10000, "where": 300, "when": 200, "why": 5000, "how": 5000}
PARTY_FIELDS = ("name", "position", "unit")
PARTY_KEYS = frozenset(PARTY_FIELDS)
PARTY_TEXT_LIMIT = 200  # longer text is cut, not refused
IDENTITY_FIELDS = ("name", "nik", "phone", "email")
IDENTITY_KEYS = frozenset(IDENTITY_FIELDS)
IDENTITY_NAME_LIMIT = 150
# ASCII digits only: a NIK or phone number in other scripts' digits is not one.
NIK_PATTERN = re.compile(r"[0-9]{16}")
PHONE_PATTERN = re.compile(r"\+?[0-9 ()-]{6,20}")
# Django builds a choices enum's .values list anew on every read.
IDENTITY_MODES = tuple(IdentityMode.values)
RELATIONS = tuple(ReporterRelation.values)
FLAG_TRUE = (True, "true", "True", "1", "on", 1)

# --- Messages: one per problem, used wherever the problem is found ------------------

SEND_ONE_OBJECT = "Kirim satu objek JSON berisi kolom laporan. / Send one JSON object."
UNKNOWN_FIELDS = "Kolom tidak dikenal: {names}. / Unknown fields."
CHOOSE_CATEGORY = "Pilih kategori. / Choose a category."
UNKNOWN_CATEGORY = "Kategori tidak dikenal. / Unknown category."
REQUIRED = "Wajib diisi. / Required."
TOO_LONG = "Terlalu panjang (maksimal {limit} karakter). / Too long."
PARTY_LIST = f"Daftar terlapor (paling banyak {MAX_PARTIES}). / A list of at most {MAX_PARTIES} parties."
PARTY_SHAPE = "Setiap terlapor berisi name, position, unit. / Each party has name, position, unit."
RUPIAH_WHOLE = "Isi angka rupiah tanpa desimal. / A whole number of rupiah."
RUPIAH_RANGE = "Nilai rupiah tidak masuk akal. / Out of range."
CHOOSE_ONE = "Pilih salah satu: {choices}. / Choose one of: {choices}."
IDENTITY_SHAPE = "Identitas berisi name, nik, phone, email. / Identity has name, nik, phone, email."
IDENTITY_UNKNOWN = "Identitas hanya berisi name, nik, phone, email. / Unknown identity field."
ANONYMOUS_WITH_IDENTITY = (
    "Laporan anonim tidak boleh berisi identitas; pilih rahasia atau terbuka. "
    "/ An anonymous report carries no identity; choose confidential or open."
)
NAME_REQUIRED = "Nama wajib untuk laporan rahasia atau terbuka. / Name is required."
NAME_TOO_LONG = "Nama terlalu panjang. / Name too long."
NIK_DIGITS = "NIK terdiri dari 16 angka. / NIK is 16 digits."
PHONE_INVALID = "Nomor telepon tidak valid. / Invalid phone number."
EMAIL_INVALID = "Alamat email tidak valid. / Invalid email address."
NOTIFY_NOT_ANONYMOUS = (
    "Pemberitahuan email hanya untuk laporan rahasia atau terbuka. "
    "/ Email notices are for confidential or open reports."
)


def in_language(message: str, language: str) -> str:
    """One side of a message written "Indonesian / English": the page's language only."""
    indonesian, separator, english = str(message).partition(" / ")
    if not separator:
        return str(message)
    return english if language == "en" else indonesian


@dataclass
class ReportDraft:
    category: Category
    narrative: dict[str, Any]  # what, description, who, where, when, why, how
    how_much: int | None
    identity_mode: str
    identity: dict[str, str] | None
    relation: str
    notify_email: str | None
    present: list[str] = field(default_factory=list)
    consent_to_forward_identity: bool = False
    proof: str = ""  # the sender's solved challenge (API), spent by intake.proof_of_work

    @property
    def completeness(self) -> int:
        return sum(1 << index for index, name in enumerate(ELEMENTS) if name in self.present)


def active_categories() -> dict[str, Category]:
    """The tenant's active categories by code, remembered per process."""
    return remembered_for_tenant(
        "active-categories", lambda: {c.code: c for c in Category.objects.filter(is_active=True)}
    )


# --- Fields: each checks its own value --------------------------------------------------


def text_members(given: dict[str, Any], names: tuple[str, ...], refused: str) -> dict[str, str]:
    """An object's members ``names`` as trimmed text (empty when absent or null);
    ``refused`` when one is not text."""
    members = {}
    for name in names:
        text = plain_text(given.get(name))
        if text is None:
            raise serializers.ValidationError(refused)
        members[name] = text.strip()
    return members


class CategoryField(GivenValue, serializers.CharField):
    def to_internal_value(self, data: Any) -> Category:
        if not data:
            raise serializers.ValidationError(CHOOSE_CATEGORY)
        category = active_categories().get(data) if isinstance(data, str) else None
        if category is None:
            raise serializers.ValidationError(UNKNOWN_CATEGORY)
        return category


class ReportText(GivenValue, serializers.CharField):
    """Text, trimmed; ``max_length`` is the limit (refused beyond it)."""

    def to_internal_value(self, data: Any) -> str:
        if data is None:
            data = ""
        elif not isinstance(data, str):
            raise serializers.ValidationError(MUST_BE_TEXT)
        value = data.strip()
        if not value and self.required:
            raise serializers.ValidationError(REQUIRED)
        limit = self.max_length
        if limit is not None and len(value) > limit:
            raise serializers.ValidationError(TOO_LONG.format(limit=limit))
        return value


class PartySerializer(serializers.Serializer):
    """One reported person (the shape of an item of ``who``); longer text is cut at 200."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=PARTY_TEXT_LIMIT)
    position = serializers.CharField(required=False, allow_blank=True, max_length=PARTY_TEXT_LIMIT)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=PARTY_TEXT_LIMIT)


@extend_schema_field(PartySerializer(many=True))
class PartiesField(GivenValue, serializers.Field):
    """``who``: at most MAX_PARTIES reported people; parties with nothing filled in are dropped."""

    def to_internal_value(self, data: Any) -> list[dict[str, str]]:
        data = json_or_value(data)
        if data is None or data == "" or data == []:
            return []
        if not isinstance(data, list) or len(data) > MAX_PARTIES:
            raise serializers.ValidationError(PARTY_LIST)
        parties = []
        for party in data:
            if not isinstance(party, dict) or not party.keys() <= PARTY_KEYS:
                raise serializers.ValidationError(PARTY_SHAPE)
            cleaned = {
                key: text[:PARTY_TEXT_LIMIT]
                for key, text in text_members(party, PARTY_FIELDS, PARTY_SHAPE).items()
            }
            if any(cleaned.values()):
                parties.append(cleaned)
        return parties


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 0,
        "maximum": MAX_RUPIAH,
        "description": "estimated loss in whole rupiah; a form may write it as text, e.g. 'Rp 1.500.000'",
    }
)
class RupiahField(GivenValue, serializers.Field):
    def to_internal_value(self, data: Any) -> int | None:
        if data is None or data == "":
            return None
        if isinstance(data, str):
            digits = data.replace(".", "").replace(",", "").replace("Rp", "").strip()
            negative = digits.startswith("-")
            digits = digits.removeprefix("-").strip()
            # ASCII digits only (int() would read other scripts' digits), and never
            # more of them than the largest amount has.
            if not (digits.isascii() and digits.isdigit()):
                raise serializers.ValidationError(RUPIAH_WHOLE)
            if negative or len(digits) > len(str(MAX_RUPIAH)):
                raise serializers.ValidationError(RUPIAH_RANGE)
            value = int(digits)
        elif isinstance(data, int) and not isinstance(data, bool):
            value = data
        elif isinstance(data, float) and data.is_integer():  # never inf or NaN
            value = int(data)
        else:
            raise serializers.ValidationError(RUPIAH_WHOLE)
        if not 0 <= value <= MAX_RUPIAH:
            raise serializers.ValidationError(RUPIAH_RANGE)
        return value


class ChoiceOrDefault(GivenValue, serializers.ChoiceField):
    """One of the choices; left empty, the default."""

    def to_internal_value(self, data: Any) -> str:
        if not data:
            return str(self.default)
        if isinstance(data, str) and data in self.choices:
            return data
        names = ", ".join(self.choices)
        raise serializers.ValidationError(CHOOSE_ONE.format(choices=names))


class IdentitySerializer(serializers.Serializer):
    """The reporter's identity (confidential and open reports only, never anonymous ones)."""

    name = serializers.CharField(max_length=IDENTITY_NAME_LIMIT)
    nik = serializers.RegexField(NIK_PATTERN.pattern, required=False, help_text="16 digits")
    phone = serializers.RegexField(PHONE_PATTERN.pattern, required=False)
    email = serializers.EmailField(required=False)


@extend_schema_field(IdentitySerializer)
class IdentityField(GivenValue, serializers.Field):
    """The identity's members as text (the rules that depend on the identity mode are the
    serializer's); empty when none was given."""

    def to_internal_value(self, data: Any) -> dict[str, str]:
        data = json_or_value(data)
        if data is None or data == "" or data == {}:
            return {}
        if not isinstance(data, dict):
            raise serializers.ValidationError(IDENTITY_SHAPE)
        if not data.keys() <= IDENTITY_KEYS:
            raise serializers.ValidationError(IDENTITY_UNKNOWN)
        return text_members(data, IDENTITY_FIELDS, IDENTITY_SHAPE)


class EmailText(GivenValue, serializers.EmailField):
    """An address, trimmed (checked by the serializer: whether it may be given depends on
    the identity mode); None when not given."""

    def to_internal_value(self, data: Any) -> str | None:
        text = plain_text(data)
        if text is None:
            raise serializers.ValidationError(EMAIL_INVALID)
        return text.strip() or None


class FlagField(GivenValue, serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        return data in FLAG_TRUE


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}})
class EvidenceField(GivenValue, serializers.Field):
    """Files, multipart only: read from the request's files and checked by content when the
    report is stored (intake.evidence_files); nothing to check here."""

    def to_internal_value(self, data: Any) -> None:
        return None


# --- The submission ------------------------------------------------------------------------


def email_problem(address: str) -> str | None:
    try:
        validate_email(address)
    except DjangoValidationError:
        return EMAIL_INVALID
    return None


def identity_problems(mode: str, values: dict[str, str]) -> dict[str, str]:
    """What is wrong with an identity given with ``mode`` (keys ``identity``/``identity.<member>``)."""
    if mode == IdentityMode.ANONYMOUS:
        return {"identity": ANONYMOUS_WITH_IDENTITY} if any(values.values()) else {}
    problems: dict[str, str] = {}
    name = values.get("name", "")
    if not name:
        problems["identity.name"] = NAME_REQUIRED
    elif len(name) > IDENTITY_NAME_LIMIT:
        problems["identity.name"] = NAME_TOO_LONG
    nik = values.get("nik", "")
    if nik and not NIK_PATTERN.fullmatch(nik):
        problems["identity.nik"] = NIK_DIGITS
    phone = values.get("phone", "")
    if phone and not PHONE_PATTERN.fullmatch(phone):
        problems["identity.phone"] = PHONE_INVALID
    email = values.get("email", "")
    if email and (problem := email_problem(email)):
        problems["identity.email"] = problem
    return problems


@dataclass(frozen=True)
class BoundFields:
    """A serializer's fields, copied from the declared ones and bound as DRF does for every
    instance, but once per process; with their names, for the hot loop."""

    bound: BindingDict
    names: frozenset[str]
    items: tuple[tuple[str, Any], ...]


@cache
def fields_bound_once(serializer_class: type[serializers.Serializer]) -> BoundFields:
    prototype = serializer_class()
    bound = BindingDict(prototype)
    for name, declared in prototype.get_fields().items():
        bound[name] = declared
    return BoundFields(bound=bound, names=frozenset(bound), items=tuple(bound.items()))


class ReportSubmissionSerializer(serializers.Serializer):
    """A report as a reporter sends it (``POST /api/v1/intake/reports``, the portal form, the
    staff page for reports received by letter). Unknown members are refused; every problem
    is listed at once, as ``{"member": "message"}`` (``identity.<member>`` inside the
    identity); ``validated_data`` is the ``ReportDraft``."""

    category = CategoryField(help_text="an active category's code (GET /api/v1/intake/categories)")
    what = ReportText(max_length=TEXT_LIMITS["what"], required=True)
    description = ReportText(max_length=TEXT_LIMITS["description"], required=True)
    who = PartiesField(required=False, help_text=f"the reported people, at most {MAX_PARTIES}")
    where = ReportText(max_length=TEXT_LIMITS["where"], required=False)
    when = ReportText(
        max_length=TEXT_LIMITS["when"], required=False, help_text="a date or a period; may be approximate"
    )
    why = ReportText(max_length=TEXT_LIMITS["why"], required=False)
    how = ReportText(max_length=TEXT_LIMITS["how"], required=False)
    how_much = RupiahField(required=False)
    identity_mode = ChoiceOrDefault(choices=IDENTITY_MODES, default=IdentityMode.ANONYMOUS)
    identity = IdentityField(required=False, help_text="confidential and open reports only")
    relation = ChoiceOrDefault(choices=RELATIONS, default=ReporterRelation.PUBLIC)
    notify_email = EmailText(required=False, help_text="not for anonymous reports")
    consent_to_forward_identity = FlagField(
        required=False,
        help_text="the identity may go along if the report is forwarded to a competent body",
    )
    evidence = EvidenceField(required=False, help_text="multipart only")
    proof = ServiceText(
        refuse_nul=False,
        max_length=MAX_PROOF_LENGTH,
        help_text="required from the API: a solved challenge from GET /api/v1/intake/challenge, "
        "base64(JSON {algorithm, challenge, number, salt, signature}); one report per challenge",
    )

    @cached_property
    def fields(self) -> BindingDict:
        """Shared by every instance. DRF clones the declared fields for each serializer (so
        that one may be changed per instance; these never are): that cost about 1.6 million
        instructions a report, eight times the validation itself (cachegrind). The fields
        above keep no state while judging a value."""
        return fields_bound_once(type(self)).bound

    def to_internal_value(self, data: Any) -> ReportDraft:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError({"body": SEND_ONE_OBJECT})
        fields = fields_bound_once(type(self))
        problems: dict[str, Any] = {}
        unknown = data.keys() - fields.names
        if unknown:
            problems["unknown"] = UNKNOWN_FIELDS.format(names=", ".join(sorted(map(str, unknown))))
        values: dict[str, Any] = {}
        for name, checked in fields.items:
            try:  # what run_validation(get_value(data)) does for these fields, in one call
                values[name] = checked.to_internal_value(data.get(name))
            except serializers.ValidationError as refused:
                problems[name] = refused.detail[0] if isinstance(refused.detail, list) else refused.detail

        mode = values.get("identity_mode", IdentityMode.ANONYMOUS)
        identity = values.get("identity")
        if identity is not None:
            problems.update(identity_problems(mode, identity))
        notify_email = values.get("notify_email")
        if notify_email:
            if mode == IdentityMode.ANONYMOUS:
                problems["notify_email"] = NOTIFY_NOT_ANONYMOUS
            elif problem := email_problem(notify_email):
                problems["notify_email"] = problem
        if problems:
            raise serializers.ValidationError(problems)

        narrative = {name: values[name] for name in TEXT_LIMITS}
        narrative["who"] = values["who"]
        kept_identity = None
        if mode != IdentityMode.ANONYMOUS and identity is not None:
            kept_identity = {key: value for key, value in identity.items() if value}
        return ReportDraft(
            category=values["category"],
            narrative=narrative,
            how_much=values["how_much"],
            identity_mode=mode,
            identity=kept_identity,
            relation=values["relation"],
            notify_email=notify_email,
            present=present_elements(narrative, values["how_much"]),
            consent_to_forward_identity=values["consent_to_forward_identity"] and kept_identity is not None,
            proof=values["proof"],
        )


def parse_report(data: Any) -> ReportDraft:
    """Validate a submission with ``ReportSubmissionSerializer``; ``InvalidInput`` lists every problem."""
    draft: ReportDraft = validated(ReportSubmissionSerializer, data)
    return draft


def present_elements(narrative: Mapping[str, Any], how_much: int | None) -> list[str]:
    """Which of the seven elements (5W + 2H) a report answers."""
    answered = {
        "what": bool(narrative.get("what") or narrative.get("description")),
        "who": bool(narrative.get("who")),
        "where": bool(narrative.get("where")),
        "when": bool(narrative.get("when")),
        "why": bool(narrative.get("why")),
        "how": bool(narrative.get("how")),
        "how_much": how_much is not None,
    }
    return [name for name in ELEMENTS if answered[name]]
