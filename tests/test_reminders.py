"""Deadline reminders and escalations: when, to whom, once, never to the excluded, never with
report content; and the beat fan-out that spreads tenants over the hour."""

from collections import Counter
from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import factory
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from casework import tasks as casework_tasks
from casework.models import Case, CaseState, DeadlineReminder, Exclusion, Team
from casework.services import reminders
from casework.services.reminders import (
    DEADLINE_LABELS,
    reminder_slot,
    reminders_run_now,
    send_deadline_reminders,
)
from casework.tasks import send_reminders_due
from intake.models import Channel
from intake.tasks import DIGEST_SLOTS, digest_slot
from tenants.accounts.models import StaffRole, User
from tenants.db import connection
from tenants.models import Tenant
from tests.factories.accounts import StaffFactory, tenant_slug
from tests.factories.casework import CaseFactory

WHAT = "Pungutan liar di loket perizinan"
DESCRIPTION = "Petugas meminta uang tunai Rp 750.000 agar berkas didahulukan."
ACCUSED = "Bambang Sutrisno"
REPORT_WORDS = [WHAT, "Pungutan", "loket", DESCRIPTION, "750.000", ACCUSED, "Bambang", "Korupsi", "korupsi"]

ZONES = {"sukabumi": ZoneInfo("Asia/Jakarta"), "sulteng": ZoneInfo("Asia/Makassar")}

# A case received on Tuesday 10 March 2026 in Sukabumi (acknowledge 3, verify 5 working days):
RECEIVED = date(2026, 3, 10)
ACK_DUE = date(2026, 3, 13)  # Friday
VERIFY_DUE = date(2026, 3, 17)  # Tuesday, the last working day before the Idul Fitri week


class CaseFromLetter(CaseFactory):
    """A report received by letter on Tuesday 10 March 2026, its case given to the tenant's investigator."""

    channel = Channel.LETTER
    received_on = RECEIVED
    category = "korupsi"
    what = WHAT
    description = DESCRIPTION
    who = factory.List([factory.Dict({"name": ACCUSED, "position": "Kepala Seksi", "unit": "DPMPTSP"})])
    assignee = factory.LazyAttribute(lambda case: f"pemeriksa@{tenant_slug(case.tenant)}.example")


def staff(slug: str, local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{slug}.example")


def clock_at(monkeypatch, slug: str, day: date, hour: int = 9) -> None:
    """Make it ``hour`` o'clock on ``day`` in the tenant's own time zone."""
    instant = datetime.combine(day, time(hour, 0), tzinfo=ZONES[slug]).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)


def run(monkeypatch, slug: str, day: date) -> int:
    clock_at(monkeypatch, slug, day)
    return send_deadline_reminders()


def recipients(mails) -> list[str]:
    return sorted(address for mail in mails for address in mail.to)


def mail_to(mails, address: str):
    found = [mail for mail in mails if address in mail.to]
    assert len(found) == 1, f"expected one mail to {address}, got {len(found)}"
    return found[0]


@pytest.fixture
def in_sukabumi(sukabumi):
    with schema_context("sukabumi"):
        yield sukabumi


# --- when and to whom ---------------------------------------------------------------------------


def test_the_letter_these_tests_use_is_due_on_friday_and_tuesday(in_sukabumi):
    case = CaseFromLetter.create()
    assert (case.received_on, case.acknowledge_due, case.verification_due) == (RECEIVED, ACK_DUE, VERIFY_DUE)
    assert case.assignee == staff("sukabumi", "pemeriksa")


def test_nothing_two_working_days_before_a_deadline(in_sukabumi, monkeypatch, mailoutbox):
    CaseFromLetter.create()
    assert run(monkeypatch, "sukabumi", date(2026, 3, 11)) == 0  # Wednesday; acknowledge due Friday
    assert mailoutbox == []
    assert not DeadlineReminder.objects.exists()


