from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "oncoparcours.notifications"
    label = "notifications"
