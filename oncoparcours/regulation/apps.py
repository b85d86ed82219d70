from django.apps import AppConfig


class RegulationConfig(AppConfig):
    name = "oncoparcours.regulation"
    label = "regulation"
    verbose_name = "Réglementation"
