"""No trace orders a reporter's action within the day: the audit trail gets a reporter's
actions only once their day is over, in a batch in random order, dated to the day; the
files they send carry no time of day; the case references neither order nor count."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import uuid
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from casework.models import Case
from intake.models import Attachment
from intake.services.reporter_traces import settle_reporter_traces
from intake.tasks import settle_reporter_traces_due
from tenants.audit.held_entries import tenants_with_held_entries
from tenants.audit.models import AuditEntry, HeldAuditEntry
from tenants.audit.trail import audit_verify
from tests.support.clients import staff_client
from tests.support.evidence import pdf_with_author
from tests.support.intake_api import FULL_REPORT, api, submit, submit_with_files

TENANT = "sukabumi"
ZONE = ZoneInfo("Asia/Jakarta")
SUPERVISOR = "inspektur@sukabumi.example"
AUDITOR = "auditor@sukabumi.example"


def send_report(**extra: object) -> str:
    response = submit(api(TENANT), FULL_REPORT | extra)
    assert response.status_code == 201, response.content
    return response.json()["receipt"]


def reply_as_reporter(receipt: str, body: str = "Tambahan keterangan.") -> None:
    client = api(TENANT)
    token = client.post(
        "/api/v1/intake/session", {"receipt": receipt}, content_type="application/json"
    ).json()["token"]
    response = client.post(
        "/api/v1/intake/messages",
        json.dumps({"body": body}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content


def tomorrow_at(hour: int) -> datetime:
    with schema_context(TENANT):
        today = timezone.localdate(timezone=ZONE)
    return datetime.combine(today + timedelta(days=1), time(hour), tzinfo=ZONE)


def trail_actions(page: str) -> list[str]:
    """The action codes of the trail's rows (each row's action cell carries its code)."""
    return re.findall(r'<td title="([\w:]+)">', page)


def test_a_reporters_actions_reach_the_trail_only_after_their_day(sukabumi):
    supervisor = staff_client(sukabumi, SUPERVISOR)
    auditor = staff_client(sukabumi, AUDITOR)
    receipt = send_report()
    reply_as_reporter(receipt)
    with schema_context(TENANT):
        case = Case.objects.get(report__receipt_hash__isnull=False)
    # A staff action later the same day: the reporter's actions must not show before it.
    response = supervisor.post(f"/staff/kasus/{case.reference}/catatan/", {"body": "Cek loket 3."})
    assert response.status_code == 302

    trail_today = auditor.get("/staff/audit/").content.decode()
    assert "baru tampil besok" in trail_today  # the page says why today's reporter actions are missing
    today = trail_actions(trail_today)
    assert "report_received" not in today and "reporter_reply" not in today
    assert "note" in today

    # Before the grace after midnight, nothing is appended yet.
    with schema_context(TENANT):
        assert settle_reporter_traces(tomorrow_at(0) + timedelta(minutes=10)) == 0
        assert settle_reporter_traces(tomorrow_at(2)) == 2
        assert settle_reporter_traces(tomorrow_at(2)) == 0  # once only
        checked, problems = audit_verify()
        assert problems == [] and checked == AuditEntry.objects.count()

    newest_first = trail_actions(auditor.get("/staff/audit/").content.decode())
    # Appended after every staff action of the day, dated midnight of the day.
    assert set(newest_first[:2]) == {"report_received", "reporter_reply"}
    assert newest_first.index("note") > 1
    with schema_context(TENANT):
        for entry in AuditEntry.objects.filter(action__in=["report_received", "reporter_reply"]):
            local = entry.created_at.astimezone(ZONE)
            assert (local.hour, local.minute, local.second) == (0, 0, 0)
            assert local.date() == case.received_on and entry.case_id == case.pk
    verified = StringIO()
    call_command("audit", "verify", "--tenant", TENANT, stdout=verified)
    assert "audit trail intact" in verified.getvalue()


def test_a_days_reporter_entries_are_appended_in_random_order(sukabumi):
    for _ in range(8):
        send_report()
    with schema_context(TENANT):
        arrival_order = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        settle_reporter_traces(tomorrow_at(3))
        chain_order = list(
            AuditEntry.objects.filter(action="report_received")
            .order_by("id")
            .values_list("case_id", flat=True)
        )
    assert sorted(chain_order) == sorted(arrival_order)
    assert chain_order != arrival_order  # 1 in 40,320 to fail by chance


def test_the_beat_visits_only_tenants_holding_entries(sukabumi, sulteng, django_capture_on_commit_callbacks):
    assert tenants_with_held_entries() == []
    with django_capture_on_commit_callbacks(execute=True):
        send_report()
    assert tenants_with_held_entries() == [TENANT]
    assert settle_reporter_traces_due() == 1  # sulteng, holding nothing, is not visited
    # Today's entries are not due yet: the tenant stays in the set.
    assert tenants_with_held_entries() == [TENANT]
    with schema_context(TENANT):
        settle_reporter_traces(tomorrow_at(2))
    assert tenants_with_held_entries() == []


def test_a_reporters_file_carries_the_day_only_on_disk(sukabumi, evidence_in_tmp):
    response = submit_with_files(api(TENANT), FULL_REPORT, [_pdf_upload()])
    assert response.status_code == 201, response.content
    with schema_context(TENANT):
        attachment = Attachment.objects.get()
        path = evidence_in_tmp / TENANT / attachment.storage_name
        received_on = attachment.uploaded_on
    midnight = datetime.combine(received_on, time.min, tzinfo=ZONE).timestamp()
    for stamped in (path, path.parent):
        assert os.stat(stamped).st_mtime == midnight
        assert os.stat(stamped).st_atime == midnight
    content_before = path.read_bytes()
    with schema_context(TENANT):
        settle_reporter_traces(tomorrow_at(2))
    # Rewritten by the batch (its inode change time is the batch's), still dated the day.
    assert path.read_bytes() == content_before and os.stat(path).st_mtime == midnight


def _pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("kwitansi.pdf", pdf_with_author(), content_type="application/pdf")


def rows_holding(text: str, schema: str = TENANT) -> list[str]:
    """The tenant's tables with a row whose text holds ``text``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        tables = [name for (name,) in cursor.fetchall()]
        found = []
        for table in tables:
            cursor.execute(
                f'SELECT 1 FROM "{schema}"."{table}" AS row WHERE strpos(row::text, %s) > 0 LIMIT 1', [text]
            )
            if cursor.fetchone():
                found.append(table)
    return found


