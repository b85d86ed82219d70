from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "oncoparcours.organisations"
    label = "organisations"
