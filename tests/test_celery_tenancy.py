"""A task queued in one tenant runs in that tenant, on a real worker process over Redis."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from billing.models import UsageSnapshot
from tenants.task_queue import enqueue_on_commit
from tests.support.live_server import database_url_of_tests
from wbs.celery_app import app
from wbs.local_services import celery_url_for
from wbs.metering import record_usage


@pytest.fixture
def worker_queue(django_db_blocker):
    """A real `celery worker` process on its own queue, against the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    broker = celery_url_for(settings.REDIS_URL)
    environment = dict(
        os.environ, WBS_PROFILE="test", DATABASE_URL=database_url_of_tests(), CELERY_BROKER_URL=broker
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "wbs.celery_app",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=environment,
    )
    app.conf.update(task_always_eager=False)
    try:
        yield queue, broker
    finally:
        app.conf.update(task_always_eager=True)
        worker.terminate()
        worker.wait(timeout=20)
        with django_db_blocker.unblock():
            UsageSnapshot.objects.all().delete()


def wait_for_snapshots(count: int, timeout: float = 30) -> list[UsageSnapshot]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshots = list(UsageSnapshot.objects.select_related("tenant"))
        if len(snapshots) >= count:
            return snapshots
        time.sleep(0.2)
    raise AssertionError("the worker did not run the tasks in time")


def test_each_task_runs_in_the_tenant_that_queued_it(worker_queue, django_db_blocker):
    # No test transaction here: the worker's rows are committed, and removed by the fixture.
    queue, broker = worker_queue
    with django_db_blocker.unblock(), app.connection_for_write(broker) as broker:
        with schema_context("sukabumi"):
            record_usage.apply_async(queue=queue, connection=broker)
        with schema_context("sulteng"):
            record_usage.apply_async(queue=queue, connection=broker)
        snapshots = {snapshot.tenant.schema_name: snapshot for snapshot in wait_for_snapshots(2)}
    assert set(snapshots) == {"sukabumi", "sulteng"}
    # Counted inside each tenant's own schema: the province has one more category.
    assert snapshots["sukabumi"].active_categories == 10
    assert snapshots["sulteng"].active_categories == 11


@pytest.mark.django_db
def test_tasks_are_queued_only_when_the_transaction_commits(sukabumi, django_capture_on_commit_callbacks):
    with schema_context("sukabumi"), django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(record_usage)
        assert UsageSnapshot.objects.count() == 0
    assert len(callbacks) == 1
    with schema_context("sukabumi"):
        callbacks[0]()  # commit: the (eager, in tests) task runs now, in sukabumi
    assert UsageSnapshot.objects.get().tenant == sukabumi
