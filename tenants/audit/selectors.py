"""Reading the audit trail: which entries a person may read, filtered as they ask.

A reader sees the entries about no case, and those about the cases they may know
exist (``tenants.case_visibility``): never an entry about a case they are excluded
from, their own exclusion included. Filters: the action, who acted (part of the name
or address), the case (by its reference) and a range of days in the tenant's time zone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tenants.audit.action_names import action_name
from tenants.audit.models import AuditEntry
from tenants.case_visibility import case_visibility
from tenants.clock import tenant_zone
from tenants.errors import InvalidInput

MAX_TEXT = 200


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    case: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_query(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items() if value}


def _day(text: str, field: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = _("Tanggal ditulis TTTT-BB-HH, misalnya 2026-03-31.")
        return None


def audit_filters(query: Any) -> AuditFilters:
    """The filters a page's query string asks for, or InvalidInput naming what is wrong."""
    errors: dict[str, str] = {}
    texts = {}
    for name in ("action", "actor", "case", "date_from", "date_to"):
        text = str(query.get(name, "")).strip()
        if "\x00" in text or len(text) > MAX_TEXT:
            errors[name] = _("Isian ini tidak dapat dipakai.")
            text = ""
        texts[name] = text
    filters = AuditFilters(
        action=texts["action"],
        actor=texts["actor"],
        case=texts["case"].upper(),
        date_from=_day(texts["date_from"], "date_from", errors),
        date_to=_day(texts["date_to"], "date_to", errors),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["date_to"] = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
    if errors:
        raise InvalidInput(errors)
    return filters


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tenant_zone())


def entries_for(reader: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The entries this person may read, newest first, narrowed by ``filters``."""
    visibility = case_visibility()
    entries = AuditEntry.objects.filter(
        Q(case_id__isnull=True) | Q(case_id__in=visibility.known_case_ids(reader))
    )
    filters = filters or AuditFilters()
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.actor:
        entries = entries.filter(actor_label__icontains=filters.actor)
    if filters.case:
        entries = entries.filter(case_id=visibility.case_id_for_reference(filters.case))
    if filters.date_from:
        entries = entries.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return entries.order_by("-id")


def shown_value(value: Any) -> str:
    """An entry detail as people read it: no Python notation."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {shown_value(item)}" for key, item in value.items())
    return str(value)


@dataclass(frozen=True)
class AuditRow:
    when: datetime
    actor: str
    action: str
    action_code: str
    case: str
    details: list[tuple[str, str]]


def audit_rows(entries: Any) -> list[AuditRow]:
    """Entries as the page and the export show them: names, case references, plain details."""
    entries = list(entries)
    references = case_visibility().case_references({entry.case_id for entry in entries if entry.case_id})
    zone = tenant_zone()
    return [
        AuditRow(
            when=entry.created_at.astimezone(zone),
            actor=entry.actor_label,
            action=action_name(entry.action),
            action_code=entry.action,
            case=references.get(entry.case_id, "") if entry.case_id else "",
            details=[(str(key), shown_value(value)) for key, value in (entry.details or {}).items()],
        )
        for entry in entries
    ]
