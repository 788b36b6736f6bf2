"""Queue tasks only once the transaction that made their work commits.

A task queued inside a transaction that later rolls back would act on rows that
never existed; one queued before commit may run before its rows are visible.
"""

from typing import Any

from celery import Task
from django.db import transaction


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
