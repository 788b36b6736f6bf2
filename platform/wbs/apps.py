from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform layer: composes the apps (which import nothing above themselves)."""

    name = "wbs"
    verbose_name = "Platform"

    def ready(self) -> None:
        from casework.case_visibility import CaseworkCaseVisibility
        from casework.report_handling import CaseworkReportHandling
        from intake import case_handling
        from tenants import case_visibility

        # Intake asks casework for a new report's case and a reporter's status only
        # through this interface (intake.case_handling).
        case_handling.install(CaseworkReportHandling())
        # The core asks casework who may know which case (the audit trail, staff changes).
        case_visibility.install(CaseworkCaseVisibility())
