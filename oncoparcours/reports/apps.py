from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "oncoparcours.reports"
    label = "reports"
    verbose_name = "Comptes rendus"
