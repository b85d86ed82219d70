from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "oncoparcours.evaluation"
    label = "evaluation"
    verbose_name = "Évaluation et pilotage"
