from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "oncoparcours.payments"
    label = "payments"
