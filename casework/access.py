"""Who may do what with cases: the one choke point for every staff page, API
endpoint, export and notification.

``visible_cases(user)`` is the only way to list cases for a person: it leaves
out every case the person is excluded from (conflict of interest), so such a
case is absent from lists, counts, search, exports and the API alike; fetching
one by id goes through ``case_for(user, pk)``, which answers "not found" for
an excluded person exactly as for a case that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from casework.models import Case
from tenants.accounts.models import StaffRole
from tenants.accounts.permissions import CORE_PERMISSIONS, Permission
from tenants.field_checks import object_id

R = StaffRole
HANDLERS = frozenset({R.INTAKE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR})

# Casework's actions and the roles allowed each (a person may hold several roles).
_CASEWORK_ACTIONS: dict[str, frozenset[str]] = {
    "view_cases": HANDLERS,
    "view_statistics": HANDLERS | {R.AUDITOR, R.ADMINISTRATOR},
    "record_offline_report": frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
    "assign": frozenset({R.INTAKE_OFFICER, R.SUPERVISOR}),
    "exclude_others": frozenset({R.SUPERVISOR}),
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
}
# Every action a casework page or service checks, the core's own included (settings,
# staff, the audit trail), by name.
PERMISSIONS: dict[str, Permission] = {
    **{name: Permission(name, roles) for name, roles in _CASEWORK_ACTIONS.items()},
    **{permission.name: permission for permission in CORE_PERMISSIONS},
}


def can(user: Any, action: str) -> bool:
    return PERMISSIONS[action].allows(user)


def require(user: Any, action: str) -> None:
    PERMISSIONS[action].require(user)


def visible_cases(user: Any) -> QuerySet[Case]:
    """Every case this person may know exists (none for roles that do not handle cases)."""
    if not can(user, "view_cases"):
        return Case.objects.none()
    return Case.objects.exclude(exclusions__user=user)


def listable_cases(user: Any) -> QuerySet[Case]:
    """Cases a person may see in a list export: handlers their visible cases; auditors
    (read-only statistics, no case content) every case they are not excluded from."""
    if can(user, "view_cases"):
        return visible_cases(user)
    if can(user, "export_case_list"):
        return Case.objects.exclude(exclusions__user=user)
    return Case.objects.none()


def case_for(user: Any, pk: Any) -> Case:
    """One visible case, or Http404 whether it is missing, excluded, out of the person's
    roles, or not named by an id at all (``object_id``: ASCII digits only)."""
    try:
        return visible_cases(user).select_related("report__category", "assignee", "team").get(pk=case_id(pk))
    except Case.DoesNotExist as missing:
        raise Http404("Kasus tidak ditemukan. / No such case.") from missing


def case_id(pk: Any) -> int:
    number = object_id(pk)
    if number is None:
        raise Case.DoesNotExist()
    return number


def case_for_identity_custodian(user: Any, pk: Any) -> Case:
    """The identity custodian sees a case only through an identity request on it."""
    require(user, "decide_identity")
    try:
        return (
            Case.objects.exclude(exclusions__user=user)
            .filter(identity_requests__isnull=False)
            .distinct()
            .get(pk=int(pk))
        )
    except (Case.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404("Kasus tidak ditemukan. / No such case.") from missing
