from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "oncoparcours.funding"
    label = "funding"
