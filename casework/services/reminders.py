"""Deadline reminders to handlers and escalations to supervisors (Celery beat).

Every five minutes ``send_reminders_due`` queues the per-tenant task for the
tenants whose five-minute slot it is, so 2,000 tenants are spread over the hour
(the slot scheme of the staff digests, shifted by half an hour so a tenant's
digest and reminders never go out together). A tenant is queued only from
07:00 in its own time zone, so nobody is mailed about deadlines at midnight;
later runs the same day are cheap no-ops.

``send_deadline_reminders`` then, for each open case that is not waiting on the
reporter:

- one working day before a deadline, reminds the assignee (the assigned team's
  handlers if only a team is assigned, the intake officers if nobody is, and
  otherwise everyone who can act on the case);
- once a deadline has passed, escalates to the supervisors (or, should none see the
  case, to everyone who can act on it).

Each (case, deadline, due date, level) is sent once: the task claims it by
inserting a ``DeadlineReminder`` row, whose unique constraint makes a second run
(or a concurrent worker) skip it, and the claims are committed only after the
mails went out, so a failed send is retried on the next run. A moved due date
(pause, reopen) is a new deadline and is reminded again. Recipients pass through
``casework.access.visible_cases``, so a reminder goes only to people who can act on
the case (need-to-know), never to anyone excluded from it.
Mails carry the case reference, which deadline and its date, never anything
from the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q

from casework.access import visible_cases
from casework.deadlines import DEADLINE_FIELDS, DONE_FIELDS, add_working_days
from casework.models import OPEN_STATES, Case, CaseState, DeadlineReminder
from intake.tasks import DIGEST_SLOTS, digest_slot
from tenants.accounts.models import StaffRole, User
from tenants.clock import tenant_today
from tenants.db import current_tenant
from tenants.models import Tenant

REMINDER = "reminder"
ESCALATION = "escalation"
# Half an hour away from the tenant's staff digest.
REMINDER_SLOT_OFFSET = DIGEST_SLOTS // 2
# No deadline mail before this hour of the tenant's own day.
FIRST_HOUR = 7

HANDLER_ROLES: frozenset[str] = frozenset(
    {StaffRole.INTAKE_OFFICER, StaffRole.INVESTIGATOR, StaffRole.SUPERVISOR}
)

# deadline name (stored in DeadlineReminder.deadline) -> (Indonesian, English)
DEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "acknowledge": ("konfirmasi penerimaan", "acknowledging receipt"),
    "verification": ("verifikasi kelengkapan", "verifying completeness"),
    "answer": ("jawaban kepada pelapor", "answering the reporter"),
    "conclude": ("penyelesaian", "concluding the case"),
}
_MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
_DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def reminder_slot(schema_name: str) -> int:
    """The five-minute slot of the hour in which a tenant's reminders are queued."""
    return (digest_slot(schema_name) + REMINDER_SLOT_OFFSET) % DIGEST_SLOTS


def reminders_run_now(schema_name: str, time_zone: str, now: datetime) -> bool:
    """Whether the beat run at ``now`` queues this tenant: its slot, and its working hours have begun."""
    return (
        reminder_slot(schema_name) == now.minute // 5
        and now.astimezone(ZoneInfo(time_zone)).hour >= FIRST_HOUR
    )


@dataclass(frozen=True)
class Notice:
    case: Case
    deadline: str  # a key of DEADLINE_LABELS
    due_on: date
    level: str  # REMINDER or ESCALATION


def notices_due(today: date) -> list[Notice]:
    """Every reminder and escalation the open, running cases call for on ``today`` (sent or not)."""
    # A reminder goes out from the working day before the due date (so up to the next
    # working day's deadlines are reminded today); an escalation once the due date has passed.
    reminder_horizon = add_working_days(today, 1)
    any_open_deadline_soon = Q()
    for field in DEADLINE_FIELDS:
        any_open_deadline_soon |= Q(
            **{f"{field}__lte": reminder_horizon, f"{DONE_FIELDS[field]}__isnull": True}
        )
    cases = (
        Case.objects.filter(any_open_deadline_soon, state__in=OPEN_STATES, paused_on__isnull=True)
        .exclude(state=CaseState.CLARIFICATION)  # waiting on the reporter: no clock runs
        .select_related("report", "assignee", "team")
        .order_by("pk")
    )
    notices = []
    for case in cases:
        for field in DEADLINE_FIELDS:
            due = getattr(case, field)
            if due is None or getattr(case, DONE_FIELDS[field]) is not None:
                continue
            deadline = field.removesuffix("_due")
            if due < today:
                notices.append(Notice(case, deadline, due, ESCALATION))
            elif due <= reminder_horizon:
                notices.append(Notice(case, deadline, due, REMINDER))
    return notices


