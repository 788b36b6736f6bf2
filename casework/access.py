"""Who may do what with cases: the one choke point for every staff page, API
endpoint, export, count and notification, and the one place need-to-know is decided.

Need-to-know (what a person may read and act on: ``visible_cases``), by role; a
person holding several roles sees the union:

- supervisors (the Inspektur) see every case;
- intake officers see the cases in intake: received, in verification, and waiting
  on the reporter's clarification asked for during verification (a case paused
  from desk review or examination stays with those handling it);
- investigators see the cases assigned to them, or to a team they are a member of;
- auditors and administrators never read a case: they may know that a case exists
  (``overseen_cases``: statistics, the audit trail, the case list export, retention);
- the identity custodian sees a case only through an identity request on it.

An exclusion in force (conflict of interest) removes the case from its person
whatever their roles: it is absent from lists, counts, search, exports, digests,
reminders, the audit trail and the API alike, and fetching it by its
reference (``case_for``) answers "not found" exactly as for a case that does not exist.

No change may leave an open case with nobody able to act on it
(``left_without_handler``, ``open_cases_nobody_can_handle``): exclusions,
assignments, workflow steps and staff role changes check it inside their transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casework.models import OPEN_STATES, Case, CaseState, Exclusion, IdentityRequest, Team
from intake.references import is_reference
from tenants.accounts.models import StaffRole, User
from tenants.accounts.permissions import CORE_PERMISSIONS, Permission, roles_of
from tenants.field_checks import object_id

R = StaffRole
HANDLERS = frozenset({R.INTAKE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR})
# Roles that may know a case exists without reading it.
OVERSIGHT = frozenset({R.AUDITOR, R.ADMINISTRATOR})
NOT_FOUND = "Kasus tidak ditemukan. / No such case."
NO_SUCH_EXCLUSION = "Pengecualian tidak ditemukan. / No such exclusion."

# Casework's actions and the roles allowed each (a person may hold several roles).
_CASEWORK_ACTIONS: dict[str, frozenset[str]] = {
    "view_cases": HANDLERS,
    "view_statistics": HANDLERS | {R.AUDITOR, R.ADMINISTRATOR},
    "record_offline_report": frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
    "assign": frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
    "exclude_others": frozenset({R.SUPERVISOR}),
    "lift_exclusion": frozenset({R.SUPERVISOR, R.ADMINISTRATOR}),
    "declare_conflict": HANDLERS,
    "message_reporter": HANDLERS,
    "write_note": HANDLERS,
    "upload_evidence": HANDLERS,
    "request_identity": frozenset({R.INVESTIGATOR, R.SUPERVISOR}),
    "decide_identity": frozenset({R.IDENTITY_CUSTODIAN}),
    "export_case_list": frozenset({R.SUPERVISOR, R.AUDITOR}),
    "export_case_summary": HANDLERS,
    "request_early_deletion": frozenset({R.ADMINISTRATOR}),
    "approve_early_deletion": frozenset({R.ADMINISTRATOR}),
    "forward_case": frozenset({R.SUPERVISOR}),
    "close_as_junk": frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
}
# Every action a casework page or service checks, the core's own included (settings,
# staff, the audit trail), by name.
PERMISSIONS: dict[str, Permission] = {
    **{name: Permission(name, roles) for name, roles in _CASEWORK_ACTIONS.items()},
    **{permission.name: permission for permission in CORE_PERMISSIONS},
}

# Intake: received, being verified, or waiting on the reporter from verification.
INTAKE_STATES = (CaseState.RECEIVED, CaseState.VERIFICATION)
PAUSED_IN_INTAKE = (CaseState.VERIFICATION, "")
IN_INTAKE = Q(state__in=INTAKE_STATES) | Q(
    state=CaseState.CLARIFICATION, state_before_pause__in=PAUSED_IN_INTAKE
)


def in_intake(case: Case) -> bool:
    """``IN_INTAKE`` for a case at hand."""
    if case.state == CaseState.CLARIFICATION:
        return case.state_before_pause in PAUSED_IN_INTAKE
    return case.state in INTAKE_STATES


def row_id(pk: Any) -> int:
    """An id from a URL (``object_id``: ASCII digits only); ValueError for anything else."""
    number = object_id(pk)
    if number is None:
        raise ValueError(pk)
    return number


def can(user: Any, action: str) -> bool:
    return PERMISSIONS[action].allows(user)


def require(user: Any, action: str) -> None:
    PERMISSIONS[action].require(user)


def _not_excluded(user: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    excluded = Exclusion.objects.in_force().filter(case=OuterRef("pk"), user_id=user.pk)
    return cases.exclude(Exists(excluded))


def _need_to_know(user: Any) -> Q | None:
    """Which cases this person's handling roles give them (None: no case at all)."""
    roles = roles_of(user)
    if R.SUPERVISOR in roles:
        return Q()
    given: list[Q] = []
    if R.INTAKE_OFFICER in roles:
        given.append(IN_INTAKE)
    if R.INVESTIGATOR in roles:
        teams = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
        given.append(Q(assignee_id=user.pk) | Q(team_id__in=teams))
    if not given:
        return None
    condition = given[0]
    for more in given[1:]:
        condition |= more
    return condition


def visible_cases(user: Any) -> QuerySet[Case]:
    """Every case this person may read and act on (none for roles that do not handle cases)."""
    condition = _need_to_know(user) if can(user, "view_cases") else None
    if condition is None:
        return Case.objects.none()
    return _not_excluded(user, Case.objects.filter(condition))


