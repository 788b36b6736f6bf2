"""The audit trail page as an auditor uses it (issue 11): actions and details in words,
cases by reference, filters, and an export that opens in a spreadsheet set to Indonesian."""

from __future__ import annotations

import csv
import io
import re

from django_tenants.utils import schema_context

from casework.services.cases import case_add_note, case_exclude
from casework.services.transitions import case_transition
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tests.factories.casework import CaseFactory
from tests.support.casework import EMAIL, TENANT, as_role, staff_client_of


def supervisor() -> User:
    return User.objects.get(email=EMAIL["supervisor"])


def worked_cases():
    """Two cases with staff actions on them (reporters' own entries reach the trail a day later)."""
    first, second = CaseFactory.create(), CaseFactory.create()
    with schema_context(TENANT):
        case_transition(case=first, actor=supervisor(), transition="start_verification")
        case_add_note(case=second, actor=supervisor(), body="Cek data kepegawaian.")
    return first, second


def in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def table_text(html: str) -> str:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_actions_and_details_read_as_words_not_codes(sukabumi):
    first, second = worked_cases()
    page = table_text(as_role("auditor").get("/staff/audit/").content.decode())
    assert "Langkah: Mulai verifikasi" in page and "transition:start_verification" not in page
    assert "Catatan internal" in page
    assert first.reference in page and second.reference in page
    assert "None" not in page and "{'" not in page and "['" not in page

    english_page = in_english(as_role("auditor")).get("/staff/audit/").content.decode()
    english = table_text(english_page)
    assert "Step: Start verification" in english and "Internal note" in english
    assert "<h1>Audit trail</h1>" in english_page and "Check the chain" in english_page
    assert re.search(r"\d+ entries", english_page)


def test_the_trail_filters_by_case_action_actor_and_day(sukabumi):
    first, second = worked_cases()
    auditor = as_role("auditor")
    by_case = table_text(auditor.get(f"/staff/audit/?case={first.reference.lower()}").content.decode())
    assert first.reference in by_case and second.reference not in by_case

    by_action = table_text(auditor.get("/staff/audit/?action=note").content.decode())
    assert second.reference in by_action and first.reference not in by_action

    by_actor = table_text(auditor.get("/staff/audit/?actor=inspektur").content.decode())
    assert "Catatan internal" in by_actor and "Masuk " not in by_actor.replace("Masuk ke", "")

    long_ago = table_text(auditor.get("/staff/audit/?date_to=2000-01-01").content.decode())
    assert "Belum ada entri" in long_ago


def test_a_malformed_filter_is_a_400_that_says_what_is_wrong(sukabumi):
    auditor = as_role("auditor")
    for query, message in [
        ("date_from=31-12-2026", "TTTT-BB-HH"),
        ("date_from=2026-05-02&date_to=2026-05-01", "sebelum tanggal awal"),
        ("case=%00", "tidak dapat dipakai"),
    ]:
        response = auditor.get(f"/staff/audit/?{query}")
        assert response.status_code == 400, query
        assert message in response.content.decode(), query
    assert auditor.get("/staff/audit/ekspor.csv?date_to=x").status_code == 400


def test_the_export_opens_in_a_spreadsheet_and_is_itself_audited(sukabumi):
    first, second = worked_cases()
    auditor = as_role("auditor")
    page = auditor.get(f"/staff/audit/?case={first.reference}").content.decode()
    link = re.search(r'id="audit-export" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert first.reference in link  # the export takes the page's filters

    response = auditor.get(link)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Waktu", "Pelaku", "Tindakan", "Kasus", "Rincian"]
    assert {row[3] for row in rows[1:]} == {first.reference}
    assert any(row[2] == "Langkah: Mulai verifikasi" for row in rows[1:])
    with schema_context(TENANT):
        assert AuditEntry.objects.filter(action="audit_export", actor_label=EMAIL["auditor"]).exists()

    english = in_english(staff_client_of(EMAIL["auditor"])).get("/staff/audit/ekspor.csv")
    header = english.content.decode("utf-8-sig").splitlines()[0]
    assert header == "Time,Actor,Action,Case,Details"


def test_an_excluded_reader_exports_nothing_of_the_case(sukabumi):
    first, _second = worked_cases()
    with schema_context(TENANT):
        auditor = User.objects.get(email=EMAIL["auditor"])
        case_exclude(case=first, actor=supervisor(), user_id=auditor.pk, reason="kerabat terlapor")
    export = as_role("auditor").get("/staff/audit/ekspor.csv").content.decode("utf-8-sig")
    assert first.reference not in export
    assert first.reference in as_role("administrator").get("/staff/audit/ekspor.csv").content.decode(
        "utf-8-sig"
    )


def test_the_auditor_finds_the_case_list_export_on_the_dashboard(sukabumi):
    CaseFactory.create()
    auditor = as_role("auditor")
    dashboard = auditor.get("/staff/dasbor/").content.decode()
    link = re.search(r'id="case-list-export" href="([^"]+)"', dashboard).group(1).replace("&amp;", "&")
    export = auditor.get(link)
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert 'id="case-list-export"' not in as_role("intake_officer").get("/staff/dasbor/").content.decode()
