from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # Retention starts when a case closes (a pre_save signal); importing it
        # also registers its beat tasks with Celery.
        from casework import retention  # noqa: F401
        from casework.models import DeadlinePolicy
        from tenants.shared_memo import forget_tenant_rows_when_changed

        forget_tenant_rows_when_changed(DeadlinePolicy)
