from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Citizen intake"

    def ready(self) -> None:
        from intake.models import Category, IntakeSettings, TenantKey
        from tenants.shared_memo import forget_tenant_rows_when_changed

        # Read on every submission and remembered per process (tenants.shared_memo).
        forget_tenant_rows_when_changed(Category, IntakeSettings, TenantKey)
