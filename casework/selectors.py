"""Read-side queries behind the staff pages: the queue, the case page, statistics,
workload and exports.

Every list of cases starts from ``casework.access.visible_cases(user)``, so a
case someone is excluded from is absent from every page, count and export.
Queries here are a fixed number per page, whatever the number of cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core import signing
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from casework.access import HANDLERS, can, listable_cases, visible_cases
from casework.identity_custody import identity_access_until
from casework.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseState,
    Exclusion,
    IdentityRequest,
    InternalNote,
    Outcome,
    Team,
)
from casework.workflow import TRANSITIONS, Transition, available_transitions
from intake.encryption import KeyUnavailable, report_key
from intake.models import Attachment, Category, Channel, IdentityMode, Message, Report
from tenants.clock import tenant_today, tenant_zone
from wbs.accounts.models import User

PAGE_SIZE = 50
EVIDENCE_LINK_SALT = "casework.evidence-download"
EVIDENCE_LINK_SECONDS = 5 * 60
# Heavy or secret columns a list never needs.
_REPORT_DEFERRED = (
    "report__sealed_narrative",
    "report__sealed_identity",
    "report__sealed_notify_email",
    "report__wrapped_key",
)

EVENT_LABELS: dict[str, Any] = {
    "received": _("Laporan diterima"),
    "assigned": _("Ditugaskan"),
    "note": _("Catatan internal ditambahkan"),
    "message_to_reporter": _("Pesan dikirim kepada pelapor"),
    "evidence_added": _("Bukti ditambahkan petugas"),
    "identity_requested": _("Identitas pelapor diminta"),
    "identity_approved": _("Permintaan identitas disetujui"),
    "identity_refused": _("Permintaan identitas ditolak"),
    **{name: step.label for name, step in TRANSITIONS.items()},
}


# --- The queue ------------------------------------------------------------------


@dataclass
class QueueFilters:
    """What a queue (or its CSV) is narrowed to, read from the query string."""

    state: str = "open"  # "open", "all" or one CaseState
    category: str = ""
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    assignee: str = ""  # "", "me", "unassigned" or a user id
    sort: str = "next_due"  # "next_due" or "-next_due"
    problems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> QueueFilters:
        filters = cls()
        problems: dict[str, str] = {}
        state = str(query.get("state") or "open")
        if state in {"open", "all"} or state in CaseState.values:
            filters.state = state
        else:
            problems["state"] = "Status tidak dikenal. / Unknown state."
        filters.category = str(query.get("category") or "")[:40]
        for name in ("due_from", "due_to"):
            raw = str(query.get(name) or "").strip()
            if not raw:
                continue
            try:
                parsed = parse_date(raw)
            except ValueError:
                parsed = None
            if parsed is None:
                problems[name] = "Tanggal tidak valid (YYYY-MM-DD). / Invalid date."
            else:
                setattr(filters, name, parsed)
        filters.overdue = str(query.get("overdue") or "") in {"1", "on", "true"}
        assignee = str(query.get("assignee") or "")
        if assignee in {"", "me", "unassigned"} or (assignee.isdigit() and len(assignee) <= 18):
            filters.assignee = assignee
        else:
            problems["assignee"] = "Petugas tidak dikenal. / Unknown assignee."
        sort = str(query.get("sort") or "next_due")
        filters.sort = sort if sort in {"next_due", "-next_due"} else "next_due"
        filters.problems = problems
        return filters

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for pagination links and the CSV link)."""
        values = {
            "state": self.state,
            "category": self.category,
            "due_from": self.due_from.isoformat() if self.due_from else "",
            "due_to": self.due_to.isoformat() if self.due_to else "",
            "overdue": "1" if self.overdue else "",
            "assignee": self.assignee,
            "sort": self.sort,
        }
        return {key: value for key, value in values.items() if value}


def filtered_cases(user: Any, filters: QueueFilters, *, today: date | None = None) -> QuerySet[Case]:
    """The listable cases matching the filters, soonest deadline first (no deadline last)."""
    today = today or tenant_today()
    cases = listable_cases(user)
    if filters.state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif filters.state != "all":
        cases = cases.filter(state=filters.state)
    if filters.category:
        # By id, found first: the case query then needs no join to the category table.
        category_id = Category.objects.filter(code=filters.category).values_list("id", flat=True).first()
        cases = cases.filter(report__category_id=category_id) if category_id else cases.none()
    if filters.overdue:
        cases = cases.filter(next_due__lt=today, state__in=OPEN_STATES)
    if filters.due_from:
        cases = cases.filter(next_due__gte=filters.due_from)
    if filters.due_to:
        cases = cases.filter(next_due__lte=filters.due_to)
    if filters.assignee == "me":
        cases = cases.filter(assignee_id=getattr(user, "pk", None))
    elif filters.assignee == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assignee_id=int(filters.assignee))
    due = (
        F("next_due").desc(nulls_last=True)
        if filters.sort == "-next_due"
        else F("next_due").asc(nulls_last=True)
    )
    return cases.order_by(due, "id")


