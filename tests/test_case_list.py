"""The staff's case list and home page: each row says what the case is about, a case is
found by its reference or the words of its subject (page, CSV and API alike), and the
home page lists my open cases and what falls due this week."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django_tenants.utils import schema_context

from casework.models import Case, CaseState
from tenants.accounts.models import User
from tenants.clock import tenant_today
from tests.support.casework import EMAIL, TENANT, as_role
from tests.support.casework import LetterCaseFactory as new_case
from tests.support.clients import token_client


def set_case(case: Case, **fields) -> None:
    with schema_context(TENANT):
        Case.objects.filter(pk=case.pk).update(**fields)


def today():
    with schema_context(TENANT):
        return tenant_today()


def test_each_row_shows_the_subject_and_the_search_finds_by_reference_or_words(sukabumi):
    road = new_case(what="Gratifikasi proyek jalan desa")
    school = new_case(what="Pungutan seragam di sekolah dasar")
    bridge = new_case(what="Mark-up proyek JEMBATAN kecamatan")
    client = as_role("supervisor")

    html = client.get("/staff/kasus/").content.decode()
    assert "Perihal" in html
    for subject in ("Gratifikasi proyek jalan desa", "Pungutan seragam di sekolah dasar"):
        assert subject in html

    # A whole reference, in any case, finds that case alone.
    html = client.get(f"/staff/kasus/?q={school.reference.lower()}").content.decode()
    assert school.reference in html and road.reference not in html and bridge.reference not in html

    # Words of the subject, any case, all of them.
    html = client.get("/staff/kasus/?q=Proyek").content.decode()
    assert road.reference in html and bridge.reference in html and school.reference not in html
    html = client.get("/staff/kasus/?q=proyek+jembatan").content.decode()
    assert bridge.reference in html and road.reference not in html
    assert 'value="proyek jembatan"' in html, "the search box keeps what was typed"
    html = client.get("/staff/kasus/?q=tidak-ada-yang-cocok").content.decode()
    assert "Tidak ada kasus yang cocok" in html

    # The same q in the CSV and the API.
    export = client.get("/staff/kasus/ekspor.csv?q=jembatan").content.decode()
    rows = list(csv.reader(io.StringIO(export), delimiter=";"))
    exported = {cell for row in rows[1:] for cell in row}
    assert bridge.reference in exported and road.reference not in exported
    listed = token_client(TENANT, EMAIL["supervisor"]).get("/api/v1/cases?q=sekolah").json()
    assert [item["reference"] for item in listed["results"]] == [school.reference]
    assert client.get("/staff/kasus/?q=" + "x" * 101).status_code == 400
    assert token_client(TENANT, EMAIL["supervisor"]).get("/api/v1/cases?q=" + "x" * 101).status_code == 400


def test_a_subject_search_reads_a_bounded_number_of_cases_and_says_so(sukabumi, monkeypatch):
    monkeypatch.setattr("casework.selectors.queue.SUBJECT_SCAN_LIMIT", 2)
    first, second, third = (new_case(what=f"Proyek nomor {n}") for n in range(3))
    for days, case in enumerate((first, second, third)):
        set_case(case, next_due=today() + timedelta(days=days))
    client = as_role("supervisor")

    html = client.get("/staff/kasus/?q=proyek").content.decode()
    assert first.reference in html and second.reference in html and third.reference not in html
    assert "Perihal dicari pada 2 kasus pertama saja" in html
    # A reference is found wherever it is, and narrowing the filters reaches the rest.
    assert third.reference in client.get(f"/staff/kasus/?q={third.reference}").content.decode()
    later = (today() + timedelta(days=2)).isoformat()
    html = client.get(f"/staff/kasus/?q=proyek&due_from={later}").content.decode()
    assert third.reference in html and "kasus pertama saja" not in html


def test_the_home_page_lists_my_open_cases_and_those_due_this_week(sukabumi):
    with schema_context(TENANT):
        investigator = User.objects.get(email=EMAIL["investigator"])
    mine = new_case(what="Kasus milik pemeriksa")
    mine_closed = new_case(what="Kasus pemeriksa yang sudah selesai")
    due_soon = new_case(what="Jatuh tempo lusa")
    overdue = new_case(what="Sudah lewat batas")
    due_later = new_case(what="Masih lama")
    set_case(mine, assignee=investigator, next_due=today() + timedelta(days=30))
    set_case(mine_closed, assignee=investigator, state=CaseState.CLOSED)
    set_case(due_soon, next_due=today() + timedelta(days=2))
    set_case(overdue, next_due=today() - timedelta(days=1))
    set_case(due_later, next_due=today() + timedelta(days=8))

    home = as_role("investigator").get("/staff/").content.decode()
    my_cases = home[home.index("Kasus saya") : home.index("Jatuh tempo minggu ini")]
    assert mine.reference in my_cases and "Kasus milik pemeriksa" in my_cases
    assert mine_closed.reference not in my_cases
    assert f'href="/staff/kasus/{mine.reference}/"' in my_cases
    assert 'href="/staff/kasus/?assignee=me"' in my_cases
    # The investigator sees only the cases given to them: nothing of the others is due for them.
    assert "Tidak ada kasus yang jatuh tempo dalam 7 hari." in home

    home = as_role("supervisor").get("/staff/").content.decode()
    due = home[home.index("Jatuh tempo minggu ini") :]
    assert due_soon.reference in due and overdue.reference in due and "Terlambat" in due
    assert due_later.reference not in due and mine.reference not in due
    assert due.index(overdue.reference) < due.index(due_soon.reference), "most urgent first"
    assert f'href="/staff/kasus/?due_to={(today() + timedelta(days=7)).isoformat()}"' in due
    assert "Kategori laporan" not in home

    administrator = as_role("administrator").get("/staff/").content.decode()
    assert 'href="/staff/pengaturan/"' in administrator and "Kasus saya" not in administrator


def test_the_case_list_and_home_read_in_english(sukabumi):
    new_case(what="Gratifikasi proyek jalan desa")
    client = as_role("supervisor")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"}).status_code == 302
    queue = client.get("/staff/kasus/").content.decode()
    assert "Subject" in queue and ">Search<" in queue and "Gratifikasi proyek jalan desa" in queue
    home = client.get("/staff/").content.decode()
    assert "My cases" in home and "Due this week" in home and "All my cases" in home
