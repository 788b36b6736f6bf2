"""Shared by the casework page tests: the demo staff of one tenant, a case opened
from a letter, and the check that a page opens for exactly the roles it names."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from casework.models import Case
from intake.report_input import parse_report
from intake.services.reports import report_submit
from tenants.models import Tenant
from tests.support.clients import staff_client

TENANT = "sukabumi"
EMAIL = {
    "administrator": "admin@sukabumi.example",
    "intake_officer": "verifikator@sukabumi.example",
    "investigator": "pemeriksa@sukabumi.example",
    "supervisor": "inspektur@sukabumi.example",
    "identity_custodian": "kustodian@sukabumi.example",
    "auditor": "auditor@sukabumi.example",
}
HANDLER_ROLES = {"intake_officer", "investigator", "supervisor"}
IDENTITY_NAME = "Siti Rahmawati"
IDENTITY_NIK = "3272010101900001"
WHAT = "Pungutan liar di loket perizinan"
DESCRIPTION = "Petugas loket meminta uang tambahan di luar tarif resmi agar izin cepat selesai."
REPORT: dict[str, Any] = {
    "category": "pungli",
    "what": WHAT,
    "description": DESCRIPTION,
    "who": [{"name": "Petugas loket 3", "position": "Staf", "unit": "DPMPTSP"}],
    "where": "Mal Pelayanan Publik",
    "identity_mode": "confidential",
    "identity": {"name": IDENTITY_NAME, "nik": IDENTITY_NIK},
}


def new_case(*, files: Any = (), consent: bool = False, **changes: Any) -> Case:
    """A case opened the way a report received by letter opens one."""
    with schema_context(TENANT):
        submitted = report_submit(
            draft=parse_report(REPORT | changes | {"consent_to_forward_identity": consent}),
            files=[SimpleUploadedFile(name, content) for name, content in files],
            channel="letter",
        )
        return Case.objects.select_related("report").get(report=submitted.report)


def staff_client_of(email: str) -> Client:
    return staff_client(Tenant.objects.get(schema_name=TENANT), email)


def as_role(role: str) -> Client:
    return staff_client_of(EMAIL[role])


def assert_page_opens_only_for(url: str, allowed: set[str]) -> None:
    """Every role: 200 when allowed, else 403 saying which roles it needs; never cached."""
    for role in EMAIL:
        response = as_role(role).get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, url, response.status_code)
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        if expected == 403:
            assert "memerlukan peran" in response.content.decode()
