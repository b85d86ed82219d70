from django.urls import path

from oncoparcours.pathways.views import acts, detail, intake, worklist

app_name = "pathways"

urlpatterns = [
    path("", worklist.pathway_list, name="list"),
    path("prescription/nouvelle/", intake.prescription_create, name="prescription-create"),
    path("prescrire/", intake.prescription_prescribe, name="prescribe"),
    path("<uuid:public_id>/", detail.pathway_detail, name="detail"),
    path("<uuid:public_id>/derogation/", detail.pathway_override, name="override"),
    path("<uuid:public_id>/contacte/", detail.pathway_contacted, name="contacted"),
    path("<uuid:public_id>/cloture/", detail.pathway_close, name="close"),
    path("<uuid:public_id>/reattribution/", detail.pathway_reassign, name="reassign"),
    path("<uuid:public_id>/orientation/", detail.pathway_refer, name="refer"),
    path("<uuid:public_id>/rendez-vous/", acts.act_book, name="act-book"),
    path("rendez-vous/<uuid:act_id>/realise/", acts.act_complete, name="act-complete"),
    path("rendez-vous/<uuid:act_id>/absence/", acts.act_no_show, name="act-no-show"),
    path("rendez-vous/<uuid:act_id>/annulation/", acts.act_cancel, name="act-cancel"),
    path("rendez-vous/<uuid:act_id>/deplacement/", acts.act_reschedule, name="act-reschedule"),
    path("rendez-vous/<uuid:act_id>/annulation-realisee/", acts.act_void, name="act-void"),
    path("agenda/", worklist.agenda, name="agenda"),
    path("mes-prescriptions/", worklist.prescriptions_mine, name="prescriptions"),
]
