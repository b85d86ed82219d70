from django.urls import path

from oncoparcours.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("nouveau/", views.patient_create, name="create"),
    path("<uuid:public_id>/", views.patient_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.patient_edit, name="edit"),
    path(
        "<uuid:public_id>/consentements/nouveau/",
        views.consent_record,
        name="consent-record",
    ),
    path(
        "<uuid:public_id>/consentements/<uuid:consent_id>/retrait/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
]
