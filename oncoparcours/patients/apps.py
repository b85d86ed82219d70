from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "oncoparcours.patients"
    label = "patients"
