"""Everything the case page shows, decrypted for a person who may see the case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core import signing
from django.urls import reverse

from casework.access import can, could_know
from casework.models import (
    Case,
    CaseEvent,
    CaseState,
    Exclusion,
    IdentityRequest,
    InternalNote,
    Outcome,
    Team,
)
from casework.selectors.identity import identity_access_until
from casework.selectors.queue import handler_choices
from casework.selectors.timeline import EVENT_LABELS, person_name
from casework.workflow import Transition, available_transitions
from intake.encryption import KeyUnavailable, report_key
from intake.models import Attachment, IdentityMode, Message, Report
from tenants.accounts.models import User
from tenants.db import current_schema_name

# --- The case page --------------------------------------------------------------


EVIDENCE_LINK_SALT = "casework.evidence-download"
EVIDENCE_LINK_SECONDS = 5 * 60


@dataclass
class EvidenceItem:
    pk: int
    name: str
    uploaded_by: str
    uploaded_on: date
    size: int
    content_type: str
    metadata_removed: bool
    download_url: str


@dataclass
class ThreadMessage:
    author: str
    staff_name: str
    body: str
    created_on: date
    attachments: list[str]


@dataclass
class NoteItem:
    author: str
    body: str
    created_at: Any


@dataclass
class CasePage:
    case: Case
    report: Report
    shredded: bool
    narrative: dict[str, Any]
    outcome_summary: str
    evidence: list[EvidenceItem]
    events: list[CaseEvent]
    messages: list[ThreadMessage]
    notes: list[NoteItem]
    transitions: list[Transition]
    identity_requests: list[IdentityRequest]
    identity_grant: IdentityRequest | None
    handlers: list[User]
    teams: list[Team]
    exclusion_candidates: list[User]
    may: dict[str, bool]
    outcomes: list[tuple[str, Any]] = field(default_factory=lambda: list(Outcome.choices))


def _evidence_link_signer() -> signing.TimestampSigner:
    """Signs for the current tenant only: ids repeat across tenants, so a link made on one
    tenant's host must not open a file of another that has the same ids."""
    return signing.TimestampSigner(salt=f"{EVIDENCE_LINK_SALT}:{current_schema_name()}")


def evidence_link_token(*, attachment_id: int, case_id: int, user_id: int) -> str:
    """A download link's token: for this person, this file, this tenant, five minutes."""
    signer = _evidence_link_signer()
    return signer.sign_object({"a": attachment_id, "c": case_id, "u": user_id}, compress=False)


def evidence_link_claims(token: str, *, max_age: int = EVIDENCE_LINK_SECONDS) -> dict[str, int]:
    """The claims of a download token; raises signing.BadSignature (incl. SignatureExpired)."""
    signer = _evidence_link_signer()
    claims = signer.unsign_object(token, max_age=max_age)
    if not isinstance(claims, dict) or not all(isinstance(claims.get(k), int) for k in ("a", "c", "u")):
        raise signing.BadSignature("malformed evidence link")
    return {key: int(claims[key]) for key in ("a", "c", "u")}


