"""The one Celery app. Tasks carry their tenant's schema (tenant-schemas-celery):
a task queued while a tenant is selected runs with that tenant selected."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbs.settings")

app = CeleryApp("wbs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
