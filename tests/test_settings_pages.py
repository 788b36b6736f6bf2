"""The administrator's settings pages (/staff/pengaturan/): each section changes what
the portal, intake and casework do; other roles are refused; bad input changes nothing."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from casework.deadlines import add_working_days
from casework.models import Case, DeadlinePolicy, ReporterNotice, RetentionPolicy
from casework.services.transitions import case_transition
from casework.workflow import DEFAULT_NOTICES
from intake.encryption import report_key
from intake.models import Category, IntakeSettings, Message
from intake.report_input import parse_report
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.errors import InvalidInput
from tenants.models import Tenant
from tenants.shared_memo import tenant_rows
from tests.factories.casework import CaseFactory
from tests.support.clients import client_for, staff_client
from tests.support.evidence import jpeg_with_gps

TENANT = "sukabumi"
ADMIN = "admin@sukabumi.example"
OTHER_ROLES = [
    "verifikator@sukabumi.example",
    "pemeriksa@sukabumi.example",
    "inspektur@sukabumi.example",
    "kustodian@sukabumi.example",
    "auditor@sukabumi.example",
]
REPORT = {
    "category": "pungli",
    "what": "Pungutan liar di loket perizinan",
    "description": "Petugas loket meminta uang tambahan di luar tarif resmi agar izin cepat selesai.",
    "who": [{"name": "Petugas loket 3", "position": "Staf", "unit": "DPMPTSP"}],
    "where": "Mal Pelayanan Publik",
    "identity_mode": "anonymous",
}
DEADLINES = {
    "acknowledge_days": "2",
    "verification_days": "4",
    "answer_days": "21",
    "conclude_days": "90",
    "close_after_answer_days": "7",
}
LIMITS = {
    "max_file_mb": "5",
    "max_report_mb": "20",
    "max_files_per_report": "1",
    "receipt_failures_per_10_minutes": "20",
    "years_after_closure": "25",
}
BRANDING = {
    "primary_color": "#123ABC",
    "accent_color": "#fedcba",
    "welcome_text_id": "Selamat datang di kanal pengaduan Kota Sukabumi yang baru.",
    "welcome_text_en": "Welcome to the new Sukabumi reporting channel.",
    "address": "Jl. Syamsudin SH No. 25",
    "phone": "0266-221234",
    "email": "wbs@sukabumikota.example",
    "office_hours": "Senin-Jumat 08.00-16.00",
}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def admin(sukabumi) -> Client:
    return staff_client(sukabumi, ADMIN)


def audit_actions() -> list[str]:
    with schema_context(TENANT):
        return list(AuditEntry.objects.values_list("action", flat=True))


def tenant_row() -> Tenant:
    return Tenant.objects.get(schema_name=TENANT)


def new_case(files=()) -> Case:
    return CaseFactory.create(**REPORT, tenant=TENANT, channel="letter", files=files)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 16), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


# --- The page and who may use it ------------------------------------------------


def test_the_admin_sees_every_section_and_the_nav_link(admin):
    page = admin.get("/staff/pengaturan/")
    assert page.status_code == 200
    html = page.content.decode()
    for anchor in ("kategori", "tenggat", "pemberitahuan", "tampilan", "batas"):
        assert f'id="{anchor}"' in html
    for key, (default_id, _default_en) in DEFAULT_NOTICES.items():
        assert f"pemberitahuan-{key}" in html
        assert default_id.split(".")[0] in html
    assert 'href="/staff/pengaturan/"' in admin.get("/staff/").content.decode()
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    assert " style=" not in html and "<script" not in html


ENDPOINTS = [
    ("get", "/staff/pengaturan/", {}),
    ("post", "/staff/pengaturan/kategori/", {"code": "baru", "name_id": "Baru", "name_en": "New"}),
    ("post", "/staff/pengaturan/tenggat/", DEADLINES),
    ("post", "/staff/pengaturan/pemberitahuan/", {"transition": "conclude", "body_id": "x", "body_en": "y"}),
    ("post", "/staff/pengaturan/tampilan/", BRANDING),
    ("post", "/staff/pengaturan/batas/", LIMITS),
]


@pytest.mark.parametrize("email", OTHER_ROLES)
def test_other_roles_are_refused(sukabumi, email):
    browser = staff_client(sukabumi, email)
    for method, url, data in ENDPOINTS:
        assert getattr(browser, method)(url, data).status_code == 403, (email, url)
    with schema_context(TENANT):
        pungli = Category.objects.get(code="pungli")
        assert (
            browser.post(f"/staff/pengaturan/kategori/{pungli.pk}/", {"action": "deactivate"}).status_code
            == 403
        )
        assert Category.objects.get(pk=pungli.pk).is_active
        assert not Category.objects.filter(code="baru").exists()
        assert not ReporterNotice.objects.exists()
    assert tenant_row().primary_color != "#123abc"
    assert 'href="/staff/pengaturan/"' not in browser.get("/staff/").content.decode()
    assert not [a for a in audit_actions() if a.startswith("settings_")]


def test_anonymous_visitors_are_sent_to_sign_in(sukabumi):
    response = client_for(sukabumi).get("/staff/pengaturan/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


# --- 1. Categories --------------------------------------------------------------


def categories_on_the_portal(sukabumi) -> dict[str, str]:
    response = client_for(sukabumi).get("/api/v1/intake/categories?lang=id")
    assert response.status_code == 200
    return {row["code"]: row["name"] for row in response.json()}


def test_categories_are_added_renamed_deactivated_and_reactivated(admin, sukabumi):
    added = admin.post(
        "/staff/pengaturan/kategori/",
        {"code": "konflik-kepentingan", "name_id": "Konflik kepentingan", "name_en": "Conflict of interest"},
    )
    assert added.status_code == 302
    assert categories_on_the_portal(sukabumi)["konflik-kepentingan"] == "Konflik kepentingan"
    with schema_context(TENANT):
        category = Category.objects.get(code="konflik-kepentingan")

    url = f"/staff/pengaturan/kategori/{category.pk}/"
    renamed = admin.post(
        url, {"action": "save", "name_id": "Benturan kepentingan", "name_en": "Conflict", "position": "0"}
    )
    assert renamed.status_code == 302
    assert categories_on_the_portal(sukabumi)["konflik-kepentingan"] == "Benturan kepentingan"
    assert list(categories_on_the_portal(sukabumi))[0] == "konflik-kepentingan"

    assert admin.post(url, {"action": "deactivate"}).status_code == 302
    assert "konflik-kepentingan" not in categories_on_the_portal(sukabumi)
    with schema_context(TENANT):
        assert Category.objects.filter(pk=category.pk, is_active=False).exists()  # kept, not deleted
    assert admin.post(url, {"action": "reactivate"}).status_code == 302
    assert "konflik-kepentingan" in categories_on_the_portal(sukabumi)

    assert audit_actions().count("settings_categories") == 4


def test_a_remembered_category_is_forgotten_when_an_administrator_deactivates_it(admin, sukabumi):
    """Submissions read categories from a per-process memo; the settings page's change drops it."""
    with schema_context(TENANT):
        pungli = Category.objects.get(code="pungli")
        tenant_rows._values[(TENANT, "active-categories")] = {"pungli": pungli}  # warm, as after a submission
        assert parse_report(REPORT | {"category": "pungli"}).category == pungli

    assert admin.post(f"/staff/pengaturan/kategori/{pungli.pk}/", {"action": "deactivate"}).status_code == 302

    with schema_context(TENANT), pytest.raises(InvalidInput) as refused:
        parse_report(REPORT | {"category": "pungli"})
    assert "category" in refused.value.errors