def overseen_cases(user: Any) -> QuerySet[Case]:
    """Cases an auditor or administrator may know exist, never read: for statistics, the
    audit trail, the case list export and retention (every case they are not excluded from)."""
    if not roles_of(user) & OVERSIGHT:
        return Case.objects.none()
    return _not_excluded(user, Case.objects.all())


def known_cases(user: Any) -> QuerySet[Case]:
    """Every case this person may know exists: the ones they see and the ones they oversee."""
    if roles_of(user) & OVERSIGHT:
        return overseen_cases(user)
    return visible_cases(user)


def listable_cases(user: Any) -> QuerySet[Case]:
    """Cases a person may see in a list export: handlers their visible cases; auditors
    (read-only statistics, no case content) every case they are not excluded from."""
    if can(user, "view_cases"):
        return visible_cases(user)
    if can(user, "export_case_list"):
        return overseen_cases(user)
    return Case.objects.none()


def statistics_cases(user: Any) -> QuerySet[Case]:
    """The cases the dashboard counts for this person (aggregates only)."""
    if not can(user, "view_statistics"):
        return Case.objects.none()
    return known_cases(user)


def case_for(user: Any, reference: str) -> Case:
    """One visible case by its reference, or Http404 whether it is missing, excluded or out of
    the person's roles."""
    try:
        if not is_reference(reference):
            raise Case.DoesNotExist()
        cases = visible_cases(user).select_related("report__category", "assignee", "team")
        return cases.get(reference=reference)
    except (Case.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404(NOT_FOUND) from missing


def overseen_case_for(user: Any, reference: str) -> Case:
    """One case an administrator or auditor oversees (retention) by its reference, or Http404."""
    try:
        if not is_reference(reference):
            raise Case.DoesNotExist()
        return overseen_cases(user).select_related("report").get(reference=reference)
    except (Case.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404(NOT_FOUND) from missing


def identity_request_cases(user: Any) -> QuerySet[Case]:
    """The identity custodian sees a case only through an identity request on it."""
    if not can(user, "decide_identity"):
        return Case.objects.none()
    with_request = Exists(IdentityRequest.objects.filter(case=OuterRef("pk")))
    return _not_excluded(user, Case.objects.filter(with_request))


def identity_requests_for(user: Any) -> QuerySet[IdentityRequest]:
    """The identity requests the custodian may decide (never on a case they are excluded from)."""
    return IdentityRequest.objects.filter(case__in=identity_request_cases(user))


def case_for_identity_custodian(user: Any, pk: Any) -> Case:
    require(user, "decide_identity")
    try:
        return identity_request_cases(user).get(pk=row_id(pk))
    except (Case.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404(NOT_FOUND) from missing


def exclusions_for(user: Any) -> QuerySet[Exclusion]:
    """Exclusions a supervisor or administrator may review and lift: those on cases they
    may know exist (so nobody lifts their own, which hides the case from them)."""
    if not can(user, "lift_exclusion"):
        return Exclusion.objects.none()
    return Exclusion.objects.filter(case__in=known_cases(user))


def exclusion_for(user: Any, pk: Any) -> Exclusion:
    try:
        return exclusions_for(user).select_related("case__report", "user", "created_by").get(pk=row_id(pk))
    except (Exclusion.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404(NO_SUCH_EXCLUSION) from missing


# --- Who can act on a case ----------------------------------------------------------------------


def _active_handlers() -> list[User]:
    # Supervisors first: one of them usually settles "is anybody left?" at once.
    people = User.objects.filter(is_active=True, roles__overlap=sorted(HANDLERS)).order_by("pk")
    return sorted(people, key=lambda person: R.SUPERVISOR not in person.roles)


def sees(user: Any, case: Case) -> bool:
    """Whether this person may read and act on this case now."""
    return visible_cases(user).filter(pk=case.pk).exists()


def left_without_handler(case: Case) -> bool:
    """Whether this case (as saved now: a service asks inside its transaction, after its
    change) is open and nobody active can act on it. One lookup by id per person, until one
    is found."""
    if case.state not in OPEN_STATES:
        return False
    return not any(sees(person, case) for person in _active_handlers())


def open_cases_nobody_can_handle(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Those of ``cases`` that are open and that no active person can act on (read now:
    for a change to a staff member, inside its transaction)."""
    orphans = cases.filter(state__in=OPEN_STATES)
    for person in _active_handlers():
        orphans = orphans.exclude(Exists(visible_cases(person).filter(pk=OuterRef("pk"))))
    return orphans


def overseers_of(case: Case) -> QuerySet[User]:
    """The active administrators and auditors who may read this case's audit trail."""
    excluded = Exclusion.objects.in_force().filter(case=case, user=OuterRef("pk"))
    return User.objects.filter(is_active=True, roles__overlap=sorted(OVERSIGHT)).exclude(Exists(excluded))


def could_know(person: User, case: Case) -> bool:
    """Whether the case would be in this person's view but for an exclusion: they see or
    oversee it, could see it once given it (investigators), or would see it through an
    identity request (the identity custodian). Only such a person can be excluded."""
    if not person.is_active:
        return False
    roles = roles_of(person)
    if roles & (OVERSIGHT | {R.SUPERVISOR, R.INVESTIGATOR, R.IDENTITY_CUSTODIAN}):
        return True
    return R.INTAKE_OFFICER in roles and in_intake(case)
