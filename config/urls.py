from django.contrib import admin
from django.urls import include, path

from oncoparcours.core.api import api
from oncoparcours.core.views import healthz

urlpatterns = [
    path("", include("oncoparcours.core.urls")),
    path("comptes/", include("oncoparcours.accounts.urls")),
    path("organisations/", include("oncoparcours.organisations.urls")),
    path("territoires/", include("oncoparcours.territories.urls")),
    path("patients/", include("oncoparcours.patients.urls")),
    path("taches/", include("oncoparcours.coordination.urls")),
    path("reglementation/", include("oncoparcours.regulation.urls")),
    path("parcours/", include("oncoparcours.pathways.urls")),
    path("repertoire/", include("oncoparcours.directory.urls")),
    path("professionnels/", include("oncoparcours.professionals.urls")),
    path("comptes-rendus/", include("oncoparcours.reports.urls")),
    path("paiements/", include("oncoparcours.payments.urls")),
    path("bilans/", include("oncoparcours.assessments.urls")),
    path("evaluation/", include("oncoparcours.evaluation.urls")),
    path("financement/", include("oncoparcours.funding.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("administration-technique/", admin.site.urls),
]
# Uploaded files (prescription scans, diplomas) are never served as static media, not even in
# DEBUG: each download goes through a view that checks the actor's role and organisation.
