"""The audit trail: every action appends a hash-chained entry, the database refuses
to change or remove entries, and ``wbs audit verify`` finds tampering."""

from __future__ import annotations

import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.utils import DatabaseError
from django_tenants.utils import schema_context

from casework.models import Case, CaseState
from casework.services.cases import case_exclude
from casework.services.identity import identity_decide, identity_request, identity_view
from tenants.accounts.models import User
from tenants.audit.models import AuditEntry
from tenants.audit.trail import GENESIS, audit_record, audit_verify
from tenants.db import connection
from tests.factories.casework import CaseFactory

TENANT = "sukabumi"
NOTE = "Rahasia: terlapor pernah diperiksa tahun lalu."

REPORT = {
    "category": "pungli",
    "what": "Pungutan liar di terminal",
    "description": "Petugas memungut biaya tanpa karcis resmi.",
    "identity_mode": "confidential",
    "identity": {"name": "Dewi Lestari", "nik": "3272010101900003"},
}


def staff(email: str) -> User:
    return User.objects.get(email=email)


def busy_case() -> Case:
    """A case that went through the actions that must be recorded (in the tenant's schema):
    verification started by the supervisor, given to the investigator, who writes a note;
    then a conflict of interest and the reporter's identity asked for, approved and seen."""
    investigator = staff("pemeriksa@sukabumi.example")
    case = CaseFactory.create(**REPORT, state=CaseState.VERIFICATION, assignee=investigator, notes=[NOTE])
    case_exclude(
        case=case,
        actor=staff("inspektur@sukabumi.example"),
        user_id=staff("verifikator@sukabumi.example").pk,
        reason="kerabat",
    )
    request = identity_request(case=case, actor=investigator, reason="Perlu keterangan saksi pelapor.")
    identity_decide(request=request, actor=staff("kustodian@sukabumi.example"), approve=True)
    identity_view(case=case, actor=investigator)
    return case


