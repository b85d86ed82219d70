from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "oncoparcours.territories"
    label = "territories"
