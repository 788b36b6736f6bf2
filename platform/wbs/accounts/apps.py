from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wbs.accounts"
    label = "accounts"
    verbose_name = "Accounts"
