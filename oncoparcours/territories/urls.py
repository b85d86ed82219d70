from django.urls import path

from oncoparcours.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_list, name="list"),
    path("nouveau/", views.territory_create, name="create"),
    path("<uuid:public_id>/", views.territory_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.territory_edit, name="edit"),
    path("<uuid:public_id>/archiver/", views.territory_archive, name="archive"),
    path("communes/", views.commune_search, name="commune-search"),
    path("communes/points/", views.commune_points, name="commune-points"),
]
