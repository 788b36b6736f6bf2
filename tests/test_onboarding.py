"""Onboarding: a working tenant in one step, and nothing at all when it fails."""

import re

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from casework.models import DeadlinePolicy
from intake.models import Category
from tenants.accounts.models import User
from tenants.db import connection
from tenants.errors import InvalidInput
from tenants.models import Domain, SchemaTemplate, Tenant
from tenants.onboarding import TenantApplication
from tenants.schema_template import TemplateOutOfDate
from tests.support.clients import client_for, totp_code
from wbs import onboarding as platform_onboarding
from wbs.onboarding import tenant_onboard


def bogor(**overrides: object) -> TenantApplication:
    fields: dict[str, object] = dict(
        slug="kotabogor",
        official_name="Inspektorat Kota Bogor",
        short_name="Inspektorat Bogor",
        region_kind="city",
        time_zone="Asia/Jakarta",
        admin_email="admin@kotabogor.example",
    )
    fields.update(overrides)
    return TenantApplication(**fields)  # type: ignore[arg-type]


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def platform_footprint():
    return (Tenant.objects.count(), Domain.objects.count(), schema_exists("kotabogor"))


def invitation_path(mail) -> str:
    link = re.search(r"http://[\w.]+/staff/invitation/[\w-]+/", mail.body)
    assert link, mail.body
    return "/" + link.group(0).split("/", 3)[3]


@pytest.mark.django_db
def test_onboarded_tenant_has_its_schema_defaults_and_a_working_invitation(
    sulteng, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = tenant_onboard(bogor(parent_province="sulteng", custom_domains=["wbs.kotabogor.go.id"]))

    assert schema_exists("kotabogor")
    assert sorted(result.tenant.domains.values_list("domain", flat=True)) == [
        "kotabogor.localhost",
        "wbs.kotabogor.go.id",
    ]
    with schema_context("kotabogor"):
        assert Category.objects.filter(code="korupsi").exists()
        assert not Category.objects.filter(code="pengadaan").exists()  # provinces and regencies only
        assert DeadlinePolicy.objects.get().verification_days == 5
        admin = User.objects.get()
        assert admin.email == "admin@kotabogor.example" and admin.roles == ["administrator"]
        assert not admin.has_usable_password()

    # The invitation went to the administrator's address only; the platform sees it masked.
    assert result.invitation_sent_to == "a***n@kotabogor.example"
    assert [mail.to for mail in mailoutbox] == [["admin@kotabogor.example"]]
    # The administrator follows the link, sets a password, sets up an authenticator app
    # and is signed in on the new portal.
    path = invitation_path(mailoutbox[0])
    browser = client_for(result.tenant)
    page = browser.post(path, {"password": "Kota-Hujan-2026!", "password_again": "Kota-Hujan-2026!"})
    assert page.status_code == 302 and page["Location"] == "/staff/login/autentikator/"
    assert browser.get(page["Location"]).status_code == 200
    with schema_context("kotabogor"):
        device = TOTPDevice.objects.get(user__email="admin@kotabogor.example", confirmed=False)
    confirmed = browser.post(page["Location"], {"code": totp_code(device)})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/staff/"
    assert "Korupsi" in browser.get("/staff/pengaturan/").content.decode()
    # A one-time link: the second use is refused.
    assert client_for(result.tenant).get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"slug": "Bad-Slug"}, "slug", "lowercase"),
        ({"slug": "ab"}, "slug", "lowercase"),
        ({"slug": "public"}, "slug", "reserved"),
        ({"slug": "www"}, "slug", "reserved"),
        ({"slug": "pg_catalog"}, "slug", "lowercase"),
        ({"slug": "sulteng"}, "slug", "already exists"),
        ({"custom_domains": ["sukabumi.localhost"]}, "custom_domains", "Already used"),
        ({"custom_domains": ["not a host"]}, "custom_domains", "not a valid host"),
        ({"region_kind": "kecamatan"}, "region_kind", "Unknown region kind"),
        ({"time_zone": "Europe/Paris"}, "time_zone", "Unknown time zone"),
        ({"parent_province": "sukabumi"}, "parent_province", "No province"),
        ({"admin_email": "not-an-email"}, "admin_email", "valid email"),
        ({"branding": {"primary_color": "red; }"}}, "branding.primary_color", "colour"),
    ],
)
def test_bad_onboarding_input_is_refused_and_creates_nothing(sukabumi, overrides, field, message):
    before = platform_footprint()
    with pytest.raises(InvalidInput) as refused:
        tenant_onboard(bogor(**overrides))
    assert message in refused.value.errors[field]
    assert platform_footprint() == before


@pytest.mark.django_db
def test_a_failure_halfway_leaves_no_orphan_schema_or_row(monkeypatch):
    before = platform_footprint()

    def crash(tenant, application):
        raise RuntimeError("disk full")

    # The last app's provisioning fails, after the schema, the rows and the others' steps.
    monkeypatch.setattr(platform_onboarding, "PROVISIONING", (*platform_onboarding.PROVISIONING, crash))
    with pytest.raises(RuntimeError):
        tenant_onboard(bogor())
    assert platform_footprint() == before
    assert connection.schema_name == "public"


@pytest.mark.django_db
def test_onboarding_stops_loudly_when_the_template_is_behind_the_migrations():
    SchemaTemplate.objects.update(fingerprint="built-from-older-migrations")
    before = platform_footprint()
    with pytest.raises(TemplateOutOfDate, match="wbs migrate"):
        tenant_onboard(bogor())
    assert platform_footprint() == before