def _staff() -> list[User]:
    return [
        user
        for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk")
        if HANDLER_ROLES & set(user.roles)
    ]


def _recipients(notice: Notice, staff: list[User], sees: dict[int, set[int]]) -> list[User]:
    """Who hears of a notice: only people who can act on the case (``casework.access``),
    the closest to it first; never nobody while anyone can act on it."""
    case = notice.case
    able = [user for user in staff if case.pk in sees[user.pk]]
    if notice.level == ESCALATION:
        supervisors = [user for user in able if StaffRole.SUPERVISOR in user.roles]
        return supervisors or able
    if case.assignee_id is not None:
        assignee = [user for user in able if user.pk == case.assignee_id]
        if assignee:
            return assignee
    if case.team_id is not None:
        member_ids = set(case.team.members.values_list("pk", flat=True)) if case.team else set()
        team = [user for user in able if user.pk in member_ids]
        if team:
            return team
    intake = [user for user in able if StaffRole.INTAKE_OFFICER in user.roles]
    return intake or able


def _format_date(day: date, language: str) -> str:
    if language == "en":
        return f"{_DAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{_DAYS_ID[day.weekday()]}, {day.day} {_MONTHS_ID[day.month - 1]} {day.year}"


# Per language: subject, the two section headings, the word before a date, the closing line.
_WORDING = {
    "en": (
        "[{tenant}] Case deadlines: {late} overdue, {soon} due soon",
        "These deadlines have passed:",
        "These deadlines fall due by the next working day:",
        "due",
        "Sign in to the staff pages to see the cases.",
    ),
    "id": (
        "[{tenant}] Tenggat kasus: {late} terlewat, {soon} segera jatuh tempo",
        "Tenggat berikut sudah terlewat:",
        "Tenggat berikut jatuh tempo paling lambat hari kerja berikutnya:",
        "tenggat",
        "Masuk ke halaman petugas untuk melihat kasusnya.",
    ),
}


def _message(recipient: User, notices: list[Notice], *, tenant: Tenant) -> EmailMessage:
    language = "en" if tenant.default_language == "en" else "id"
    subject_format, passed_heading, due_heading, due_word, closing = _WORDING[language]
    label_index = 1 if language == "en" else 0
    reminders = [n for n in notices if n.level == REMINDER]
    escalations = [n for n in notices if n.level == ESCALATION]
    subject = subject_format.format(tenant=tenant.short_name, late=len(escalations), soon=len(reminders))
    lines: list[str] = []
    for heading, group in ((passed_heading, escalations), (due_heading, reminders)):
        if group:
            lines.append(heading)
            lines += [
                f"- {n.case.report.reference}: {DEADLINE_LABELS[n.deadline][label_index]}, "
                f"{due_word} {_format_date(n.due_on, language)}"
                for n in group
            ]
            lines.append("")
    lines.append(closing)
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def send_deadline_reminders() -> int:
    """Send this tenant's due reminders and escalations, each once; returns how many were sent."""
    tenant = current_tenant()
    today = tenant_today()
    notices = notices_due(today)
    if not notices:
        return 0
    staff = _staff()
    case_ids = {notice.case.pk for notice in notices}
    sees = {
        user.pk: set(visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
        for user in staff
    }
    sent = 0
    with transaction.atomic():
        by_recipient: dict[int, list[Notice]] = defaultdict(list)
        people: dict[int, User] = {}
        for notice in notices:
            recipients = _recipients(notice, staff, sees)
            if not recipients:
                continue  # left unclaimed: sent once someone can receive it
            try:
                with transaction.atomic():
                    DeadlineReminder.objects.create(
                        case=notice.case, deadline=notice.deadline, due_on=notice.due_on, level=notice.level
                    )
            except IntegrityError:
                continue  # already sent (or being sent by a concurrent run)
            sent += 1
            for user in recipients:
                by_recipient[user.pk].append(notice)
                people[user.pk] = user
        if by_recipient:
            messages = [_message(people[pk], items, tenant=tenant) for pk, items in by_recipient.items()]
            # Inside the transaction: if sending fails, the claims roll back and the next run retries.
            get_connection(fail_silently=False).send_messages(messages)
    return sent
