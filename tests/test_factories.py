"""The suite's factories make what they say, through the services: a case reaches each
state by the workflow's own steps, each on its timeline and in the audit trail."""

import pytest
from django_tenants.utils import schema_context

from casework.models import CaseEvent, CaseState
from casework.workflow import TRANSITIONS
from intake.models import Channel
from tenants.audit.models import AuditEntry
from tenants.audit.trail import audit_verify
from tests.factories.casework import CaseFactory, route_to
from tests.factories.intake import ReportFactory


@pytest.mark.parametrize("state", list(CaseState.values))
def test_a_case_reaches_each_state_through_the_workflow(sukabumi, state):
    case = CaseFactory.create(state=state)
    assert case.state == state
    with schema_context("sukabumi"):
        steps = CaseEvent.objects.filter(case=case, kind__in=["received", *TRANSITIONS]).order_by("pk")
        timeline = list(steps.values_list("kind", flat=True))
        trail = AuditEntry.objects.filter(case_id=case.pk, action__startswith="transition:")
        assert timeline == ["received", *route_to(state)]
        assert [entry.action for entry in trail.order_by("pk")] == [
            f"transition:{t}" for t in route_to(state)
        ]
        assert audit_verify()[1] == []


def test_a_report_by_letter_arrives_with_its_receipt_and_files(sulteng, evidence_in_tmp):
    arrival = ReportFactory.create(tenant=sulteng, channel=Channel.LETTER, with_pdf=True, consent=False)
    assert arrival.receipt
    with schema_context("sulteng"):
        report = arrival.report
        assert report.channel == Channel.LETTER and report.attachments.count() == 1
        assert (
            CaseFactory.create(tenant=sulteng, arrival=arrival, state=CaseState.VERIFICATION).pk
            == arrival.case_id
        )