def case_page(case: Case, user: Any) -> CasePage:
    """Everything the case page shows, decrypted for a person who may see the case.

    The reporter's identity is never part of it (see ``identity_custody``).
    """
    report = case.report
    narrative: dict[str, Any] = {}
    outcome_summary = ""
    names: dict[int, str] = {}
    bodies: dict[int, str] = {}
    note_bodies: dict[int, str] = {}
    attachments = list(Attachment.objects.filter(report=report))
    messages = list(Message.objects.filter(report=report).select_related("staff_author"))
    notes = list(InternalNote.objects.filter(case=case).select_related("author"))
    shredded = report.wrapped_key is None
    if not shredded:
        try:
            key = report_key(report)
        except KeyUnavailable:
            shredded = True
        else:
            narrative = dict(key.open_json("narrative", bytes(report.sealed_narrative)))
            if case.sealed_outcome_summary is not None:
                outcome_summary = key.open("outcome-summary", bytes(case.sealed_outcome_summary)).decode()
            names = {
                item.pk: key.open("attachment-name", bytes(item.sealed_display_name)).decode()
                for item in attachments
            }
            bodies = {item.pk: key.open("message", bytes(item.sealed_body)).decode() for item in messages}
            note_bodies = {item.pk: key.open("note", bytes(item.sealed_body)).decode() for item in notes}
    user_id = int(user.pk)
    evidence = [
        EvidenceItem(
            pk=item.pk,
            name=names.get(item.pk, "—"),
            uploaded_by=item.get_uploaded_by_display(),
            uploaded_on=item.uploaded_on,
            size=item.size,
            content_type=item.content_type,
            metadata_removed=item.metadata_removed,
            download_url=reverse(
                "staff-evidence-download",
                args=[evidence_link_token(attachment_id=item.pk, case_id=case.pk, user_id=user_id)],
            ),
        )
        for item in attachments
        if not shredded
    ]
    thread = [
        ThreadMessage(
            author=message.author,
            staff_name=person_name(message.staff_author),
            body=bodies.get(message.pk, ""),
            created_on=message.created_on,
            attachments=[names.get(a.pk, "") for a in attachments if a.message_id == message.pk],
        )
        for message in messages
    ]
    note_items = [
        NoteItem(
            author=person_name(note.author), body=note_bodies.get(note.pk, ""), created_at=note.created_at
        )
        for note in notes
    ]
    events = list(CaseEvent.objects.filter(case=case).select_related("actor"))
    states = dict(CaseState.choices)
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)  # type: ignore[attr-defined]
        event.actor_name = person_name(event.actor)  # type: ignore[attr-defined]
        event.from_label = states.get(event.from_state, event.from_state)  # type: ignore[attr-defined]
        event.to_label = states.get(event.to_state, event.to_state)  # type: ignore[attr-defined]
    may = {
        action: can(user, action)
        for action in (
            "assign",
            "exclude_others",
            "declare_conflict",
            "message_reporter",
            "write_note",
            "upload_evidence",
            "request_identity",
            "export_case_summary",
        )
    }
    identity_given = report.identity_mode != IdentityMode.ANONYMOUS and report.sealed_identity is not None
    may["request_identity"] = may["request_identity"] and identity_given and not shredded
    handlers = handler_choices(exclude_case=case) if may["assign"] or may["exclude_others"] else []
    return CasePage(
        case=case,
        report=report,
        shredded=shredded,
        narrative=narrative,
        outcome_summary=outcome_summary,
        evidence=evidence,
        events=events,
        messages=thread,
        notes=note_items,
        transitions=available_transitions(case, user),
        identity_requests=list(
            IdentityRequest.objects.filter(case=case, requested_by=user).order_by("-created_at")
        )
        if identity_given
        else [],
        identity_grant=identity_access_until(case, user) if identity_given else None,
        handlers=handlers if may["assign"] else [],
        teams=list(Team.objects.order_by("name")) if may["assign"] else [],
        exclusion_candidates=exclusion_candidates(case, user) if may["exclude_others"] else [],
        may=may,
    )


def excluded_people(case: Case) -> list[Exclusion]:
    """The exclusions in force on the case, with who made them."""
    return list(Exclusion.objects.in_force().filter(case=case).select_related("user", "created_by"))


def exclusion_candidates(case: Case, user: Any) -> list[User]:
    """Whom a supervisor may exclude: anyone else who could otherwise know the case and is
    not excluded from it yet."""
    excluded = Exclusion.objects.in_force().filter(case=case).values("user_id")
    people = (
        User.objects.filter(is_active=True)
        .exclude(roles=[])
        .exclude(pk__in=excluded)
        .exclude(pk=user.pk)
        .order_by("full_name", "email")
    )
    return [person for person in people if could_know(person, case)]
