from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from casework.action_names import CASEWORK_ACTION_NAMES
        from casework.models import DeadlinePolicy
        from tenants.audit.action_names import name_actions
        from tenants.shared_memo import forget_tenant_rows_when_changed

        # Read on every report's arrival and remembered per process (tenants.shared_memo):
        # a cache, dropped on any change to the row, not a business side effect.
        forget_tenant_rows_when_changed(DeadlinePolicy)
        name_actions(CASEWORK_ACTION_NAMES)
