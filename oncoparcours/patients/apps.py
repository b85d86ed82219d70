from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "oncoparcours.patients"
    label = "patients"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from oncoparcours.patients.search import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="oncoparcours_sqlite_fold")
