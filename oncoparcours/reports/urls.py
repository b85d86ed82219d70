from django.urls import path

from oncoparcours.reports.views import apa_project, reports

app_name = "reports"

urlpatterns = [
    path("<uuid:public_id>/", reports.report_detail, name="detail"),
    path("<uuid:public_id>/pdf/", reports.report_pdf, name="pdf"),
    path("envois/<uuid:public_id>/renvoyer/", reports.delivery_resend, name="resend"),
    path(
        "parcours/<uuid:public_id>/projet-apa/",
        apa_project.apa_project_form,
        name="apa-project-write",
    ),
    path("projets-apa/<uuid:public_id>/", apa_project.apa_project_detail, name="apa-project"),
    path("projets-apa/<uuid:public_id>/pdf/", apa_project.apa_project_file, name="apa-project-pdf"),
]
