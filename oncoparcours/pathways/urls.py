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
    path("<uuid:public_id>/rendez-vous/", views.act_book, name="act-book"),
    path("rendez-vous/<uuid:act_id>/realise/", views.act_complete, name="act-complete"),
    path("rendez-vous/<uuid:act_id>/absence/", views.act_no_show, name="act-no-show"),
    path("rendez-vous/<uuid:act_id>/annulation/", views.act_cancel, name="act-cancel"),
    path("agenda/", views.agenda, name="agenda"),
    path("mes-prescriptions/", views.prescriptions_mine, name="prescriptions"),
]
