from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # Retention starts when a case closes (a pre_save signal); importing it
        # also registers its beat tasks with Celery.
        from casework import retention  # noqa: F401
