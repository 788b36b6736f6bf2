"""Staff of a tenant."""

from __future__ import annotations

from typing import Any

import factory
from django_tenants.utils import schema_context

from tenants.accounts.models import StaffRole, User
from tenants.models import Tenant

DEFAULT_TENANT = "sukabumi"


def tenant_slug(tenant: Tenant | str) -> str:
    return tenant if isinstance(tenant, str) else tenant.schema_name


def staff_member(who: User | str) -> User:
    """A User as given, or the staff member with this email (in the current schema)."""
    return who if isinstance(who, User) else User.objects.get(email=who)


def first_with_role(role: str) -> User:
    """The longest-serving active staff member with this role (in the current schema)."""
    user = User.objects.filter(roles__contains=[role], is_active=True).order_by("pk").first()
    if user is None:
        raise LookupError(f"no active {role} in this tenant")
    return user


def first_supervisor() -> User:
    return first_with_role(StaffRole.SUPERVISOR)


class StaffFactory(factory.Factory[User]):
    """A staff account in a tenant's schema. ``password`` None leaves it unable to sign in
    with one (as before an invitation is accepted)."""

    class Meta:
        model = User

    tenant = DEFAULT_TENANT
    email = factory.Sequence(lambda number: f"staf{number}@sukabumi.example")
    full_name = factory.LazyAttribute(lambda staff: staff.email.split("@")[0])
    roles = factory.List([])
    password: Any = None

    @classmethod
    def _create(cls, model_class: type[User], *, tenant: Tenant | str, email: str, **fields: Any) -> User:
        with schema_context(tenant_slug(tenant)):
            return model_class.objects.create_user(username=email, email=email, **fields)
