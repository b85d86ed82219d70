from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "oncoparcours.directory"
    label = "directory"
    verbose_name = "Répertoire régional des soins de support"
