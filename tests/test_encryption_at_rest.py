"""Envelope encryption: rotation keeps every report readable; shredding makes it unreadable."""

import base64
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import schema_context

from intake.encryption import KeyUnavailable, current_tenant_key, report_key
from intake.models import IntakeSettings, KeyPurpose, Report, TenantKey
from tenants.onboarding import primary_hostname
from tenants.shared_memo import tenant_rows
from tests.support.intake_api import FULL_REPORT, with_proof


def submit_report() -> Report:
    client = Client(HTTP_HOST=primary_hostname("sukabumi"))
    assert (
        client.post(
            "/api/v1/intake/reports",
            json.dumps(with_proof(client, FULL_REPORT)),
            content_type="application/json",
        ).status_code
        == 201
    )
    with schema_context("sukabumi"):
        return Report.objects.latest("pk")


def narrative_of(report: Report) -> dict:
    with schema_context("sukabumi"):
        report.refresh_from_db()
        return report_key(report).open_json("narrative", bytes(report.sealed_narrative))


def test_rotating_the_data_key_keeps_old_reports_readable(sukabumi):
    report = submit_report()
    sealed_before = bytes(report.sealed_narrative)
    wrapped_before = bytes(report.wrapped_key)

    call_command("rotate_keys", tenant="sukabumi", data=True)

    with schema_context("sukabumi"):
        assert list(TenantKey.objects.filter(purpose=KeyPurpose.DATA).values_list("version", flat=True)) == [
            2
        ]
        report.refresh_from_db()
    assert report.key_version == 2
    assert bytes(report.wrapped_key) != wrapped_before
    assert bytes(report.sealed_narrative) == sealed_before  # only the key wrapping changed
    assert narrative_of(report)["what"] == FULL_REPORT["what"]
    # New reports use the new version and are readable too.
    assert submit_report().key_version == 2


def test_a_process_that_missed_a_rotation_still_stores_readable_reports(sukabumi):
    """Another process rotated the data key and this one has not heard yet: its
    remembered key version is gone, so the report is sealed again under the new one."""
    with schema_context("sukabumi"):
        IntakeSettings.current()  # its first read creates it, which would clear the memo below
        stale = current_tenant_key(KeyPurpose.DATA)
    call_command("rotate_keys", tenant="sukabumi", data=True)
    with schema_context("sukabumi"):
        tenant_rows._values[("sukabumi", f"key:{KeyPurpose.DATA}:current")] = stale  # as if unheard

    report = submit_report()

    assert stale[0] == 1 and report.key_version == 2
    assert narrative_of(report)["what"] == FULL_REPORT["what"]


def test_a_new_key_encryption_key_rewraps_tenant_keys(sukabumi, settings):
    report = submit_report()
    old = base64.urlsafe_b64encode(b"o" * 32).decode()
    new = base64.urlsafe_b64encode(b"n" * 32).decode()
    settings.WBS_KEY_ENCRYPTION_KEYS = [old]
    with schema_context("sukabumi"):
        call_command("rotate_keys", tenant="sukabumi", kek=True)  # from the derived demo key to "old"
        old_ids = set(TenantKey.objects.values_list("kek_id", flat=True))
    settings.WBS_KEY_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_keys", tenant="sukabumi", kek=True)
    with schema_context("sukabumi"):
        new_ids = set(TenantKey.objects.values_list("kek_id", flat=True))
    assert len(new_ids) == 1 and new_ids.isdisjoint(old_ids)

    # Once the old key is gone from settings, everything still opens with the new one.
    settings.WBS_KEY_ENCRYPTION_KEYS = [new]
    from intake import encryption

    encryption._unwrapped_tenant_keys.clear()
    assert narrative_of(report)["where"] == FULL_REPORT["where"]


def test_deleting_the_report_key_shreds_the_report(sukabumi):
    report = submit_report()
    with schema_context("sukabumi"):
        Report.objects.filter(pk=report.pk).update(wrapped_key=None)
        report.refresh_from_db()
        with pytest.raises(KeyUnavailable):
            report_key(report)


def test_rotate_keys_needs_to_be_told_what(sukabumi):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--data, --kek"):
        call_command("rotate_keys")


def test_every_tenant_has_its_own_keys_from_onboarding(sulteng, sukabumi):
    with schema_context("sulteng"):
        sulteng_keys = {bytes(k.wrapped) for k in TenantKey.objects.all()}
    with schema_context("sukabumi"):
        sukabumi_keys = {bytes(k.wrapped) for k in TenantKey.objects.all()}
    assert len(sulteng_keys) == len(sukabumi_keys) == 2  # data and receipt keys
    assert sulteng_keys.isdisjoint(sukabumi_keys)
    with schema_context("wbs_template"):
        assert not TenantKey.objects.exists(), "the template must never carry keys into new tenants"
