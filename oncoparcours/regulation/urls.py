from django.urls import path

from oncoparcours.regulation import views

app_name = "regulation"

urlpatterns = [
    path("", views.parameter_list, name="list"),
    path("<str:key>/nouvelle-version/", views.parameter_version_create, name="version-create"),
]