def verify(slug: str = TENANT) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("audit", "verify", "--tenant", slug, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def tamper(sql: str, params: list) -> None:
    """What only the database superuser could do: switch the append-only trigger off for one statement."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_entry ENABLE TRIGGER USER")


def test_actions_write_chained_entries(sukabumi):
    with schema_context(TENANT):
        start = AuditEntry.objects.order_by("-id").first()
        case = busy_case()
        entries = list(AuditEntry.objects.filter(id__gt=start.pk if start else 0).order_by("id"))
        # The report's arrival is the reporter's action: held until its day is over
        # (tests/test_reporter_traces.py), so not in the chain yet.
        assert [entry.action for entry in entries] == [
            "transition:start_verification",
            "message_to_reporter",  # the reporter is told the case moved on
            "assign",
            "note",
            "exclude",
            "identity_request",
            "identity_approved",
            "identity_view",
        ]
        assert all(entry.case_id == case.pk for entry in entries)
        assert entries[0].actor_label == "inspektur@sukabumi.example"
        assert entries[0].details == {"from_state": "received", "to_state": "verification", "outcome": ""}
        previous = start.entry_hash if start else GENESIS
        for entry in entries:
            assert entry.previous_hash == previous
            previous = entry.entry_hash
        assert len({entry.entry_hash for entry in entries}) == len(entries)
        # Who did what to which case; never what the report or the note says.
        everything = str([(e.details, e.actor_label) for e in entries])
        assert NOTE not in everything and "Dewi" not in everything and "terminal" not in everything
        checked, problems = audit_verify()
        assert problems == [] and checked == AuditEntry.objects.count()


def test_the_database_refuses_update(sukabumi):
    with schema_context(TENANT):
        busy_case()
        entry = AuditEntry.objects.latest("id")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="nothing_happened")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            entry.details = {"request_id": 0}
            entry.save()
        assert AuditEntry.objects.get(pk=entry.pk).action == "identity_view"


def test_the_database_refuses_delete_and_truncate(sukabumi):
    with schema_context(TENANT):
        busy_case()
        count = AuditEntry.objects.count()
        entry = AuditEntry.objects.latest("id")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.all().delete()
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_entry")
        assert AuditEntry.objects.count() == count


def test_verify_passes_on_a_clean_chain(sukabumi):
    with schema_context(TENANT):
        busy_case()
        total = AuditEntry.objects.count()
    output, error = verify()
    assert error is None, output
    assert f"{TENANT}: {total} entries checked, 0 problem(s)" in output


def test_verify_catches_an_edited_entry(sukabumi):
    with schema_context(TENANT):
        busy_case()
        edited = AuditEntry.objects.filter(action="assign").latest("id")
        tamper("UPDATE audit_entry SET actor_label = %s WHERE id = %s", ["system", edited.pk])
        assert AuditEntry.objects.get(pk=edited.pk).actor_label == "system"
    output, error = verify()
    assert error is not None and error.returncode == 1
    assert f"entry {edited.pk}: its content was edited" in output
    assert "1 problem(s)" in output  # the next entry still links to the stored (unchanged) hash


def test_verify_catches_a_deleted_entry(sukabumi):
    with schema_context(TENANT):
        busy_case()
        note = AuditEntry.objects.filter(action="note").latest("id")
        after = AuditEntry.objects.filter(id__gt=note.pk).earliest("id")
        tamper("DELETE FROM audit_entry WHERE id = %s", [note.pk])
        assert not AuditEntry.objects.filter(pk=note.pk).exists()
    output, error = verify()
    assert error is not None and error.returncode == 1
    assert f"entry {after.pk}: the entry before it was removed" in output


def test_verify_catches_a_rewritten_hash_that_breaks_the_link(sukabumi):
    """Editing an entry and recomputing its own hash still breaks the next entry's link."""
    with schema_context(TENANT):
        busy_case()
        edited = AuditEntry.objects.filter(action="exclude").latest("id")
        following = AuditEntry.objects.filter(id__gt=edited.pk).earliest("id")
        # The forger edits the entry and recomputes its own hash with the trigger's formula.
        tamper("UPDATE audit_entry SET action = 'note', details = '{}' WHERE id = %s", [edited.pk])
        tamper(
            "UPDATE audit_entry SET entry_hash = audit_entry_hash(previous_hash, created_at, actor_id,"
            " actor_label, action, case_id, details) WHERE id = %s",
            [edited.pk],
        )
        assert AuditEntry.objects.get(pk=edited.pk).entry_hash != following.previous_hash
    output, error = verify()
    assert error is not None
    assert f"entry {following.pk}: the entry before it was removed or changed" in output
    assert f"entry {edited.pk}:" not in output


def test_verify_checks_only_the_named_tenant_and_knows_no_strangers(sukabumi, sulteng):
    with schema_context(TENANT):
        busy_case()
        first = AuditEntry.objects.earliest("id")
        tamper("UPDATE audit_entry SET action = 'x' WHERE id = %s", [first.pk])
    output, error = verify("sulteng")
    assert error is None and output.startswith("sulteng:") and TENANT not in output
    assert verify(TENANT)[1] is not None
    with pytest.raises(CommandError, match="No tenant"):
        call_command("audit", "verify", "--tenant", "atlantis", stdout=StringIO())


def test_concurrent_writers_keep_one_linear_chain(django_db_setup: None, django_db_blocker: Any) -> None:
    """Writers on separate connections commit entries at the same time: the database's
    trigger still links every entry to the one committed before it."""
    start = threading.Barrier(4)

    def write(worker: int) -> None:
        try:
            start.wait()
            for number in range(15):
                with schema_context(TENANT), transaction.atomic():
                    audit_record(action="concurrency_check", actor=f"writer {worker}", number=number)
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with schema_context(TENANT):
            assert AuditEntry.objects.filter(action="concurrency_check").count() >= 60
            checked, problems = audit_verify()
            assert problems == [] and checked == AuditEntry.objects.count()
