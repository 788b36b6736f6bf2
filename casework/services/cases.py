"""Staff actions on a case: assignment, conflicts of interest, internal notes.
(A report's arrival opens its case: casework.report_handling.)"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.access import require
from casework.models import (
    Assignment,
    Case,
    CaseEvent,
    Exclusion,
    InternalNote,
    Team,
)
from intake.encryption import report_key
from tenants.accounts.models import StaffRole, User
from tenants.audit.trail import audit_record
from tenants.errors import InvalidInput


def _handler(user_id: Any) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not (
        {StaffRole.INTAKE_OFFICER, StaffRole.INVESTIGATOR, StaffRole.SUPERVISOR} & set(user.roles)
    ):
        raise InvalidInput({"assignee": "Pilih petugas yang menangani kasus. / Choose a case handler."})
    return user


def case_assign(
    *, case: Case, actor: Any, assignee_id: Any = None, team_id: Any = None, reason: str = ""
) -> Case:
    """Give the case to a handler and/or team; the previous assignment is ended, not erased."""
    require(actor, "assign")
    assignee = _handler(assignee_id) if assignee_id else None
    team = Team.objects.filter(pk=team_id).first() if team_id else None
    if team_id and team is None:
        raise InvalidInput({"team": "Tim tidak dikenal. / Unknown team."})
    if assignee is None and team is None:
        raise InvalidInput({"assignee": "Pilih petugas atau tim. / Choose a handler or a team."})
    if assignee is not None and Exclusion.objects.filter(case=case, user=assignee).exists():
        raise InvalidInput({"assignee": "Petugas ini dikecualikan dari kasus. / This person is excluded."})
    with transaction.atomic():
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=timezone.now())
        Assignment.objects.create(
            case=case, assignee=assignee, team=team, assigned_by=actor, reason=reason[:300]
        )
        case.assignee, case.team = assignee, team
        case.save(update_fields=["assignee", "team", "updated_at"])
        label = ", ".join(str(x) for x in (assignee, team) if x is not None)
        CaseEvent.objects.create(case=case, kind="assigned", actor=actor, detail=label[:300])
        audit_record(
            action="assign",
            actor=actor,
            case_id=case.pk,
            assignee_id=getattr(assignee, "pk", None),
            team_id=getattr(team, "pk", None),
        )
    return case


def case_exclude(*, case: Case, actor: Any, user_id: Any, reason: str) -> Exclusion:
    """A supervisor excludes someone, or a person declares their own conflict of interest."""
    declared_by_self = str(user_id) == str(getattr(actor, "pk", None))
    require(actor, "declare_conflict" if declared_by_self else "exclude_others")
    if not reason.strip():
        raise InvalidInput({"reason": "Sebutkan alasannya. / Give the reason."})
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise InvalidInput({"user": "Petugas tidak dikenal. / Unknown staff member."})
    with transaction.atomic():
        exclusion, _ = Exclusion.objects.get_or_create(
            case=case,
            user=person,
            defaults={
                "reason": reason.strip()[:300],
                "declared_by_self": declared_by_self,
                "created_by": actor,
            },
        )
        if case.assignee_id == person.pk:
            Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=timezone.now())
            case.assignee = None
            case.save(update_fields=["assignee", "updated_at"])
        audit_record(
            action="exclude",
            actor=actor,
            case_id=case.pk,
            excluded_user_id=person.pk,
            declared_by_self=declared_by_self,
        )
    return exclusion


def case_add_note(*, case: Case, actor: Any, body: str) -> InternalNote:
    require(actor, "write_note")
    body = body.strip()
    if not body:
        raise InvalidInput({"body": "Catatan kosong. / The note is empty."})
    with transaction.atomic():
        note = InternalNote.objects.create(
            case=case, author=actor, sealed_body=report_key(case.report).seal("note", body[:10000].encode())
        )
        CaseEvent.objects.create(case=case, kind="note", actor=actor)
        audit_record(action="note", actor=actor, case_id=case.pk, note_id=note.pk)
    return note


def note_text(note: InternalNote, case: Case) -> str:
    return report_key(case.report).open("note", bytes(note.sealed_body)).decode()
