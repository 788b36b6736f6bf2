from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "wbs.console"
    label = "console"
    verbose_name = "Operator console"
