"""Reading a report from what a reporter sent: the API (JSON or multipart) and the
form page use the same rules and the same messages.

Everything is checked before anything is written; a problem in any field makes
``InvalidInput`` with a message per field, in Bahasa Indonesia then English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from intake.models import ELEMENTS, Category, IdentityMode, ReporterRelation
from tenants.errors import InvalidInput
from tenants.shared_memo import remembered_for_tenant

MAX_PARTIES = 10
MAX_RUPIAH = 10**15
TEXT_LIMITS = {"what": 200, "description": 10000, "where": 300, "when": 200, "why": 5000, "how": 5000}
PARTY_FIELDS = ("name", "position", "unit")
IDENTITY_FIELDS = ("name", "nik", "phone", "email")
NIK_PATTERN = re.compile(r"^\d{16}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{6,20}$")
# Django builds a choices enum's .values list anew on every read.
IDENTITY_MODES = tuple(IdentityMode.values)
RELATIONS = tuple(ReporterRelation.values)
KNOWN_FIELDS = frozenset(
    {
        "category",
        "what",
        "description",
        "who",
        "where",
        "when",
        "why",
        "how",
        "how_much",
        "identity_mode",
        "identity",
        "relation",
        "notify_email",
        "evidence",
        "consent_to_forward_identity",
    }
)


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

    @property
    def completeness(self) -> int:
        return sum(1 << index for index, name in enumerate(ELEMENTS) if name in self.present)


def _text(data: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = "Harus berupa teks. / Must be text."
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = "Wajib diisi. / Required."
    elif len(value) > TEXT_LIMITS.get(name, 200):
        errors[name] = f"Terlalu panjang (maksimal {TEXT_LIMITS.get(name, 200)} karakter). / Too long."
    return value


def _json_or_value(value: Any) -> Any:
    # Multipart and form posts carry structured fields as JSON text.
    if isinstance(value, str) and value.strip()[:1] in {"[", "{"}:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _parties(raw: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    raw = _json_or_value(raw)
    if raw in (None, "", []):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_PARTIES:
        errors["who"] = (
            f"Daftar terlapor (paling banyak {MAX_PARTIES}). / A list of at most {MAX_PARTIES} parties."
        )
        return []
    parties = []
    for party in raw:
        if not isinstance(party, dict) or set(party) - set(PARTY_FIELDS):
            errors["who"] = (
                "Setiap terlapor berisi name, position, unit. / Each party has name, position, unit."
            )
            return []
        cleaned = {key: str(party.get(key) or "").strip()[:200] for key in PARTY_FIELDS}
        if any(cleaned.values()):
            parties.append(cleaned)
    return parties


def _how_much(raw: Any, errors: dict[str, str]) -> int | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        raw = raw.replace(".", "").replace(",", "").replace("Rp", "").strip()
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors["how_much"] = "Isi angka rupiah tanpa desimal. / A whole number of rupiah."
        return None
    if not 0 <= value <= MAX_RUPIAH:
        errors["how_much"] = "Nilai rupiah tidak masuk akal. / Out of range."
        return None
    return value


def _identity(mode: str, raw: Any, errors: dict[str, str]) -> dict[str, str] | None:
    raw = _json_or_value(raw)
    given = raw if isinstance(raw, dict) else {}
    if raw not in (None, "", {}) and not isinstance(raw, dict):
        errors["identity"] = (
            "Identitas berisi name, nik, phone, email. / Identity has name, nik, phone, email."
        )
        return None
    values = {key: str(given.get(key) or "").strip() for key in IDENTITY_FIELDS}
    if set(given) - set(IDENTITY_FIELDS):
        errors["identity"] = "Identitas hanya berisi name, nik, phone, email. / Unknown identity field."
        return None
    if mode == IdentityMode.ANONYMOUS:
        if any(values.values()):
            errors["identity"] = (
                "Laporan anonim tidak boleh berisi identitas; pilih rahasia atau terbuka. "
                "/ An anonymous report carries no identity; choose confidential or open."
            )
        return None
    if not values["name"]:
        errors["identity.name"] = "Nama wajib untuk laporan rahasia atau terbuka. / Name is required."
    if len(values["name"]) > 150:
        errors["identity.name"] = "Nama terlalu panjang. / Name too long."
    if values["nik"] and not NIK_PATTERN.match(values["nik"]):
        errors["identity.nik"] = "NIK terdiri dari 16 angka. / NIK is 16 digits."
    if values["phone"] and not PHONE_PATTERN.match(values["phone"]):
        errors["identity.phone"] = "Nomor telepon tidak valid. / Invalid phone number."
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["identity.email"] = "Alamat email tidak valid. / Invalid email address."
    return {key: value for key, value in values.items() if value}


def _choice(
    data: Mapping[str, Any], name: str, choices: Sequence[str], default: str, errors: dict[str, str]
) -> str:
    value = data.get(name) or default
    if value not in choices:
        errors[name] = f"Pilih salah satu: {', '.join(choices)}. / Choose one of: {', '.join(choices)}."
        return default
    return str(value)


def active_categories() -> dict[str, Category]:
    """The tenant's active categories by code, remembered per process."""
    return remembered_for_tenant(
        "active-categories", lambda: {c.code: c for c in Category.objects.filter(is_active=True)}
    )


def parse_report(data: Mapping[str, Any]) -> ReportDraft:
    """Validate a submission; raise ``InvalidInput`` listing every problem."""
    if not isinstance(data, Mapping):
        raise InvalidInput({"body": "Kirim satu objek JSON berisi kolom laporan. / Send one JSON object."})
    errors: dict[str, str] = {}
    unknown = [str(key) for key in data if key not in KNOWN_FIELDS]
    if unknown:
        errors["unknown"] = f"Kolom tidak dikenal: {', '.join(sorted(unknown))}. / Unknown fields."

    category_code = data.get("category")
    category = None
    if not category_code:
        errors["category"] = "Pilih kategori. / Choose a category."
    else:
        category = active_categories().get(str(category_code))
        if category is None:
            errors["category"] = "Kategori tidak dikenal. / Unknown category."

    narrative: dict[str, Any] = {
        name: _text(data, name, errors, required=name in {"what", "description"}) for name in TEXT_LIMITS
    }
    narrative["who"] = _parties(data.get("who"), errors)
    how_much = _how_much(data.get("how_much"), errors)
    mode = _choice(data, "identity_mode", IDENTITY_MODES, IdentityMode.ANONYMOUS, errors)
    relation = _choice(data, "relation", RELATIONS, ReporterRelation.PUBLIC, errors)
    identity = _identity(mode, data.get("identity"), errors)

    notify_email = str(data.get("notify_email") or "").strip() or None
    if notify_email:
        if mode == IdentityMode.ANONYMOUS:
            errors["notify_email"] = (
                "Pemberitahuan email hanya untuk laporan rahasia atau terbuka. "
                "/ Email notices are for confidential or open reports."
            )
        else:
            try:
                validate_email(notify_email)
            except ValidationError:
                errors["notify_email"] = "Alamat email tidak valid. / Invalid email address."

    if errors or category is None:
        raise InvalidInput(errors)
    return ReportDraft(
        category=category,
        narrative=narrative,
        how_much=how_much,
        identity_mode=mode,
        identity=identity,
        relation=relation,
        notify_email=notify_email,
        present=present_elements(narrative, how_much),
        consent_to_forward_identity=_flag(data.get("consent_to_forward_identity")) and identity is not None,
    )


def _flag(value: Any) -> bool:
    return value in (True, "true", "True", "1", "on", 1)


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
