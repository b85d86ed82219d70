from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "oncoparcours.coordination"
    label = "coordination"
