"""The demo's sample cases: every state and outcome in each seed tenant, made
through the real intake and workflow, seeded once, with a receipt that works."""

import pytest
from django_tenants.utils import schema_context

from casework.models import Case, CaseState, Exclusion, IdentityRequest, InternalNote, Outcome
from intake.encryption import report_key
from intake.models import Channel, IdentityMode, Message, MessageAuthor, Report
from intake.services.mailbox import mailbox_open
from wbs.demo.demo_cases import seed_demo_cases


@pytest.fixture(autouse=True)
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_every_state_and_outcome_is_seeded_once_with_a_working_receipt(sulteng, sukabumi):
    first = seed_demo_cases()
    assert [item.tenant.schema_name for item in first] == ["sulteng", "sukabumi"]
    counts = {}
    for item in first:
        with schema_context(item.tenant.schema_name):
            cases = Case.objects.select_related("report")
            counts[item.tenant.schema_name] = cases.count()
            assert {case.state for case in cases} == set(CaseState.values)
            concluded = {case.outcome for case in cases if case.state == CaseState.CONCLUDED}
            assert concluded >= set(Outcome.values)
            channels = {case.report.channel for case in cases}
            assert {Channel.WEB, Channel.LETTER, Channel.IN_PERSON} <= channels
            assert {case.report.identity_mode for case in cases} == set(IdentityMode.values)
            assert all(case.retain_until is not None for case in cases if case.state == CaseState.CLOSED)
            assert Exclusion.objects.exists()
            assert IdentityRequest.objects.filter(status="pending").exists()
            assert InternalNote.objects.exists()
            assert Message.objects.filter(author=MessageAuthor.STAFF).exists()
            # Sealed like real reports.
            report = Report.objects.first()
            assert report is not None
            assert report_key(report).open_json("narrative", bytes(report.sealed_narrative))["what"]
            # The printed receipt opens the showcase report's mailbox.
            _token, opened = mailbox_open(receipt=item.receipt)
            assert opened.reference == item.reference and item.state == CaseState.CLARIFICATION
    with schema_context("sukabumi"):
        assert Message.objects.filter(author=MessageAuthor.REPORTER).exists()
        assert Case.objects.filter(forwarded_to_slug="sulteng").exists()
    with schema_context("sulteng"):
        assert Case.objects.filter(forwarded_from_slug="sukabumi", report__channel=Channel.FORWARDED).exists()

    second = seed_demo_cases()
    for item in second:
        with schema_context(item.tenant.schema_name):
            assert Case.objects.count() == counts[item.tenant.schema_name]
            _token, opened = mailbox_open(receipt=item.receipt)
            assert opened.reference == item.reference
    assert [item.receipt for item in second] != [item.receipt for item in first]
