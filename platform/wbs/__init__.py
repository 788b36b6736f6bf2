"""The platform's project package: settings, URL routing, CLI, Celery app."""

from wbs.celery_app import app as celery_app

__all__ = ["celery_app"]
