"""Deadlines in working days: holidays (the Idul Fitri week of 2026), weekends, the year's end,
pauses while waiting on the reporter, reopening, and the tenant's own time zone (WITA vs WIB)."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from casework import deadlines
from casework.deadlines import (
    add_working_days,
    after_transition,
    is_working_day,
    refresh_next_due,
    schedule_new_case,
    working_days_between,
)
from casework.models import Case, CaseState, DeadlinePolicy
from intake.models import Channel, Report
from tenants.onboarding import primary_hostname
from tests.factories.casework import CaseFactory
from tests.support.intake_api import with_proof

S = CaseState

# 2026: Wed 18 Mar joint leave for Nyepi, Thu 19 Nyepi, Fri 20 joint leave, Sat 21 + Sun 22 Idul
# Fitri, Mon 23 + Tue 24 joint leave. Tue 17 and Wed 25 are ordinary working days.
IDUL_FITRI_WEEK = [date(2026, 3, 18) + timedelta(days=n) for n in range(7)]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# --- the calendar -----------------------------------------------------------------------------


def test_the_idul_fitri_week_has_no_working_day_and_its_neighbours_are_working_days():
    assert [is_working_day(day) for day in IDUL_FITRI_WEEK] == [False] * 7
    assert is_working_day(date(2026, 3, 17)) and is_working_day(date(2026, 3, 25))
    # Joint leave (cuti bersama) counts as a day off, not only the holidays themselves.
    assert not is_working_day(date(2026, 3, 23))  # Monday, joint leave
    assert not is_working_day(date(2026, 12, 24))  # Thursday, Christmas joint leave


def test_weekends_are_off_and_ordinary_weekdays_are_working_days():
    week = days(date(2026, 3, 2), date(2026, 3, 8))  # Mon..Sun, no holiday
    assert [is_working_day(day) for day in week] == [True] * 5 + [False] * 2


def test_three_working_days_from_the_tuesday_before_idul_fitri():
    # The receipt day is not counted: Wed 25, Thu 26, Fri 27 March.
    assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)
    # Without the holidays it would have been Friday 20 March.
    assert working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3


def test_working_days_over_a_weekend():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri -> Mon
    assert add_working_days(date(2026, 3, 5), 3) == date(2026, 3, 10)  # Thu -> Fri, Mon, Tue
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1


def test_received_on_a_day_off_is_due_as_if_received_the_working_day_before():
    friday, saturday, sunday = date(2026, 3, 13), date(2026, 3, 14), date(2026, 3, 15)
    assert add_working_days(friday, 3) == add_working_days(saturday, 3) == add_working_days(sunday, 3)
    assert add_working_days(saturday, 3) == date(2026, 3, 25)  # Mon 16, Tue 17, (Idul Fitri), Wed 25
    # Received on Idul Fitri itself: the first working day after it counts as day 1.
    assert add_working_days(date(2026, 3, 21), 1) == date(2026, 3, 25)
    assert add_working_days(date(2026, 3, 21), 3) == date(2026, 3, 27)


def test_a_due_date_is_always_a_working_day_even_for_zero_days():
    assert add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 16)  # Saturday -> Monday
    assert add_working_days(date(2026, 3, 18), 0) == date(2026, 3, 25)  # into the Idul Fitri week
    assert add_working_days(date(2026, 3, 17), 0) == date(2026, 3, 17)  # already a working day
    for start in days(date(2026, 1, 1), date(2026, 12, 31)):
        for count in (0, 1, 3, 5, 14, 60):
            assert is_working_day(add_working_days(start, count)), (start, count)


def test_counting_back_one_working_day():
    assert add_working_days(date(2026, 3, 25), -1) == date(2026, 3, 17)  # back over Idul Fitri
    assert add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)  # Monday -> Friday
    assert add_working_days(date(2027, 1, 4), -1) == date(2026, 12, 31)  # back over New Year


def test_deadlines_across_the_year_boundary():
    # Wed 23 Dec 2026; 24 and 25 Dec are off, then the weekend.
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    # ... Thu 31 Dec is day 4; Fri 1 Jan 2027 is New Year, then a weekend: Mon 4 Jan is day 5.
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5


def test_counting_forward_and_between_agree_all_year():
    for start in days(date(2026, 1, 1), date(2026, 12, 31)):
        for count in (1, 3, 10, 60):
            assert working_days_between(start, add_working_days(start, count)) == count, (start, count)


def test_working_days_between_is_zero_when_the_end_is_not_after_the_start():
    assert working_days_between(date(2026, 3, 25), date(2026, 3, 25)) == 0
    assert working_days_between(date(2026, 3, 25), date(2026, 3, 17)) == 0


# --- a case's deadlines -----------------------------------------------------------------------


@pytest.fixture
def in_sukabumi(sukabumi):
    """Sukabumi (a city): acknowledge 3, verify 5, answer 14, conclude 60 working days."""
    with schema_context("sukabumi"):
        policy = DeadlinePolicy.objects.get()
        assert (policy.acknowledge_days, policy.verification_days, policy.answer_days) == (3, 5, 14)
        assert policy.conclude_days == 60
        yield policy


class CaseByLetter(CaseFactory):
    """A case in Sukabumi opened by a letter received on ``received_on``: its deadlines
    are set as the report arrives."""

    tenant = "sukabumi"
    channel = Channel.LETTER


def move(case: Case, to_state: str, today: date) -> None:
    from_state = case.state
    if to_state == S.CLARIFICATION:
        case.state_before_pause = from_state
    case.state = to_state
    after_transition(case, from_state=from_state, to_state=to_state, today=today)


def test_a_new_case_is_due_in_working_days_of_the_tenants_policy(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 3, 17))
    assert case.acknowledge_due == date(2026, 3, 27)
    assert case.verification_due == date(2026, 3, 31)  # 25, 26, 27, 30, 31
    assert case.answer_due is not None and case.conclude_due is not None
    assert working_days_between(date(2026, 3, 17), case.answer_due) == 14
    assert working_days_between(date(2026, 3, 17), case.conclude_due) == 60
    assert case.next_due == case.acknowledge_due

    in_sukabumi.acknowledge_days = 1
    in_sukabumi.save()
    assert CaseByLetter.create(received_on=date(2026, 3, 17)).acknowledge_due == date(2026, 3, 25)


def test_a_case_without_a_receipt_date_is_refused(in_sukabumi):
    with pytest.raises(ValueError):
        schedule_new_case(Case())


def test_pausing_over_the_idul_fitri_week_moves_deadlines_by_the_working_days_waited(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 3, 10))  # Tuesday
    assert (case.acknowledge_due, case.verification_due) == (date(2026, 3, 13), date(2026, 3, 17))
    answer_due, conclude_due = case.answer_due, case.conclude_due
    move(case, S.VERIFICATION, date(2026, 3, 11))
    assert case.acknowledged_on == date(2026, 3, 11) and case.next_due == date(2026, 3, 17)

    move(case, S.CLARIFICATION, date(2026, 3, 16))  # Monday
    assert case.paused_on == date(2026, 3, 16)
    assert case.next_due is None  # no clock runs while waiting on the reporter

    # Resumed Thursday 26 March: ten calendar days, but only Tue 17, Wed 25, Thu 26 were working days.
    move(case, S.VERIFICATION, date(2026, 3, 26))
    assert case.paused_on is None
    assert case.verification_due == date(2026, 3, 27)  # 17 March + 3 working days
    assert case.answer_due == add_working_days(answer_due, 3)
    assert case.conclude_due == add_working_days(conclude_due, 3)
    assert case.acknowledge_due == date(2026, 3, 13)  # done before the pause: not moved
    assert case.next_due == date(2026, 3, 27)


def test_a_pause_inside_the_holidays_costs_only_the_working_day_of_resuming(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 3, 16))
    move(case, S.VERIFICATION, date(2026, 3, 16))
    assert case.verification_due == date(2026, 3, 30)  # Tue 17, Wed 25, Thu 26, Fri 27, Mon 30
    move(case, S.CLARIFICATION, date(2026, 3, 17))  # paused Tuesday, resumed Wednesday 25 March:
    move(case, S.VERIFICATION, date(2026, 3, 25))  # one working day waited, not eight calendar days
    assert case.verification_due == date(2026, 3, 31)


def test_resuming_the_same_day_moves_nothing(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 3, 10))
    move(case, S.VERIFICATION, date(2026, 3, 11))
    before = (case.verification_due, case.answer_due, case.conclude_due)
    move(case, S.CLARIFICATION, date(2026, 3, 12))
    move(case, S.VERIFICATION, date(2026, 3, 12))
    assert (case.verification_due, case.answer_due, case.conclude_due) == before
    assert case.paused_on is None and case.next_due == before[0]


def test_an_examination_answers_the_reporter_and_a_conclusion_ends_every_clock(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 3, 2))
    move(case, S.VERIFICATION, date(2026, 3, 3))
    move(case, S.DESK_REVIEW, date(2026, 3, 5))
    assert case.verified_on == date(2026, 3, 5) and case.next_due == case.answer_due
    move(case, S.EXAMINATION, date(2026, 3, 9))
    assert case.answered_on == date(2026, 3, 9) and case.next_due == case.conclude_due
    move(case, S.CONCLUDED, date(2026, 4, 6))
    assert (case.concluded_on, case.answered_on) == (date(2026, 4, 6), date(2026, 3, 9))
    assert case.next_due is None
    move(case, S.CLOSED, date(2026, 4, 20))
    assert case.closed_on == date(2026, 4, 20) and case.next_due is None


def test_reopening_gives_fresh_periods_from_the_day_of_reopening(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 1, 5))
    move(case, S.VERIFICATION, date(2026, 1, 6))
    move(case, S.CONCLUDED, date(2026, 1, 8))  # straight from verification: not a violation
    move(case, S.CLOSED, date(2026, 1, 22))
    old_answer_due, old_conclude_due = case.answer_due, case.conclude_due

    move(case, S.DESK_REVIEW, date(2026, 3, 17))  # the reporter objected
    assert (case.answered_on, case.concluded_on, case.closed_on) == (None, None, None)
    assert case.answer_due == add_working_days(date(2026, 3, 17), 14) != old_answer_due
    assert case.conclude_due == add_working_days(date(2026, 3, 17), 60) != old_conclude_due
    assert case.answer_due == date(2026, 4, 14)  # 25 Mar ... 2 Apr, (Good Friday 3 Apr), 6 ... 14 Apr
    # Verification ended with the first conclusion; its old deadline does not come back overdue.
    assert case.verified_on == date(2026, 1, 8)
    assert case.next_due == case.answer_due


def test_refresh_next_due_takes_the_earliest_open_deadline(in_sukabumi):
    case = CaseByLetter.create(received_on=date(2026, 3, 2))
    case.acknowledged_on = date(2026, 3, 3)
    refresh_next_due(case)
    assert case.next_due == case.verification_due
    case.state = S.CLOSED
    refresh_next_due(case)
    assert case.next_due is None


# --- the tenant's own day: WITA (Sulteng) vs WIB (Sukabumi) -------------------------------------


def submit_at(monkeypatch, slug: str, instant: datetime) -> Case:
    """Submit a report through the public API while the clock shows ``instant``."""
    monkeypatch.setattr(timezone, "now", lambda: instant)
    client = Client(HTTP_HOST=primary_hostname(slug))
    response = client.post(
        "/api/v1/intake/reports",
        json.dumps(
            with_proof(client, {"category": "korupsi", "what": "Mark-up", "description": "Harga dinaikkan."})
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    with schema_context(slug):
        report = Report.objects.order_by("-pk").first()
        assert report is not None
        return Case.objects.select_related("report").get(report=report)


def test_thursday_2330_wib_is_friday_in_wita_and_the_idul_fitri_week_makes_it_eight_days(
    sulteng, sukabumi, monkeypatch
):
    instant = datetime(2026, 3, 12, 16, 30, tzinfo=UTC)  # Thu 23:30 WIB = Fri 00:30 WITA
    in_sukabumi = submit_at(monkeypatch, "sukabumi", instant)
    in_sulteng = submit_at(monkeypatch, "sulteng", instant)
    assert in_sukabumi.received_on == in_sukabumi.report.received_on == date(2026, 3, 12)
    assert in_sulteng.received_on == in_sulteng.report.received_on == date(2026, 3, 13)
    # Sukabumi: Fri 13, Mon 16, Tue 17. Sulteng: Mon 16, Tue 17, then after Idul Fitri Wed 25.
    assert in_sukabumi.acknowledge_due == date(2026, 3, 17)
    assert in_sulteng.acknowledge_due == date(2026, 3, 25)
    assert in_sukabumi.next_due == date(2026, 3, 17) and in_sulteng.next_due == date(2026, 3, 25)


def test_friday_2330_wib_is_saturday_in_wita_with_the_same_acknowledge_date(sulteng, sukabumi, monkeypatch):
    instant = datetime(2026, 3, 13, 16, 30, tzinfo=UTC)  # Fri 23:30 WIB = Sat 00:30 WITA
    in_sukabumi = submit_at(monkeypatch, "sukabumi", instant)
    in_sulteng = submit_at(monkeypatch, "sulteng", instant)
    assert in_sukabumi.received_on == date(2026, 3, 13)
    assert in_sulteng.received_on == date(2026, 3, 14)
    # Received late on Friday or on Saturday: both get Mon 16, Tue 17 and (after Idul Fitri) Wed 25.
    assert in_sukabumi.acknowledge_due == in_sulteng.acknowledge_due == date(2026, 3, 25)
    # Verification follows each tenant's policy (a province gets 10 working days, a city 5).
    assert in_sukabumi.verification_due == date(2026, 3, 27)
    assert in_sulteng.verification_due == date(2026, 4, 6)  # ... Thu 2 Apr, (Good Friday 3 Apr), Mon 6


def test_a_moment_earlier_both_tenants_agree_on_the_day(sulteng, sukabumi, monkeypatch):
    instant = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)  # Thu 22:30 WIB = Thu 23:30 WITA
    assert submit_at(monkeypatch, "sukabumi", instant).received_on == date(2026, 3, 12)
    assert submit_at(monkeypatch, "sulteng", instant).received_on == date(2026, 3, 12)


def test_the_policy_is_read_from_the_tenant_schema(sulteng, sukabumi):
    with schema_context("sulteng"):
        assert deadlines.current_policy().verification_days == 10
    with schema_context("sukabumi"):
        assert deadlines.current_policy().verification_days == 5
