"""``connection`` typed as the tenant-aware backend it really is.

django-stubs types ``django.db.connection`` as a plain ``BaseDatabaseWrapper``,
which has no ``set_tenant``/``schema_name``. Import ``connection`` from here
wherever the tenant is selected or read.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.db_backend.base import DatabaseWrapper
    from tenants.models import Tenant

    connection: DatabaseWrapper
else:
    from django.db import connection

__all__ = ["connection", "current_schema_name", "current_tenant", "tenant_connection"]


def tenant_connection() -> "DatabaseWrapper":
    """The connection the tenant is selected on: ``connection`` itself, without the
    cost of reaching it through Django's proxy (see tenants.db_backend.base)."""
    from tenants.db_backend.base import selected_connection

    return selected_connection() or connection


def current_schema_name() -> str:
    return str(tenant_connection().schema_name)


def current_tenant() -> "Tenant":
    """The selected tenant as a model instance (schema_context selects only a name)."""
    from tenants.models import Tenant

    selected = tenant_connection()
    tenant = getattr(selected, "tenant", None)
    if isinstance(tenant, Tenant):
        return tenant
    return Tenant.objects.get(schema_name=selected.schema_name)
