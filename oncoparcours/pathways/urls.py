from django.urls import path

from oncoparcours.pathways import views

app_name = "pathways"

urlpatterns = [
    path("", views.pathway_list, name="list"),
    path("prescription/nouvelle/", views.prescription_create, name="prescription-create"),
    path("<uuid:public_id>/", views.pathway_detail, name="detail"),
    path("<uuid:public_id>/derogation/", views.pathway_override, name="override"),
    path("<uuid:public_id>/contacte/", views.pathway_contacted, name="contacted"),
    path("<uuid:public_id>/cloture/", views.pathway_close, name="close"),
]
