from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    name = "oncoparcours.professionals"
    label = "professionals"
