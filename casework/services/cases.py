"""Staff actions on a case: assignment, conflicts of interest (excluding someone,
declaring one's own, lifting an exclusion), internal notes.
(A report's arrival opens its case: casework.report_handling.)

Who may be excluded, and what an exclusion may not do:

- only a person who could otherwise know the case (``casework.access.could_know``):
  not an unknown, deactivated or role-less account, nor one already excluded;
- never the last person able to act on an open case, nor the last administrator or
  auditor able to read its audit trail: the supervisor who excludes others stays
  accountable to them;
- a person may declare their own conflict (supervisors too); that hides nothing of
  what they did, since the audit trail is filtered by its reader, never by its
  actor, and the exclusions they made stay in force under their name until another
  supervisor or an administrator lifts them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.access import (
    could_know,
    left_without_handler,
    overseers_of,
    require,
    sees,
)
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
    if assignee is not None and Exclusion.objects.in_force().filter(case=case, user=assignee).exists():
        raise InvalidInput({"assignee": "Petugas ini dikecualikan dari kasus. / This person is excluded."})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
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
        if assignee is not None and not sees(assignee, case):
            raise InvalidInput({"assignee": NOT_IN_VIEW})
        ensure_someone_can_handle(case, field="assignee")
    return case


NOT_IN_VIEW = (
    "Petugas penerimaan hanya menangani kasus yang masih dalam tahap penerimaan; pilih pemeriksa "
    "atau tim. / Intake officers handle only cases still in intake; choose an investigator or a team."
)
NOBODY_LEFT = (
    "Tidak ada lagi orang yang dapat menangani kasus terbuka ini. Tugaskan dulu kepada petugas "
    "lain. / Nobody would be left able to handle this open case. Assign it to someone else first."
)
NO_OVERSEER_LEFT = (
    "Tidak ada lagi administrator atau auditor yang dapat mengawasi jejak kasus ini. / No "
    "administrator or auditor would be left to oversee this case's audit trail."
)


def ensure_someone_can_handle(case: Case, *, field: str) -> None:
    """Refuse (inside the caller's transaction, after its change) a change that leaves an
    open case with nobody able to act on it."""
    if left_without_handler(case):
        raise InvalidInput({field: NOBODY_LEFT})


def case_exclude(*, case: Case, actor: Any, user_id: Any, reason: str) -> Exclusion:
    """A supervisor excludes someone, or a person declares their own conflict of interest."""
    declared_by_self = str(user_id) == str(getattr(actor, "pk", None))
    require(actor, "declare_conflict" if declared_by_self else "exclude_others")
    if not reason.strip():
        raise InvalidInput({"reason": "Sebutkan alasannya. / Give the reason."})
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise InvalidInput({"user": "Petugas tidak dikenal. / Unknown staff member."})
    if not could_know(person, case):
        raise InvalidInput(
            {
                "user": "Orang ini memang tidak dapat melihat kasus ini; tidak perlu dikecualikan. "
                "/ This person could not see this case anyway; there is nothing to exclude them from."
            }
        )
    with transaction.atomic():
        # One exclusion at a time per case, so two cannot each leave the other's last handler.
        case = Case.objects.select_for_update().get(pk=case.pk)
        if Exclusion.objects.in_force().filter(case=case, user=person).exists():
            raise InvalidInput(
                {"user": "Orang ini sudah dikecualikan dari kasus ini. / This person is already excluded."}
            )
        exclusion = Exclusion.objects.create(
            case=case,
            user=person,
            reason=reason.strip()[:300],
            declared_by_self=declared_by_self,
            created_by=actor,
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
        ensure_someone_can_handle(case, field="user")
        if not overseers_of(case).exists():
            raise InvalidInput({"user": NO_OVERSEER_LEFT})
    return exclusion


def exclusion_lift(*, exclusion: Exclusion, actor: Any, reason: str) -> Exclusion:
    """A supervisor or an administrator lifts an exclusion, saying why; the person sees
    the case again as their roles allow. The exclusion stays on record."""
    require(actor, "lift_exclusion")
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": "Sebutkan alasan pencabutan. / Give the reason for lifting it."})
    with transaction.atomic():
        exclusion = Exclusion.objects.select_for_update().get(pk=exclusion.pk)
        if exclusion.lifted_at is not None:
            raise InvalidInput(
                {"exclusion": "Pengecualian ini sudah dicabut. / This exclusion was already lifted."}
            )
        exclusion.lifted_at = timezone.now()
        exclusion.lifted_by = actor
        exclusion.lift_reason = reason[:300]
        exclusion.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            action="exclusion_lifted",
            actor=actor,
            case_id=exclusion.case_id,
            excluded_user_id=exclusion.user_id,
            exclusion_id=exclusion.pk,
            excluded_by_id=exclusion.created_by_id,
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