def test_bad_or_duplicate_categories_are_refused(admin):
    with schema_context(TENANT):
        before = list(Category.objects.values_list("code", "name_id", "position", "is_active"))
    duplicate = admin.post(
        "/staff/pengaturan/kategori/", {"code": "pungli", "name_id": "Lagi", "name_en": "Again"}
    )
    assert duplicate.status_code == 400
    assert "sudah dipakai" in duplicate.content.decode()
    for bad in (
        {"code": "Bukan Slug!", "name_id": "X", "name_en": "X"},
        {"code": "kosong", "name_id": "", "name_en": "Empty"},
        {"code": "urutan", "name_id": "X", "name_en": "X", "position": "-1"},
    ):
        assert admin.post("/staff/pengaturan/kategori/", bad).status_code == 400, bad
    with schema_context(TENANT):
        pungli = Category.objects.get(code="pungli")
    edit = admin.post(
        f"/staff/pengaturan/kategori/{pungli.pk}/", {"action": "save", "name_id": "", "name_en": "x"}
    )
    assert edit.status_code == 400
    with schema_context(TENANT):
        assert list(Category.objects.values_list("code", "name_id", "position", "is_active")) == before
    assert "settings_categories" not in audit_actions()


# --- 2. Deadlines ---------------------------------------------------------------


