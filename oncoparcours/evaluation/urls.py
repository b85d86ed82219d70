from django.urls import path

from oncoparcours.evaluation.views import exports, indicators

app_name = "evaluation"

urlpatterns = [
    path("indicateurs/", indicators.indicator_table, name="indicators"),
    path("indicateurs/csv/", indicators.indicator_csv, name="indicators-csv"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<uuid:public_id>/", exports.export_job, name="export-job"),
    path("exports/<uuid:public_id>/fichier/", exports.export_file, name="export-file"),
]
