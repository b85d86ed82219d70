from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oncoparcours.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from oncoparcours.core.text import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="oncoparcours_sqlite_fold")
