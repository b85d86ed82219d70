from django.urls import path

from oncoparcours.evaluation.views import annual_reports, dashboard, exports, indicators

app_name = "evaluation"

urlpatterns = [
    path("indicateurs/", indicators.indicator_table, name="indicators"),
    path("indicateurs/csv/", indicators.indicator_csv, name="indicators-csv"),
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<uuid:public_id>/", exports.export_job, name="export-job"),
    path("exports/<uuid:public_id>/fichier/", exports.export_file, name="export-file"),
    path("rapports-annuels/", annual_reports.annual_report_list, name="annual-reports"),
    path(
        "rapports-annuels/generations/<uuid:public_id>/",
        annual_reports.annual_report_job,
        name="annual-report-job",
    ),
    path(
        "rapports-annuels/<uuid:public_id>/",
        annual_reports.annual_report_detail,
        name="annual-report",
    ),
    path(
        "rapports-annuels/<uuid:public_id>/soumettre/",
        annual_reports.annual_report_submit,
        name="annual-report-submit",
    ),
    path(
        "rapports-annuels/<uuid:public_id>/corriger/",
        annual_reports.annual_report_correct,
        name="annual-report-correct",
    ),
    path(
        "rapports-annuels/<uuid:public_id>/pdf/",
        annual_reports.annual_report_pdf,
        name="annual-report-pdf",
    ),
    path(
        "rapports-annuels/<uuid:public_id>/xlsx/",
        annual_reports.annual_report_xlsx,
        name="annual-report-xlsx",
    ),
]
