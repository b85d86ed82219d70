from django.urls import path

from oncoparcours.assessments import views

app_name = "assessments"

urlpatterns = [
    path("rendez-vous/<uuid:act_id>/saisie/", views.assessment_fill, name="fill"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
]
