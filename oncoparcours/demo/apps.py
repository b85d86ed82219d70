from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "oncoparcours.demo"
    label = "demo"