def queue_page_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What one row of the queue shows, loaded with the case (no query per row)."""
    return cases.select_related("report__category", "assignee", "team").defer(
        "sealed_outcome_summary", *_REPORT_DEFERRED
    )


def handler_choices(*, exclude_case: Case | None = None) -> list[User]:
    """Active people who can be given cases (those excluded from ``exclude_case`` left out)."""
    people = User.objects.filter(is_active=True, roles__overlap=sorted(HANDLERS)).only(
        "id", "full_name", "email", "username"
    )
    if exclude_case is not None:
        people = people.exclude(exclusions__case=exclude_case)
    return list(people.order_by("full_name", "email"))


def category_choices() -> list[Category]:
    return list(Category.objects.all())


def overdue_cases(user: Any, *, today: date | None = None) -> QuerySet[Case]:
    today = today or tenant_today()
    return queue_page_cases(
        visible_cases(user)
        .filter(state__in=OPEN_STATES, next_due__lt=today)
        .order_by(F("next_due").asc(), "id")
    )


# --- The case page --------------------------------------------------------------


@dataclass
class EvidenceItem:
    pk: int
    name: str
    uploaded_by: str
    uploaded_on: date
    size: int
    content_type: str
    metadata_removed: bool
    download_url: str


@dataclass
class ThreadMessage:
    author: str
    staff_name: str
    body: str
    created_on: date
    attachments: list[str]


@dataclass
class NoteItem:
    author: str
    body: str
    created_at: Any


@dataclass
class CasePage:
    case: Case
    report: Report
    shredded: bool
    narrative: dict[str, Any]
    outcome_summary: str
    evidence: list[EvidenceItem]
    events: list[CaseEvent]
    messages: list[ThreadMessage]
    notes: list[NoteItem]
    transitions: list[Transition]
    identity_requests: list[IdentityRequest]
    identity_grant: IdentityRequest | None
    handlers: list[User]
    teams: list[Team]
    exclusion_candidates: list[User]
    may: dict[str, bool]
    outcomes: list[tuple[str, Any]] = field(default_factory=lambda: list(Outcome.choices))


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.email or user.username


def evidence_link_token(*, attachment_id: int, case_id: int, user_id: int) -> str:
    """A download link's token: for this person, this file, five minutes."""
    signer = signing.TimestampSigner(salt=EVIDENCE_LINK_SALT)
    return signer.sign_object({"a": attachment_id, "c": case_id, "u": user_id}, compress=False)


def evidence_link_claims(token: str, *, max_age: int = EVIDENCE_LINK_SECONDS) -> dict[str, int]:
    """The claims of a download token; raises signing.BadSignature (incl. SignatureExpired)."""
    signer = signing.TimestampSigner(salt=EVIDENCE_LINK_SALT)
    claims = signer.unsign_object(token, max_age=max_age)
    if not isinstance(claims, dict) or not all(isinstance(claims.get(k), int) for k in ("a", "c", "u")):
        raise signing.BadSignature("malformed evidence link")
    return {key: int(claims[key]) for key in ("a", "c", "u")}


