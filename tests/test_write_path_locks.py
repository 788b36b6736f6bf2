"""The audit-chain lock and files: two tenants forwarding to each other at the same moment
both succeed (no deadlock), and a report whose files cannot all be stored leaves
neither a report nor a file behind."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django_tenants.utils import schema_context

from casework import deadlines
from casework.models import Case, Outcome
from casework.services.forwarding import case_forward
from intake.models import Attachment, Report
from intake.report_input import parse_report
from intake.services.reports import report_submit
from tenants.accounts.models import StaffRole, User
from tenants.audit.trail import audit_verify
from tenants.db import connection
from tenants.models import Domain, RegionKind, Tenant, TimeZone
from tenants.onboarding import TenantApplication
from tests.factories.accounts import StaffFactory
from tests.factories.intake import ReportFactory
from tests.support.evidence import jpeg_with_gps
from wbs.onboarding import tenant_onboard

REPORT = {
    "category": "korupsi",
    "what": "Dugaan suap pengadaan",
    "description": "Panitia pengadaan menerima uang dari penyedia.",
    "identity_mode": "anonymous",
}
PAIR = ("lockcity", "lockprov")


def _onboard(slug: str) -> Tenant:
    return tenant_onboard(
        TenantApplication(
            slug=slug,
            official_name=f"Inspektorat {slug}",
            short_name=f"WBS {slug}",
            region_kind=RegionKind.CITY,
            time_zone=TimeZone.WIB,
            admin_email=f"admin@{slug}.example",
        )
    ).tenant


@pytest.fixture
def two_committed_tenants(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Tenant, Tenant]]:
    """Two tenants of their own, committed (the threads below use their own connections),
    each with a supervisor and an open case; dropped again afterwards."""
    with django_db_blocker.unblock():
        tenants = tuple(_onboard(slug) for slug in PAIR)
        for tenant in tenants:
            StaffFactory.create(
                tenant=tenant, email=f"inspektur@{tenant.schema_name}.example", roles=[StaffRole.SUPERVISOR]
            )
            ReportFactory.create(tenant=tenant, channel="letter", category="korupsi")
        try:
            yield tenants  # type: ignore[misc]
        finally:
            connection.set_schema_to_public()
            with connection.cursor() as cursor:
                for slug in PAIR:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')
            Domain.objects.filter(tenant__schema_name__in=PAIR).delete()
            Tenant.objects.filter(schema_name__in=PAIR).delete()


def test_two_tenants_forwarding_to_each_other_at_once_both_succeed(two_committed_tenants, monkeypatch):
    city, province = two_committed_tenants
    # Both forwards reach the middle of their work (the receiving half written, the
    # sending half not yet) before either goes on: the moment a lock taken in the
    # wrong order would deadlock. If one forward cannot reach it (it waits for the
    # other's lock), the other goes on after a moment.
    halfway = threading.Barrier(2, timeout=3)
    original_after_transition = deadlines.after_transition

    def after_transition_at_the_same_time(*args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            halfway.wait()
        original_after_transition(*args, **kwargs)

    monkeypatch.setattr(deadlines, "after_transition", after_transition_at_the_same_time)
    outcomes: dict[str, object] = {}

    def forward(sender: Tenant, receiver: Tenant) -> None:
        try:
            with schema_context(sender.schema_name):
                case = Case.objects.get()
                actor = User.objects.get(email=f"inspektur@{sender.schema_name}.example")
                result = case_forward(
                    case=case,
                    actor=actor,
                    to_tenant_slug=receiver.schema_name,
                    pass_fields={"what", "description"},
                )
                outcomes[sender.schema_name] = result.received_reference
        except Exception as error:  # reported below with the other thread's outcome
            outcomes[sender.schema_name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=forward, args=(city, province)),
        threading.Thread(target=forward, args=(province, city)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(outcome, str) for outcome in outcomes.values()), outcomes
    assert set(outcomes) == set(PAIR)
    for tenant in (city, province):
        with schema_context(tenant.schema_name):
            assert Case.objects.filter(outcome=Outcome.FORWARDED).count() == 1
            assert Case.objects.filter(report__channel="forwarded").count() == 1
            checked, problems = audit_verify()
            assert checked > 0 and problems == []


def test_a_file_that_cannot_be_stored_leaves_no_report_and_no_file(sukabumi, evidence_in_tmp, monkeypatch):
    real_save = default_storage.save
    saved: list[str] = []

    def save_then_fail(name: str, content: Any, **kwargs: Any) -> str:
        if saved:  # the second file: the storage (S3 in production) fails
            raise OSError("storage unavailable")
        saved.append(real_save(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", save_then_fail)
    files = [SimpleUploadedFile(name, jpeg_with_gps()) for name in ("satu.jpg", "dua.jpg")]
    with schema_context("sukabumi"):
        reports_before = Report.objects.count()
        with pytest.raises(OSError):
            report_submit(draft=parse_report(REPORT), files=files)
        assert Report.objects.count() == reports_before
        assert not Attachment.objects.exists()
    assert len(saved) == 1, "the first file was stored before the failure"
    assert [path for path in evidence_in_tmp.rglob("*") if path.is_file()] == []


def test_a_report_that_cannot_be_written_leaves_no_file(sukabumi, evidence_in_tmp, monkeypatch):
    from intake.services import reports

    def no_database(**kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reports, "record_files", no_database)
    with schema_context("sukabumi"):
        reports_before = Report.objects.count()
        with pytest.raises(RuntimeError):
            report_submit(
                draft=parse_report(REPORT), files=[SimpleUploadedFile("bukti.jpg", jpeg_with_gps())]
            )
        assert Report.objects.count() == reports_before
    assert [path for path in evidence_in_tmp.rglob("*") if path.is_file()] == []