def test_a_mailbox_session_leaves_no_row_and_ends_at_sign_out(sukabumi):
    receipt = send_report()
    reporter = api(TENANT)
    opened = reporter.post("/pantau/", {"receipt": receipt})
    assert opened.status_code == 302
    token = opened.cookies[settings.WBS_MAILBOX_COOKIE_NAME].value
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    assert reporter.get("/pantau/kotak/").status_code == 200

    # Nothing in the tenant's database says a session is open, or when it was last used.
    assert rows_holding(token_hash) == []
    with schema_context(TENANT):
        key = f"mailbox-session:{token_hash}"
        assert 0 < cache.ttl(key) <= 20 * 60  # Redis forgets it when it expires

    reporter.post("/pantau/keluar/")
    with schema_context(TENANT):
        assert cache.get(key) is None
    reporter.cookies[settings.WBS_MAILBOX_COOKIE_NAME] = token  # the old cookie opens nothing any more
    assert reporter.get("/pantau/kotak/").status_code == 401


def test_case_references_tell_neither_order_nor_count(sukabumi):
    receipts = [send_report() for _ in range(6)]
    supervisor = staff_client(sukabumi, SUPERVISOR)
    with schema_context(TENANT):
        cases = list(Case.objects.select_related("report").order_by("pk"))
    references = [case.reference for case in cases]
    year = cases[0].received_on.year
    assert all(re.fullmatch(rf"WBS-{year}-[2-9A-HJKMNP-TV-Z]{{5}}", reference) for reference in references)
    assert all(case.report.reference == case.reference for case in cases)
    assert len(set(references)) == len(receipts)
    # Not a count: no reference is a number, and arrival order is not their order.
    assert not any(reference[-5:].isdigit() for reference in references)
    assert sorted(references) != references  # 1 in 720 to fail by chance

    # Staff reach a case by its reference; its row id opens nothing.
    case = cases[0]
    page = supervisor.get(f"/staff/kasus/{case.reference}/")
    assert page.status_code == 200 and case.reference in page.content.decode()
    assert supervisor.get(f"/staff/kasus/{case.pk}/").status_code == 404
    assert supervisor.get(f"/api/v1/cases/{case.pk}").status_code == 404
    listed = supervisor.get("/api/v1/cases?page_size=100").json()["results"]
    assert {row["reference"] for row in listed} == set(references)
    assert all("id" not in row for row in listed)
    queue = supervisor.get("/staff/kasus/").content.decode()
    assert (
        f'href="/staff/kasus/{case.reference}/"' in queue and f'href="/staff/kasus/{case.pk}/"' not in queue
    )
    # Equal deadlines (the same day's arrivals) are listed by reference, not by arrival.
    assert [row["reference"] for row in listed] == sorted(references)


def test_a_reference_drawn_twice_is_drawn_again(sukabumi, monkeypatch):
    send_report()
    with schema_context(TENANT):
        taken = Case.objects.get().reference
    drawn = iter([taken, taken, "WBS-2026-ZZZZZ"])
    monkeypatch.setattr("intake.services.reports.new_reference", lambda year: next(drawn))
    send_report()
    with schema_context(TENANT):
        assert sorted(Case.objects.values_list("reference", flat=True)) == sorted([taken, "WBS-2026-ZZZZZ"])


def test_concurrent_batches_append_each_held_entry_once(django_db_setup, django_db_blocker):
    """Batches started at once on separate connections (two beat runs, a retried task): the
    chain lock lets one append the day's entries; the others find nothing left to append."""
    marker = uuid.uuid4().hex
    with django_db_blocker.unblock(), schema_context(TENANT):
        yesterday = timezone.localdate(timezone=ZONE) - timedelta(days=2)
        HeldAuditEntry.objects.bulk_create(
            HeldAuditEntry(
                day=yesterday, actor_label="system", action="report_received", details={"run": marker}
            )
            for _ in range(12)
        )
    start = threading.Barrier(3)
    appended: list[int] = []

    def batch() -> None:
        try:
            start.wait()
            with schema_context(TENANT):
                appended.append(settle_reporter_traces(timezone.now()))
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=batch) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with schema_context(TENANT):
            assert sorted(appended) == [0, 0, 12]
            assert AuditEntry.objects.filter(details__run=marker).count() == 12
            assert not HeldAuditEntry.objects.filter(details__run=marker).exists()
            checked, problems = audit_verify()
            assert problems == [] and checked == AuditEntry.objects.count()
