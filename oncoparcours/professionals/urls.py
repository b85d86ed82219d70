from django.urls import path

from oncoparcours.professionals import views

app_name = "professionals"

urlpatterns = [
    path("", views.professional_home, name="list"),
    path("mon-espace/", views.workspace, name="workspace"),
    path("mon-profil/", views.my_profile, name="me"),
    path("structures/<uuid:public_id>/", views.structure_professionals, name="structure"),
    path(
        "structures/<uuid:public_id>/contrats/nouveau/",
        views.contract_create,
        name="contract-create",
    ),
    path(
        "structures/<uuid:public_id>/diplomes/",
        views.structure_diplomas,
        name="structure-diplomas",
    ),
    path("contrats/<uuid:public_id>/fin/", views.contract_end, name="contract-end"),
    path("diplomes/<uuid:public_id>/fichier/", views.diploma_file, name="diploma-file"),
    path("diplomes/<uuid:public_id>/archiver/", views.diploma_archive, name="diploma-archive"),
    path("<uuid:user_id>/", views.professional_detail, name="detail"),
    path("<uuid:user_id>/profil/", views.profile_edit, name="profile-edit"),
    path("<uuid:user_id>/diplomes/ajouter/", views.diploma_add, name="diploma-add"),
]