def test_operator_api_onboards_and_explains_refusals(
    operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = operator_client.post(
            "/api/v1/operator/tenants",
            {
                "slug": "kabsigi",
                "official_name": "Inspektorat Kabupaten Sigi",
                "short_name": "Inspektorat Sigi",
                "region_kind": "regency",
                "time_zone": "Asia/Makassar",
                "parent_province": "sulteng",
                "admin_email": "admin@sigi.example",
                "branding": {"primary_color": "#123456"},
            },
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["tenant"]["slug"] == "kabsigi" and body["tenant"]["parent_province"] == "sulteng"
    # The operator learns where the invitation went, never the link (a credential for the tenant).
    assert body["invitation_sent_to"] == "a***n@sigi.example"
    assert "/staff/invitation/" not in created.content.decode()
    assert [mail.to for mail in mailoutbox] == [["admin@sigi.example"]]
    assert "http://kabsigi.localhost/staff/invitation/" in mailoutbox[0].body

    refused = operator_client.post(
        "/api/v1/operator/tenants",
        {
            "slug": "kabsigi",
            "official_name": "x",
            "short_name": "x",
            "region_kind": "moon",
            "time_zone": "Asia/Makassar",
            "admin_email": "a@b.example",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"slug", "region_kind"}

    incomplete = operator_client.post(
        "/api/v1/operator/tenants", {"slug": "x"}, content_type="application/json"
    )
    assert incomplete.status_code == 400
    assert "official_name" in incomplete.json()["errors"]


def test_only_operators_may_use_the_operator_api(sulteng):
    anonymous = client_for(None).post("/api/v1/operator/tenants", {}, content_type="application/json")
    assert anonymous.status_code in {401, 403}
    # A tenant host does not serve the operator API at all.
    assert client_for(sulteng).get("/api/v1/operator/tenants").status_code == 404


def test_console_onboarding_sends_the_invitation_only_to_the_administrator(
    operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = operator_client.post(
            "/tenants/new/",
            {
                "slug": "kotapalu",
                "official_name": "Inspektorat Kota Palu",
                "short_name": "Inspektorat Palu",
                "region_kind": "city",
                "parent_province": "sulteng",
                "time_zone": "Asia/Makassar",
                "default_language": "id",
                "custom_domains": "",
                "admin_email": "admin@palu.example",
            },
        )
    assert page.status_code == 200
    assert "/staff/invitation/" not in page.content.decode()
    assert "a***n@palu.example" in page.content.decode()
    assert [mail.to for mail in mailoutbox] == [["admin@palu.example"]]
    again = operator_client.post(
        "/tenants/new/",
        {
            "slug": "kotapalu",
            "official_name": "x",
            "short_name": "x",
            "region_kind": "city",
            "time_zone": "Asia/Makassar",
            "default_language": "id",
            "admin_email": "a@palu.example",
        },
    )
    assert again.status_code == 400
    assert "already exists" in again.content.decode()


def test_the_operator_sends_the_first_administrator_a_new_invitation(
    operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tenant = tenant_onboard(bogor()).tenant
    first_link = invitation_path(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        resent = operator_client.post("/tenants/kotabogor/undangan/")
    assert resent.status_code == 302
    assert (
        "Undangan baru dikirim ke a***n@kotabogor.example"
        in operator_client.get(resent["Location"]).content.decode()
    )
    assert [mail.to for mail in mailoutbox] == [["admin@kotabogor.example"]] * 2
    second_link = invitation_path(mailoutbox[1])
    # Only the newest link works.
    browser = client_for(tenant)
    assert browser.get(first_link).status_code == 404
    assert browser.get(second_link).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        by_api = operator_client.post("/api/v1/operator/tenants/kotabogor/invitation")
    assert by_api.status_code == 202 and by_api.json() == {"invitation_sent_to": "a***n@kotabogor.example"}
    assert len(mailoutbox) == 3 and "/staff/invitation/" not in by_api.content.decode()
    # Once the administrator has set a password, the tenant invites its own staff.
    third = invitation_path(mailoutbox[2])
    browser.post(third, {"password": "Kota-Hujan-2026!", "password_again": "Kota-Hujan-2026!"})
    refused = operator_client.post("/api/v1/operator/tenants/kotabogor/invitation")
    assert refused.status_code == 400 and "invitation" in refused.json()["errors"]
    assert len(mailoutbox) == 3
    assert operator_client.post("/api/v1/operator/tenants/nowhere/invitation").status_code == 404


@pytest.mark.django_db
def test_cli_onboard_emails_the_invitation_and_refuses_bad_input(
    capsys, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "onboard",
            "kotabogor",
            official_name="Inspektorat Kota Bogor",
            short_name="Bogor",
            region_kind="city",
            admin_email="admin@kotabogor.example",
        )
    printed = capsys.readouterr().out
    assert "sent to a***n@kotabogor.example" in printed and "/staff/invitation/" not in printed
    assert [mail.to for mail in mailoutbox] == [["admin@kotabogor.example"]]
    with pytest.raises(CommandError, match="reserved"):
        call_command(
            "onboard",
            "admin",
            official_name="x",
            short_name="x",
            region_kind="city",
            admin_email="a@b.example",
        )
