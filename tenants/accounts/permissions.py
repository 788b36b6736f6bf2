"""What a staff member may do, by role.

Each app names its own actions as ``Permission`` constants (casework's are in
``casework.access``); the ones here belong to the tenancy core: managing the
tenant's settings and staff, and reading its audit trail. A person may hold
several roles; an inactive or signed-out account holds none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tenants.accounts.models import StaffRole
from tenants.errors import NotAllowed


def roles_of(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return set()
    return set(getattr(user, "roles", ()) or ())


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str]

    @classmethod
    def of(cls, name: str, roles: Iterable[str]) -> Permission:
        return cls(name, frozenset(roles))

    def allows(self, user: Any) -> bool:
        return bool(roles_of(user) & self.roles)

    def require(self, user: Any) -> None:
        if not self.allows(user):
            raise NotAllowed(self.name, self.roles)


MANAGE_SETTINGS = Permission.of("manage_settings", {StaffRole.ADMINISTRATOR})
MANAGE_STAFF = Permission.of("manage_staff", {StaffRole.ADMINISTRATOR})
VIEW_AUDIT_TRAIL = Permission.of("view_audit_trail", {StaffRole.ADMINISTRATOR, StaffRole.AUDITOR})

CORE_PERMISSIONS = (MANAGE_SETTINGS, MANAGE_STAFF, VIEW_AUDIT_TRAIL)
