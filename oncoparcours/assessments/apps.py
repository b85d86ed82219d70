from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "oncoparcours.assessments"
    verbose_name = "Bilans et instruments"