def test_a_new_deadline_policy_sets_the_due_dates_of_new_cases(admin):
    assert admin.post("/staff/pengaturan/tenggat/", DEADLINES).status_code == 302
    with schema_context(TENANT):
        policy = DeadlinePolicy.objects.get()
        assert (policy.acknowledge_days, policy.answer_days, policy.close_after_answer_days) == (2, 21, 7)
    case = new_case()
    assert case.acknowledge_due == add_working_days(case.received_on, 2)
    assert case.verification_due == add_working_days(case.received_on, 4)
    assert case.answer_due == add_working_days(case.received_on, 21)
    assert case.conclude_due == add_working_days(case.received_on, 90)
    assert "settings_deadlines" in audit_actions()


@pytest.mark.parametrize("bad", ["0", "366", "abc", "", "2.5"])
def test_invalid_deadlines_are_refused(admin, bad):
    with schema_context(TENANT):
        before = DeadlinePolicy.objects.values().get()
    response = admin.post("/staff/pengaturan/tenggat/", DEADLINES | {"answer_days": bad})
    assert response.status_code == 400
    assert "365" in response.content.decode()
    with schema_context(TENANT):
        assert DeadlinePolicy.objects.values().get() == before
    assert "settings_deadlines" not in audit_actions()


# --- 3. Reporter notices --------------------------------------------------------


def staff_messages(case: Case) -> list[str]:
    with schema_context(TENANT):
        key = report_key(case.report)
        return [
            key.open("message", bytes(m.sealed_body)).decode()
            for m in Message.objects.filter(report=case.report, author="staff").order_by("pk")
        ]


def test_an_edited_notice_is_what_the_reporter_is_told_and_can_be_restored(admin):
    text_id = "Petugas kami mulai memeriksa kelengkapan laporan Anda hari ini."
    saved = admin.post(
        "/staff/pengaturan/pemberitahuan/",
        {"transition": "start_verification", "action": "save", "body_id": text_id, "body_en": "We started."},
    )
    assert saved.status_code == 302
    assert text_id in admin.get("/staff/pengaturan/").content.decode()

    case = new_case()
    with schema_context(TENANT):
        officer = User.objects.get(email="verifikator@sukabumi.example")
        case_transition(case=case, actor=officer, transition="start_verification")
    assert text_id in staff_messages(case)

    restored = admin.post(
        "/staff/pengaturan/pemberitahuan/", {"transition": "start_verification", "action": "restore"}
    )
    assert restored.status_code == 302
    with schema_context(TENANT):
        assert not ReporterNotice.objects.exists()
    assert audit_actions().count("settings_notices") == 2


def test_bad_notices_are_refused(admin):
    unknown = admin.post(
        "/staff/pengaturan/pemberitahuan/", {"transition": "nope", "body_id": "a", "body_en": "b"}
    )
    assert unknown.status_code == 400
    empty = admin.post(
        "/staff/pengaturan/pemberitahuan/", {"transition": "conclude", "body_id": " ", "body_en": "b"}
    )
    assert empty.status_code == 400
    with schema_context(TENANT):
        assert not ReporterNotice.objects.exists()


# --- 4. Branding ----------------------------------------------------------------


def test_branding_shows_on_the_portal_right_after_saving(admin, sukabumi, django_capture_on_commit_callbacks):
    portal = client_for(sukabumi)
    portal.get("/branding.css")  # warm the host cache with the old row
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post("/staff/pengaturan/tampilan/", BRANDING)
    assert saved.status_code == 302
    css = portal.get("/branding.css").content.decode()
    assert "#123abc" in css and "#fedcba" in css
    home = portal.get("/").content.decode()
    assert BRANDING["welcome_text_id"] in home
    assert BRANDING["address"] in home
    assert tenant_row().office_hours == BRANDING["office_hours"]
    assert "settings_branding" in audit_actions()


