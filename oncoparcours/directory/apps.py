from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "oncoparcours.directory"
    label = "directory"
    verbose_name = "Répertoire régional des soins de support"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from oncoparcours.directory.distance import register_sqlite_great_circle

        connection_created.connect(
            register_sqlite_great_circle, dispatch_uid="oncoparcours_sqlite_great_circle"
        )
