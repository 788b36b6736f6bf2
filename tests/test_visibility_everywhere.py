"""The case list's visibility everywhere else: the audit trail page, the staff digest,
deadline reminders and the dashboard's counts show a reader only what need-to-know and
exclusions let them know of."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.deadlines import DEADLINE_FIELDS, DONE_FIELDS
from casework.models import Case
from casework.services.cases import case_add_note, case_exclude
from casework.services.reminders import send_deadline_reminders
from intake.tasks import send_staff_digest
from tenants.accounts.models import User
from tests.factories.casework import CaseFactory
from tests.support.casework import EMAIL, TENANT, staff_client_of

SUPERVISOR, OFFICER, INVESTIGATOR = EMAIL["supervisor"], EMAIL["intake_officer"], EMAIL["investigator"]
ADMIN, AUDITOR = EMAIL["administrator"], EMAIL["auditor"]


def user(email: str) -> User:
    with schema_context(TENANT):
        return User.objects.get(email=email)


def exclude(case: Case, person: str) -> None:
    with schema_context(TENANT):
        case_exclude(case=case, actor=user(SUPERVISOR), user_id=user(person).pk, reason="kerabat terlapor")


def trail_cases(email: str) -> set[str]:
    """The case references in the first page of the audit trail as this person reads it."""
    page = staff_client_of(email).get("/staff/audit/")
    assert page.status_code == 200
    return set(re.findall(r'<td class="nowrap">(WBS-\d{4}-\w+)</td>', page.content.decode()))


# --- The audit trail page -------------------------------------------------------------------------


def test_the_audit_trail_hides_a_case_from_the_people_excluded_from_it(sukabumi):
    hidden, shown = CaseFactory.create(), CaseFactory.create()
    with schema_context(TENANT):  # a staff action: reporters' own entries reach the trail a day later
        case_add_note(case=shown, actor=user(SUPERVISOR), body="Dibaca.")
    exclude(hidden, AUDITOR)
    # The auditor sees nothing of the case, their own exclusion included...
    assert shown.reference in trail_cases(AUDITOR)
    assert hidden.reference not in trail_cases(AUDITOR)
    page = staff_client_of(AUDITOR).get("/staff/audit/").content.decode()
    assert "excluded_user_id" not in page
    # ...while the administrator, who is not excluded, sees the supervisor's action on it.
    admin_page = staff_client_of(ADMIN).get("/staff/audit/").content.decode()
    assert hidden.reference in trail_cases(ADMIN)
    assert re.search(
        rf"{re.escape(SUPERVISOR)}</td>\s*<td title=\"exclude\">[^<]+</td>\s*<td class=\"nowrap\">{hidden.reference}</td>",
        admin_page,
    )


def test_an_excluded_administrator_sees_no_entry_of_the_case_either(sukabumi):
    hidden = CaseFactory.create()
    exclude(hidden, ADMIN)
    assert hidden.reference not in trail_cases(ADMIN)
    assert hidden.reference in trail_cases(AUDITOR)


# --- The staff digest -----------------------------------------------------------------------------


def digest_counts(mailoutbox) -> dict[str, tuple[int, int]]:
    counts = {}
    for mail in mailoutbox:
        found = re.search(r"(\d+) laporan baru, (\d+) balasan pelapor", mail.subject)
        assert found, mail.subject
        (address,) = mail.to
        counts[address] = (int(found.group(1)), int(found.group(2)))
    return counts


def test_the_digest_counts_only_what_its_reader_may_see(sukabumi, mailoutbox):
    in_intake = CaseFactory.create(replies=["Ini tambahan bukti."])
    investigators = CaseFactory.create(state="examination", assignee=INVESTIGATOR, replies=["Balasan."])
    hidden = CaseFactory.create(replies=["Balasan lain."])
    exclude(hidden, OFFICER)
    with schema_context(TENANT):
        assert send_staff_digest() == 6
    counts = digest_counts(mailoutbox)
    assert counts[OFFICER] == (1, 1)  # the case in intake only: not the examination, not the excluded one
    assert counts[INVESTIGATOR] == (1, 1)  # their own case
    assert counts[SUPERVISOR] == (3, 3)
    assert ADMIN not in counts and AUDITOR not in counts
    assert in_intake.pk != investigators.pk != hidden.pk


# --- Deadline reminders ---------------------------------------------------------------------------


def test_a_reminder_goes_to_the_people_who_can_act_on_the_case(sukabumi, monkeypatch, mailoutbox):
    """A case in desk review with nobody assigned: intake officers no longer see it, so the
    reminder goes to those who can act on it (the supervisors), not to nobody."""
    case = CaseFactory.create(state="desk_review", received_on=date(2026, 3, 2))
    with schema_context(TENANT):
        fresh = Case.objects.get(pk=case.pk)
        first_due = min(
            getattr(fresh, field)
            for field in DEADLINE_FIELDS
            if getattr(fresh, field) and getattr(fresh, DONE_FIELDS[field]) is None
        )
    day_before = datetime.combine(first_due - timedelta(days=1), time(9), tzinfo=ZoneInfo("Asia/Jakarta"))
    monkeypatch.setattr(timezone, "now", lambda: day_before.astimezone(UTC))
    with schema_context(TENANT):
        assert send_deadline_reminders() == 1
    assert [mail.to for mail in mailoutbox] == [[SUPERVISOR]]
    assert case.report.reference in mailoutbox[0].body


# --- The dashboard --------------------------------------------------------------------------------


def dashboard_figures(email: str) -> list[str]:
    html = staff_client_of(email).get("/staff/dasbor/").content.decode()
    figures = re.findall(r'<span class="stat-value">([^<]*)</span>', html)
    assert figures, "no figures on the dashboard"
    return figures


@pytest.mark.parametrize(("email", "colleague"), [(AUDITOR, ADMIN), (ADMIN, AUDITOR)])
def test_an_excluded_overseer_does_not_count_the_case(sukabumi, email, colleague):
    before, colleagues_before = dashboard_figures(email), dashboard_figures(colleague)
    fresh = CaseFactory.create()
    exclude(fresh, email)
    assert dashboard_figures(email) == before
    assert dashboard_figures(colleague) != colleagues_before  # who is not excluded counts it
