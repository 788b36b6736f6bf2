"""Shared by the casework page tests: the demo staff of one tenant, the report they
record from a letter, and the check that a page opens for exactly the roles it names."""

from __future__ import annotations

import factory
from django.test import Client

from intake.models import Channel, IdentityMode
from tenants.models import Tenant
from tests.factories.casework import CaseFactory
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


class LetterCaseFactory(CaseFactory):
    """A case opened the way a report received by letter opens one (in TENANT)."""

    tenant = TENANT
    channel = Channel.LETTER
    category = "pungli"
    what = WHAT
    description = DESCRIPTION
    who = factory.List([factory.Dict({"name": "Petugas loket 3", "position": "Staf", "unit": "DPMPTSP"})])
    where = "Mal Pelayanan Publik"
    identity_mode = IdentityMode.CONFIDENTIAL
    identity = factory.Dict({"name": IDENTITY_NAME, "nik": IDENTITY_NIK})


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


def reference_of(case_id: int, slug: str = TENANT) -> str:
    """The case's reference, which its page and API path carry (never its row id)."""
    from django_tenants.utils import schema_context

    from casework.models import Case

    with schema_context(slug):
        return str(Case.objects.values_list("reference", flat=True).get(pk=case_id))