def test_a_reminder_goes_to_the_assignee_one_working_day_before(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    assert run(monkeypatch, "sukabumi", date(2026, 3, 12)) == 1  # Thursday
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example"]
    mail = mailoutbox[0]
    assert case.report.reference in mail.body
    assert "konfirmasi penerimaan" in mail.body and "Jumat, 13 Maret 2026" in mail.body
    assert "verifikasi" not in mail.body  # due Tuesday: not yet
    assert "terlewat:" not in mail.body
    assert list(DeadlineReminder.objects.values_list("case", "deadline", "due_on", "level")) == [
        (case.pk, "acknowledge", ACK_DUE, "reminder")
    ]


def test_a_reminder_over_the_weekend_goes_out_on_friday(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create(received_on=date(2026, 3, 4))  # Wednesday
    assert (case.acknowledge_due, case.verification_due) == (date(2026, 3, 9), date(2026, 3, 11))
    assert run(monkeypatch, "sukabumi", date(2026, 3, 5)) == 0  # Thursday: two working days before
    assert run(monkeypatch, "sukabumi", date(2026, 3, 6)) == 1  # Friday: the working day before
    assert "Senin, 9 Maret 2026" in mailoutbox[0].body


def test_escalation_to_the_supervisors_once_a_deadline_has_passed(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    # Monday 16 March: acknowledging was due Friday; verifying is due tomorrow.
    assert run(monkeypatch, "sukabumi", date(2026, 3, 16)) == 2
    assert recipients(mailoutbox) == ["inspektur@sukabumi.example", "pemeriksa@sukabumi.example"]
    escalation = mail_to(mailoutbox, "inspektur@sukabumi.example")
    assert "sudah terlewat" in escalation.body and "konfirmasi penerimaan" in escalation.body
    assert "Jumat, 13 Maret 2026" in escalation.body and case.report.reference in escalation.body
    assert "verifikasi" not in escalation.body  # not overdue: the supervisors are not bothered
    reminder = mail_to(mailoutbox, "pemeriksa@sukabumi.example")
    assert "verifikasi kelengkapan" in reminder.body and "Selasa, 17 Maret 2026" in reminder.body
    assert "sudah terlewat" not in reminder.body  # the escalation is the supervisors' alone


def test_an_unassigned_case_reminds_the_intake_officers(in_sukabumi, monkeypatch, mailoutbox):
    CaseFromLetter.create(assignee=None)
    run(monkeypatch, "sukabumi", date(2026, 3, 12))
    assert recipients(mailoutbox) == ["verifikator@sukabumi.example"]


def test_a_case_assigned_to_a_team_reminds_its_members(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create(assignee=None)
    team = Team.objects.create(name="Tim Pemeriksa I")
    team.members.add(
        staff("sukabumi", "pemeriksa"), staff("sukabumi", "auditor")
    )  # an auditor handles nothing
    case.team = team
    case.save()
    run(monkeypatch, "sukabumi", date(2026, 3, 12))
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example"]


def test_each_reminder_and_escalation_is_sent_once(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    assert run(monkeypatch, "sukabumi", date(2026, 3, 12)) == 1  # reminder: acknowledge
    assert run(monkeypatch, "sukabumi", date(2026, 3, 12)) == 0  # the next hourly run
    assert run(monkeypatch, "sukabumi", date(2026, 3, 13)) == 0  # due day: already reminded
    assert len(mailoutbox) == 1
    assert run(monkeypatch, "sukabumi", date(2026, 3, 16)) == 2  # escalation: acknowledge; reminder: verify
    assert run(monkeypatch, "sukabumi", date(2026, 3, 16)) == 0
    assert run(monkeypatch, "sukabumi", date(2026, 3, 17)) == 0
    assert len(mailoutbox) == 3
    assert run(monkeypatch, "sukabumi", date(2026, 3, 18)) == 1  # Idul Fitri week: verification overdue
    assert run(monkeypatch, "sukabumi", date(2026, 3, 25)) == 0
    assert len(mailoutbox) == 4
    assert sorted(DeadlineReminder.objects.filter(case=case).values_list("deadline", "level")) == [
        ("acknowledge", "escalation"),
        ("acknowledge", "reminder"),
        ("verification", "escalation"),
        ("verification", "reminder"),
    ]


def test_a_notice_already_claimed_by_another_worker_is_skipped(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    DeadlineReminder.objects.create(case=case, deadline="acknowledge", due_on=ACK_DUE, level="escalation")
    assert run(monkeypatch, "sukabumi", date(2026, 3, 16)) == 1
    # The escalation was someone else's; the reminder in the same run still went out.
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example"]


def test_a_failed_send_is_retried_on_the_next_run(in_sukabumi, monkeypatch, mailoutbox):
    CaseFromLetter.create()

    class Down:
        def send_messages(self, messages):
            raise ConnectionError("SMTP server unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(reminders, "get_connection", lambda **kwargs: Down())
        with pytest.raises(ConnectionError):
            run(monkeypatch, "sukabumi", date(2026, 3, 12))
    assert not DeadlineReminder.objects.exists()
    assert run(monkeypatch, "sukabumi", date(2026, 3, 12)) == 1
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example"]


def test_a_moved_deadline_is_reminded_again(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    run(monkeypatch, "sukabumi", date(2026, 3, 12))
    case.acknowledge_due, case.verification_due = date(2026, 3, 26), date(2026, 4, 30)  # e.g. after a pause
    case.save()
    assert run(monkeypatch, "sukabumi", date(2026, 3, 25)) == 1
    assert len(mailoutbox) == 2 and "Kamis, 26 Maret 2026" in mailoutbox[-1].body
    assert sorted(DeadlineReminder.objects.values_list("due_on", flat=True)) == [ACK_DUE, date(2026, 3, 26)]


# --- who must not hear ---------------------------------------------------------------------------


def test_an_excluded_assignee_gets_nothing(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    pemeriksa = staff("sukabumi", "pemeriksa")
    # Still recorded as the assignee (the worst case): the exclusion wins.
    Exclusion.objects.create(case=case, user=pemeriksa, reason="keluarga terlapor")
    assert Case.objects.get(pk=case.pk).assignee_id == pemeriksa.pk
    run(monkeypatch, "sukabumi", date(2026, 3, 12))
    run(monkeypatch, "sukabumi", date(2026, 3, 16))
    assert "pemeriksa@sukabumi.example" not in recipients(mailoutbox)
    # The reminders went to the intake officer instead, the escalation to the supervisor.
    assert recipients(mailoutbox) == [
        "inspektur@sukabumi.example",
        "verifikator@sukabumi.example",
        "verifikator@sukabumi.example",
    ]


def test_an_excluded_supervisor_gets_no_escalation(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    StaffFactory.create(email="wakil@sukabumi.example", roles=[StaffRole.SUPERVISOR])
    Exclusion.objects.create(case=case, user=staff("sukabumi", "inspektur"), reason="terlapor adalah adiknya")
    run(monkeypatch, "sukabumi", date(2026, 3, 16))
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example", "wakil@sukabumi.example"]
    assert case.report.reference in mail_to(mailoutbox, "wakil@sukabumi.example").body


def test_an_excluded_person_hears_of_other_cases_but_not_this_one(in_sukabumi, monkeypatch, mailoutbox):
    hidden = CaseFromLetter.create(assignee=None)
    visible = CaseFromLetter.create(assignee=None)
    Exclusion.objects.create(case=hidden, user=staff("sukabumi", "verifikator"), reason="konflik")
    run(monkeypatch, "sukabumi", date(2026, 3, 12))
    mail = mail_to(mailoutbox, "verifikator@sukabumi.example")
    assert visible.report.reference in mail.body
    assert hidden.report.reference not in mail.body and hidden.report.reference not in mail.subject
    # With no intake officer left for the hidden case, it goes to whoever can act on it: the supervisor.
    assert recipients(mailoutbox) == ["inspektur@sukabumi.example", "verifikator@sukabumi.example"]
    supervisors = mail_to(mailoutbox, "inspektur@sukabumi.example")
    assert hidden.report.reference in supervisors.body and visible.report.reference not in supervisors.body
    assert DeadlineReminder.objects.filter(case=hidden).exists()


def test_a_paused_case_gets_nothing(in_sukabumi, monkeypatch, mailoutbox):
    paused = CaseFromLetter.create()
    running = CaseFromLetter.create()
    Case.objects.filter(pk=paused.pk).update(
        state=CaseState.CLARIFICATION, state_before_pause=CaseState.VERIFICATION, paused_on=date(2026, 3, 11)
    )
    run(monkeypatch, "sukabumi", date(2026, 3, 12))
    run(monkeypatch, "sukabumi", date(2026, 3, 16))
    bodies = "\n".join(mail.body for mail in mailoutbox)
    assert running.report.reference in bodies
    assert paused.report.reference not in bodies
    assert not DeadlineReminder.objects.filter(case=paused).exists()


def test_a_concluded_case_gets_nothing(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    Case.objects.filter(pk=case.pk).update(state=CaseState.CONCLUDED, concluded_on=date(2026, 3, 11))
    assert run(monkeypatch, "sukabumi", date(2026, 3, 16)) == 0
    assert mailoutbox == []


def test_done_steps_are_not_reminded(in_sukabumi, monkeypatch, mailoutbox):
    case = CaseFromLetter.create()
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFICATION, acknowledged_on=date(2026, 3, 11))
    run(monkeypatch, "sukabumi", date(2026, 3, 16))
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example"]  # verification reminder only
    assert "konfirmasi" not in mailoutbox[0].body


# --- what the mail says ----------------------------------------------------------------------------


def test_mails_carry_the_reference_and_the_date_but_nothing_from_the_report(
    in_sukabumi, monkeypatch, mailoutbox
):
    case = CaseFromLetter.create()
    run(monkeypatch, "sukabumi", date(2026, 3, 16))
    assert len(mailoutbox) == 2
    for mail in mailoutbox:
        text = f"{mail.subject}\n{mail.body}"
        assert case.report.reference in text
        assert mail.attachments == [] and len(mail.to) == 1
        for word in REPORT_WORDS:
            assert word not in text, f"{word!r} leaked into a deadline mail"
    assert mailoutbox[0].subject.startswith("[WBS Inspektorat Kota Sukabumi] Tenggat kasus")


def test_mails_are_in_the_tenants_language(in_sukabumi, monkeypatch, mailoutbox):
    Tenant.objects.filter(schema_name="sukabumi").update(default_language="en")
    CaseFromLetter.create()
    run(monkeypatch, "sukabumi", date(2026, 3, 16))
    escalation = mail_to(mailoutbox, "inspektur@sukabumi.example")
    assert "These deadlines have passed" in escalation.body
    assert f"{DEADLINE_LABELS['acknowledge'][1]}, due Friday 13 March 2026" in escalation.body
    assert "Tenggat" not in escalation.subject and "overdue" in escalation.subject


def test_each_tenant_reminds_by_its_own_day(sulteng, sukabumi, monkeypatch, mailoutbox):
    with schema_context("sukabumi"):
        in_sukabumi = CaseFromLetter.create()
    with schema_context("sulteng"):
        in_sulteng = CaseFromLetter.create(tenant="sulteng")
    # Friday 13 March 23:30 WIB is already Saturday 00:30 in Palu (WITA).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 13, 16, 30, tzinfo=UTC))
    with schema_context("sukabumi"):
        send_deadline_reminders()
        assert list(DeadlineReminder.objects.values_list("case", "deadline", "level")) == [
            (in_sukabumi.pk, "acknowledge", "reminder")  # due today, Friday
        ]
    with schema_context("sulteng"):
        send_deadline_reminders()
        assert list(DeadlineReminder.objects.values_list("case", "deadline", "level")) == [
            (in_sulteng.pk, "acknowledge", "escalation")  # due yesterday, Friday
        ]
    assert recipients(mailoutbox) == ["inspektur@sulteng.example", "pemeriksa@sukabumi.example"]


# --- the beat fan-out ---------------------------------------------------------------------------------


def test_two_thousand_tenants_are_spread_over_every_slot():
    slugs = [f"kab-{n:04d}" for n in range(2000)]
    per_slot = Counter(reminder_slot(slug) for slug in slugs)
    mean = len(slugs) / DIGEST_SLOTS
    assert set(per_slot) == set(range(DIGEST_SLOTS))
    assert min(per_slot.values()) > 0
    assert max(per_slot.values()) <= 2 * mean


def test_a_tenants_reminders_never_share_a_slot_with_its_digest():
    for slug in [f"kota-{n}" for n in range(500)] + ["sulteng", "sukabumi"]:
        assert reminder_slot(slug) != digest_slot(slug)


def test_no_tenant_is_queued_before_seven_in_its_own_time_zone():
    slot = reminder_slot("sukabumi")
    # 23:xx UTC on Sunday 15 March is 06:xx WIB but 07:xx WITA on Monday.
    before_dawn_in_wib = datetime(2026, 3, 15, 23, slot * 5 + 1, tzinfo=UTC)
    assert not reminders_run_now("sukabumi", "Asia/Jakarta", before_dawn_in_wib)
    assert reminders_run_now("sukabumi", "Asia/Makassar", before_dawn_in_wib)
    assert reminders_run_now("sukabumi", "Asia/Jakarta", before_dawn_in_wib.replace(day=16, hour=0))
    # ... and only in its slot.
    other_minute = ((slot + 1) % DIGEST_SLOTS) * 5
    assert not reminders_run_now(
        "sukabumi", "Asia/Jakarta", datetime(2026, 3, 16, 3, other_minute, tzinfo=UTC)
    )


def test_the_beat_task_queues_the_tenants_whose_slot_it_is(sulteng, sukabumi, monkeypatch):
    queued: list[str] = []
    monkeypatch.setattr(
        casework_tasks,
        "send_deadline_reminders",
        SimpleNamespace(delay=lambda: queued.append(connection.schema_name)),
    )
    slot = reminder_slot("sukabumi")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 16, 3, slot * 5 + 2, tzinfo=UTC))
    send_reminders_due()
    assert "sukabumi" in queued
    assert ("sulteng" in queued) == (reminder_slot("sulteng") == slot)
    queued.clear()
    other = (slot + 1) % DIGEST_SLOTS
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 16, 3, other * 5, tzinfo=UTC))
    send_reminders_due()
    assert "sukabumi" not in queued


def test_the_beat_task_runs_the_reminders_inside_the_tenant(sukabumi, monkeypatch, mailoutbox):
    with schema_context("sukabumi"):
        case = CaseFromLetter.create()
    connection.set_schema_to_public()
    slot = reminder_slot("sukabumi")
    # Thursday 12 March, 10:xx WIB (03:xx UTC), in Sukabumi's slot. Tasks run eagerly in tests.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 12, 3, slot * 5 + 1, tzinfo=UTC))
    assert send_reminders_due() >= 1
    assert recipients(mailoutbox) == ["pemeriksa@sukabumi.example"]
    assert case.report.reference in mailoutbox[0].body