def case_page(case: Case, user: Any) -> CasePage:
    """Everything the case page shows, decrypted for a person who may see the case.

    The reporter's identity is never part of it (see ``identity_custody``).
    """
    report = case.report
    narrative: dict[str, Any] = {}
    outcome_summary = ""
    names: dict[int, str] = {}
    bodies: dict[int, str] = {}
    note_bodies: dict[int, str] = {}
    attachments = list(Attachment.objects.filter(report=report))
    messages = list(Message.objects.filter(report=report).select_related("staff_author"))
    notes = list(InternalNote.objects.filter(case=case).select_related("author"))
    shredded = report.wrapped_key is None
    if not shredded:
        try:
            key = report_key(report)
        except KeyUnavailable:
            shredded = True
        else:
            narrative = dict(key.open_json("narrative", bytes(report.sealed_narrative)))
            if case.sealed_outcome_summary is not None:
                outcome_summary = key.open("outcome-summary", bytes(case.sealed_outcome_summary)).decode()
            names = {
                item.pk: key.open("attachment-name", bytes(item.sealed_display_name)).decode()
                for item in attachments
            }
            bodies = {item.pk: key.open("message", bytes(item.sealed_body)).decode() for item in messages}
            note_bodies = {item.pk: key.open("note", bytes(item.sealed_body)).decode() for item in notes}
    user_id = int(user.pk)
    evidence = [
        EvidenceItem(
            pk=item.pk,
            name=names.get(item.pk, "—"),
            uploaded_by=item.get_uploaded_by_display(),
            uploaded_on=item.uploaded_on,
            size=item.size,
            content_type=item.content_type,
            metadata_removed=item.metadata_removed,
            download_url=reverse(
                "staff-evidence-download",
                args=[evidence_link_token(attachment_id=item.pk, case_id=case.pk, user_id=user_id)],
            ),
        )
        for item in attachments
        if not shredded
    ]
    thread = [
        ThreadMessage(
            author=message.author,
            staff_name=_person(message.staff_author),
            body=bodies.get(message.pk, ""),
            created_on=message.created_on,
            attachments=[names.get(a.pk, "") for a in attachments if a.message_id == message.pk],
        )
        for message in messages
    ]
    note_items = [
        NoteItem(author=_person(note.author), body=note_bodies.get(note.pk, ""), created_at=note.created_at)
        for note in notes
    ]
    events = list(CaseEvent.objects.filter(case=case).select_related("actor"))
    states = dict(CaseState.choices)
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)  # type: ignore[attr-defined]
        event.actor_name = _person(event.actor)  # type: ignore[attr-defined]
        event.from_label = states.get(event.from_state, event.from_state)  # type: ignore[attr-defined]
        event.to_label = states.get(event.to_state, event.to_state)  # type: ignore[attr-defined]
    may = {
        action: can(user, action)
        for action in (
            "assign",
            "exclude_others",
            "declare_conflict",
            "message_reporter",
            "write_note",
            "upload_evidence",
            "request_identity",
            "export_case_summary",
        )
    }
    identity_given = report.identity_mode != IdentityMode.ANONYMOUS and report.sealed_identity is not None
    may["request_identity"] = may["request_identity"] and identity_given and not shredded
    handlers = handler_choices(exclude_case=case) if may["assign"] or may["exclude_others"] else []
    return CasePage(
        case=case,
        report=report,
        shredded=shredded,
        narrative=narrative,
        outcome_summary=outcome_summary,
        evidence=evidence,
        events=events,
        messages=thread,
        notes=note_items,
        transitions=available_transitions(case, user),
        identity_requests=list(
            IdentityRequest.objects.filter(case=case, requested_by=user).order_by("-created_at")
        )
        if identity_given
        else [],
        identity_grant=identity_access_until(case, user) if identity_given else None,
        handlers=handlers if may["assign"] else [],
        teams=list(Team.objects.order_by("name")) if may["assign"] else [],
        exclusion_candidates=[person for person in handlers if person.pk != user_id]
        if may["exclude_others"]
        else [],
        may=may,
    )


# --- Statistics -----------------------------------------------------------------


class Median(Aggregate):
    function = "percentile_cont"
    name = "median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """``later - earlier`` for two date columns, in days (PostgreSQL date arithmetic)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def statistics_scope(user: Any) -> QuerySet[Case]:
    """The cases statistics are counted over.

    Handlers: their visible cases (so an excluded case is not counted). Auditors and
    administrators, who never see cases: every case, used only for aggregate counts.
    """
    if can(user, "view_cases"):
        return visible_cases(user)
    if can(user, "view_statistics"):
        return Case.objects.all()
    return Case.objects.none()


