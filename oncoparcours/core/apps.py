from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oncoparcours.core"
    label = "core"
    verbose_name = "Socle"
