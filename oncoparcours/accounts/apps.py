from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oncoparcours.accounts"
    label = "accounts"