def last_months(today: date, count: int = 12) -> list[date]:
    """The first day of each of the last ``count`` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


@dataclass
class Statistics:
    total: int
    open: int
    overdue: int
    by_state: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    months: list[date]
    received_per_month: list[int]
    median_days_to_close: list[float | None]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") else value


def case_statistics(user: Any, *, today: date | None = None, language: str = "id") -> Statistics:
    """Counts only: no case content or identifier ever leaves this function."""
    today = today or tenant_today()
    cases = statistics_scope(user)
    months = last_months(today)
    since = months[0]
    totals = cases.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=Q(state__in=OPEN_STATES, next_due__lt=today)),
    )
    states = dict(cases.order_by().values_list("state").annotate(n=Count("id")))
    categories = {
        (name_id, name_en): n
        for name_id, name_en, n in cases.order_by()
        .values_list("report__category__name_id", "report__category__name_en")
        .annotate(n=Count("id"))
    }
    channels = dict(cases.order_by().values_list("report__channel").annotate(n=Count("id")))
    received = {
        _as_date(month): n
        for month, n in cases.filter(received_on__gte=since)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values_list("month")
        .annotate(n=Count("id"))
    }
    medians = {
        _as_date(month): value
        for month, value in cases.filter(concluded_on__gte=since, received_on__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("concluded_on"))
        .values_list("month")
        .annotate(value=Median(DaysBetween(F("concluded_on"), F("received_on"))))
    }
    channel_names = dict(Channel.choices)
    return Statistics(
        total=totals["total"],
        open=totals["open"],
        overdue=totals["overdue"],
        by_state=[(str(label), states.get(value, 0)) for value, label in CaseState.choices],
        by_category=sorted(
            (((en if language == "en" else name) or "—"), n) for (name, en), n in categories.items()
        ),
        by_channel=[(str(channel_names.get(value, value)), n) for value, n in sorted(channels.items())],
        months=months,
        received_per_month=[received.get(month, 0) for month in months],
        median_days_to_close=[
            round(medians[month], 1) if medians.get(month) is not None else None for month in months
        ],
    )


# --- Workload -------------------------------------------------------------------


@dataclass
class WorkloadRow:
    name: str
    open: int
    overdue: int
    pk: int | None = None


@dataclass
class Workload:
    handlers: list[WorkloadRow]
    teams: list[WorkloadRow]
    unassigned: int
    unassigned_overdue: int


def workload(user: Any, *, today: date | None = None) -> Workload:
    """Open (visible) cases per handler and per team."""
    today = today or tenant_today()
    open_cases = visible_cases(user).filter(state__in=OPEN_STATES).order_by()
    counts = Count("id")
    late = Count("id", filter=Q(next_due__lt=today))
    per_person = {
        row["assignee_id"]: row for row in open_cases.values("assignee_id").annotate(n=counts, late=late)
    }
    per_team = {row["team_id"]: row for row in open_cases.values("team_id").annotate(n=counts, late=late)}
    handlers = [
        WorkloadRow(
            name=_person(person),
            open=per_person.get(person.pk, {}).get("n", 0),
            overdue=per_person.get(person.pk, {}).get("late", 0),
            pk=person.pk,
        )
        for person in handler_choices()
    ]
    handlers.sort(key=lambda row: (-row.open, row.name))
    teams = [
        WorkloadRow(
            name=team.name,
            open=per_team.get(team.pk, {}).get("n", 0),
            overdue=per_team.get(team.pk, {}).get("late", 0),
            pk=team.pk,
        )
        for team in Team.objects.order_by("name")
    ]
    nobody = per_person.get(None, {})
    return Workload(
        handlers=handlers,
        teams=teams,
        unassigned=nobody.get("n", 0),
        unassigned_overdue=nobody.get("late", 0),
    )


# --- Export rows ----------------------------------------------------------------

CSV_COLUMNS = (
    "reference",
    "category",
    "channel",
    "state",
    "outcome",
    "received_on",
    "acknowledge_due",
    "verification_due",
    "answer_due",
    "conclude_due",
    "next_due",
    "assignee",
    "team",
)


def case_list_rows(cases: QuerySet[Case]) -> Iterable[list[str]]:
    """One row per case for the CSV: no identity, no narrative, no staff notes."""
    states = dict(CaseState.choices)
    outcomes = dict(Outcome.choices)
    channels = dict(Channel.choices)
    rows = cases.values_list(
        "report_id",
        "report__received_on",
        "report__category__code",
        "report__channel",
        "state",
        "outcome",
        "received_on",
        "acknowledge_due",
        "verification_due",
        "answer_due",
        "conclude_due",
        "next_due",
        "assignee__email",
        "team__name",
    )
    for row in rows.iterator(chunk_size=2000):
        (report_id, report_received, category, channel, state, outcome, received, *dues, email, team) = row
        yield [
            Report(pk=report_id, received_on=report_received).reference,
            category or "",
            str(channels.get(channel, channel)),
            str(states.get(state, state)),
            str(outcomes.get(outcome, outcome)) if outcome else "",
            received.isoformat() if received else "",
            *[due.isoformat() if due else "" for due in dues],
            email or "",
            team or "",
        ]


def case_summary_events(case: Case) -> list[tuple[date, str, str]]:
    """(date, what happened, who) for the PDF summary."""
    return [
        (
            timezone.localtime(event.created_at, tenant_zone()).date(),
            str(EVENT_LABELS.get(event.kind, event.kind)),
            _person(event.actor),
        )
        for event in CaseEvent.objects.filter(case=case).select_related("actor")
    ]


def excluded_people(case: Case) -> list[Exclusion]:
    return list(Exclusion.objects.filter(case=case).select_related("user"))
