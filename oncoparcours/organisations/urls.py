from django.urls import path

from oncoparcours.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nouvelle/", views.organisation_create, name="create"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.organisation_edit, name="edit"),
    path("<uuid:public_id>/archiver/", views.organisation_archive, name="archive"),
    path("<uuid:public_id>/membres/ajouter/", views.member_add, name="member-add"),
    path(
        "<uuid:public_id>/membres/<uuid:membership_id>/fin/",
        views.member_end,
        name="member-end",
    ),
]
