"""Queue tasks only once the transaction that made their work commits.

A task queued inside a transaction that later rolls back would act on rows that
never existed; one queued before commit may run before its rows are visible. The
task runs in the schema it was queued in, even when another is selected by the time
the transaction commits (onboarding returns to the public schema before it does).
"""

from typing import Any

from celery import Task
from django.db import transaction
from django_tenants.utils import schema_context

from tenants.db import connection


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    schema_name = connection.schema_name

    def enqueue() -> None:
        with schema_context(schema_name):
            task.apply_async(args=args, kwargs=kwargs)

    transaction.on_commit(enqueue)
