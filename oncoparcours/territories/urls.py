from django.urls import path

from oncoparcours.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_list, name="list"),
    path("communes/", views.commune_search, name="commune-search"),
]
