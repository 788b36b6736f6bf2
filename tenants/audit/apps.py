from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tenants.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from tenants.audit.action_names import name_actions
        from tenants.audit.core_action_names import CORE_ACTION_NAMES

        name_actions(CORE_ACTION_NAMES)