def test_a_real_logo_is_stored_without_its_metadata(
    admin, sukabumi, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(
            "/staff/pengaturan/tampilan/",
            BRANDING | {"logo": SimpleUploadedFile("logo.jpg", jpeg_with_gps(), content_type="image/jpeg")},
        )
    assert saved.status_code == 302
    logo = tenant_row().logo
    assert logo.name.startswith("branding/logo-") and logo.name.endswith(".jpg")
    stored = os.path.join(settings.MEDIA_ROOT, TENANT, logo.name)
    with open(stored, "rb") as handle:
        content = handle.read()
    assert Image.open(io.BytesIO(content)).getexif().get(0x8825) is None  # no GPS block left
    assert logo.name in client_for(sukabumi).get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        replaced = admin.post(
            "/staff/pengaturan/tampilan/",
            BRANDING | {"logo": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")},
        )
    assert replaced.status_code == 302
    assert tenant_row().logo.name.endswith(".png")
    assert not os.path.exists(stored)  # the old logo is removed


@pytest.mark.parametrize(
    "changes",
    [
        {"primary_color": "red"},
        {"accent_color": "#12345"},
        {"primary_color": "#12345g"},
        {"email": "not-an-email"},
        {"phone": "0" * 41},
        {"logo": SimpleUploadedFile("logo.png", os.urandom(2048), content_type="image/png")},
        {"logo": SimpleUploadedFile("logo.png", b"%PDF-1.4\n" + b"x" * 100, content_type="image/png")},
    ],
    ids=["named", "short", "not-hex", "email", "phone", "random-png", "pdf-as-png"],
)
def test_bad_branding_is_refused_and_nothing_changes(admin, changes):
    before = {name: getattr(tenant_row(), name) for name in [*BRANDING, "logo"]}
    response = admin.post("/staff/pengaturan/tampilan/", BRANDING | changes)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert {name: getattr(tenant_row(), name) for name in [*BRANDING, "logo"]} == before
    assert "settings_branding" not in audit_actions()


def test_a_gif_logo_and_an_oversized_logo_are_refused(admin):
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    for upload in (
        SimpleUploadedFile("logo.gif", gif.getvalue(), content_type="image/gif"),
        SimpleUploadedFile("logo.png", png_bytes() + b"\0" * (1024 * 1024), content_type="image/png"),
    ):
        assert admin.post("/staff/pengaturan/tampilan/", BRANDING | {"logo": upload}).status_code == 400
    assert not tenant_row().logo


# --- 5. Intake limits and retention ---------------------------------------------


def test_limits_and_retention_are_saved_and_enforced_by_intake(admin):
    assert admin.post("/staff/pengaturan/batas/", LIMITS | {"keep_original_evidence": "1"}).status_code == 302
    with schema_context(TENANT):
        limits = IntakeSettings.current()
        assert limits.max_file_bytes == 5 * 1024 * 1024
        assert limits.max_report_bytes == 20 * 1024 * 1024
        assert limits.max_files_per_report == 1
        assert limits.keep_original_evidence is True
        assert limits.receipt_failures_per_10_minutes == 20
        assert RetentionPolicy.current().years_after_closure == 25
    with pytest.raises(InvalidInput) as refused:
        new_case(files=[("a.jpg", jpeg_with_gps()), ("b.jpg", jpeg_with_gps())])
    assert "Paling banyak 1 berkas" in str(refused.value.errors)
    assert new_case(files=[("a.jpg", jpeg_with_gps())]).pk
    assert "settings_limits" in audit_actions()

    # Unchecking the box turns keeping originals off again.
    assert admin.post("/staff/pengaturan/batas/", LIMITS).status_code == 302
    with schema_context(TENANT):
        assert IntakeSettings.current().keep_original_evidence is False


@pytest.mark.parametrize(
    "changes",
    [
        {"years_after_closure": "0"},
        {"years_after_closure": "101"},
        {"max_file_mb": "0"},
        {"max_file_mb": "30"},  # more than the 20 MB per report
        {"max_files_per_report": "many"},
        {"receipt_failures_per_10_minutes": "-5"},
    ],
)
def test_invalid_limits_are_refused(admin, changes):
    with schema_context(TENANT):
        before = IntakeSettings.objects.values().filter(pk=IntakeSettings.current().pk).get()
        years = RetentionPolicy.current().years_after_closure
    assert admin.post("/staff/pengaturan/batas/", LIMITS | changes).status_code == 400
    with schema_context(TENANT):
        assert IntakeSettings.objects.values().get(pk=before["id"]) == before
        assert RetentionPolicy.current().years_after_closure == years
    assert "settings_limits" not in audit_actions()
