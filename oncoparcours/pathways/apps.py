from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "oncoparcours.pathways"
    label = "pathways"
    verbose_name = "Parcours de soins global après cancer"
