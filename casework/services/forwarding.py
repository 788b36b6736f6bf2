"""Forwarding a case to another inspectorate on the platform (a city to its
province, a province to a regency, ...).

A supervisor chooses what to pass: some of the narrative fields, the evidence
files, and the reporter's identity only if the reporter agreed to that
(``Report.consent_to_forward_identity``). The receiving tenant gets a new
report and case of its own (channel "forwarded", received today in its own time
zone, sealed under its own keys, with a random receipt nobody holds); the
sending case is concluded with the outcome "forwarded" and the reporter is told
where the report went. Both audit trails record it.

Both tenants' schemas live in the same database, so one transaction spans the
two halves: a failure in either leaves neither half done (files stored for the
receiver, before the transaction, are removed again). The transaction takes both
tenants' audit-chain locks first, in a fixed order (no deadlock between two
tenants forwarding to each other).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from casework import deadlines
from casework.access import case_for, require
from casework.models import Case, CaseEvent, CaseState, InternalNote, Outcome
from casework.services.messages import case_message_reporter
from intake.encryption import KeyUnavailable, report_key
from intake.evidence_storage import read_evidence, remove_files
from intake.models import Attachment, Category, Channel, IdentityMode, Report, ReporterRelation
from intake.report_input import ReportDraft, present_elements
from intake.services.reports import report_prepare, report_store
from tenants.audit.trail import audit_record, lock_audit_chains
from tenants.clock import tenant_today
from tenants.db import connection, current_tenant
from tenants.errors import InvalidInput
from tenants.models import Tenant

NARRATIVE_FIELDS = ("what", "description", "who", "where", "when", "why", "how")
# What a supervisor may choose to pass on.
PASSABLE_FIELDS = (*NARRATIVE_FIELDS, "how_much", "evidence", "identity")
FALLBACK_CATEGORY = "lainnya"
MAX_NOTE_LENGTH = 2000
FIELDS_ERROR = "pass_fields"
NOTHING_PASSED = (
    "Pilih setidaknya satu isi laporan yang diteruskan. / Choose at least one part of the report."
)

REPORTER_MESSAGE = (
    "Laporan Anda kami teruskan kepada {name}, yang berwenang menindaklanjutinya. "
    "Kode laporan Anda tetap dapat dipakai di portal ini untuk melihat status dan mengirim pesan.",
    "We have forwarded your report to {name}, which has the authority to follow it up. "
    "Your receipt keeps working on this portal to see the status and send messages.",
)


@dataclass
class ForwardedCase:
    sent: Case  # the sending tenant's case, now concluded as forwarded
    receiver: Tenant
    received_case_id: int  # the new case in the receiving tenant's schema
    received_reference: str


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInput(errors)


def _receiver(slug: str, sender_schema: str) -> Tenant:
    slug = (slug or "").strip().lower()
    if not slug:
        raise InvalidInput({"to_tenant": "Pilih inspektorat tujuan. / Choose where to forward it."})
    if slug == sender_schema:
        raise InvalidInput(
            {"to_tenant": "Tidak dapat meneruskan ke inspektorat sendiri. / Cannot forward to yourself."}
        )
    receiver = Tenant.objects.filter(schema_name=slug).exclude(schema_name=get_public_schema_name()).first()
    if receiver is None or not receiver.accepts_reports:
        raise InvalidInput(
            {
                "to_tenant": "Inspektorat tujuan tidak dikenal di platform ini. "
                "/ No such inspectorate on this platform."
            }
        )
    return receiver


def _check_fields(pass_fields: Iterable[str], report: Report) -> set[str]:
    fields = {str(name) for name in pass_fields}
    errors: dict[str, str] = {}
    unknown = sorted(fields - set(PASSABLE_FIELDS))
    if unknown:
        errors[FIELDS_ERROR] = (
            f"Isian tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(PASSABLE_FIELDS)}. "
            "/ Unknown fields."
        )
    elif not fields & {*NARRATIVE_FIELDS, "how_much"}:
        errors[FIELDS_ERROR] = NOTHING_PASSED
    if "identity" in fields and not (report.consent_to_forward_identity and report.sealed_identity):
        errors["identity"] = (
            "Pelapor tidak menyetujui identitasnya diteruskan. "
            "/ The reporter did not agree to their identity being passed on."
        )
    _refuse(errors)
    return fields


def _receiving_category(code: str) -> Category:
    active = Category.objects.filter(is_active=True)
    category = (
        active.filter(code=code).first() or active.filter(code=FALLBACK_CATEGORY).first() or active.first()
    )
    if category is None:
        raise InvalidInput(
            {"to_tenant": "Inspektorat tujuan belum menerima laporan. / Not accepting reports."}
        )
    return category


def case_forward(
    *, case: Case, actor: Any, to_tenant_slug: str, pass_fields: Iterable[str], note: str = ""
) -> ForwardedCase:
    """Forward a case to another tenant; raises NotAllowed, Http404 or InvalidInput saying why not."""
    require(actor, "forward_case")
    case = case_for(actor, case.report.reference)  # excluded people cannot forward what they may not see
    sender_schema = connection.schema_name
    sender = current_tenant()
    receiver = _receiver(to_tenant_slug, sender_schema)
    report = case.report
    fields = _check_fields(pass_fields, report)
    note = (note or "").strip()[:MAX_NOTE_LENGTH]
    if case.shredded_on is not None or not case.is_open:
        raise InvalidInput(
            {
                "case": "Hanya kasus yang masih ditangani dapat diteruskan. / Only an open case can be forwarded."
            }
        )

    # Everything the receiver gets is read (and checked) under the sender's keys first.
    try:
        key = report_key(report)
    except KeyUnavailable as error:
        raise InvalidInput({"case": "Laporan ini sudah dimusnahkan. / This report was destroyed."}) from error
    narrative = key.open_json("narrative", bytes(report.sealed_narrative))
    passed_narrative = {
        name: narrative[name] for name in NARRATIVE_FIELDS if name in fields and narrative.get(name)
    }
    how_much = report.how_much if "how_much" in fields else None
    identity = None
    if "identity" in fields and report.sealed_identity is not None:
        identity = dict(key.open_json("identity", bytes(report.sealed_identity)))
    files: list[UploadedFile] = []
    if "evidence" in fields:
        for attachment in Attachment.objects.filter(report=report):
            name, content = read_evidence(attachment, key)
            files.append(SimpleUploadedFile(name, content, content_type=attachment.content_type))
    category_code = report.category.code
    actor_label = f"{getattr(actor, 'email', '') or actor} ({sender_schema})"
    passed = sorted(fields)

    # The receiver's report is sealed and its files stored before the transaction, so no
    # audit-chain lock is held while storage works.
    with schema_context(receiver.schema_name):
        draft = ReportDraft(
            category=_receiving_category(category_code),
            narrative=passed_narrative,
            how_much=how_much,
            identity_mode=report.identity_mode if identity else IdentityMode.ANONYMOUS,
            identity=identity,
            relation=report.relation if identity else ReporterRelation.OTHER,
            notify_email=None,
            present=present_elements(passed_narrative, how_much),
            consent_to_forward_identity=identity is not None,
        )
        prepared = report_prepare(draft=draft, files=files, channel=Channel.FORWARDED)
    try:
        with transaction.atomic():
            # Both trails are appended to: take both chain locks first, always in the same
            # order, so two tenants forwarding to each other at once cannot deadlock.
            lock_audit_chains([sender_schema, receiver.schema_name])
            case = Case.objects.select_for_update().select_related("report").get(pk=case.pk)
            if case.shredded_on is not None or not case.is_open:
                raise InvalidInput({"case": "Status kasus baru saja berubah. / The case just changed."})

            # The receiving half, in the receiver's schema (same database, same transaction).
            with schema_context(receiver.schema_name):
                submitted = report_store(prepared)
                incoming = submitted.report
                received = Case.objects.get(pk=submitted.case_id)
                received.forwarded_from_slug = sender_schema
                received.forwarded_from_name = sender.official_name[:200]
                received.save(update_fields=["forwarded_from_slug", "forwarded_from_name", "updated_at"])
                if note:
                    InternalNote.objects.create(
                        case=received,
                        author=None,
                        sealed_body=report_key(incoming).seal("note", note.encode()),
                    )
                CaseEvent.objects.create(
                    case=received, kind="forwarded_in", detail=sender.official_name[:300]
                )
                audit_record(
                    action="forward_in",
                    actor=actor_label,
                    case_id=received.pk,
                    from_tenant=sender_schema,
                    from_case_id=case.pk,
                    fields=passed,
                    identity_passed=identity is not None,
                    evidence_files=len(files),
                )
                received_reference = incoming.reference

            # The sending half: concluded as forwarded, the reporter told where it went.
            language = 1 if sender.default_language == "en" else 0
            told = REPORTER_MESSAGE[language].format(name=receiver.official_name)
            from_state = case.state
            case.state = CaseState.CONCLUDED
            case.state_before_pause = ""
            case.outcome = Outcome.FORWARDED
            case.sealed_outcome_summary = key.seal("outcome-summary", told.encode())
            case.forwarded_to_slug = receiver.schema_name
            case.forwarded_to_name = receiver.official_name[:200]
            deadlines.after_transition(
                case, from_state=from_state, to_state=CaseState.CONCLUDED, today=tenant_today()
            )
            case.save()
            if note:
                InternalNote.objects.create(
                    case=case, author=actor, sealed_body=key.seal("note", note.encode())
                )
            CaseEvent.objects.create(
                case=case,
                kind="forward",
                actor=actor,
                from_state=from_state,
                to_state=CaseState.CONCLUDED,
                detail=receiver.official_name[:300],
            )
            audit_record(
                action="forward",
                actor=actor,
                case_id=case.pk,
                to_tenant=receiver.schema_name,
                to_case_id=received.pk,
                fields=passed,
                identity_passed=identity is not None,
                evidence_files=len(files),
                from_state=from_state,
                to_state=CaseState.CONCLUDED.value,
                outcome=Outcome.FORWARDED.value,
            )
            case_message_reporter(case=case, actor=actor, body=told)
    except BaseException:
        with schema_context(receiver.schema_name):
            remove_files(prepared.stored_file_names)
        raise
    return ForwardedCase(
        sent=case,
        receiver=receiver,
        received_case_id=received.pk,
        received_reference=received_reference,
    )
