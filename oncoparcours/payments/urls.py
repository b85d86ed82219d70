from django.urls import path

from oncoparcours.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.statement_home, name="list"),
    path("preparer/", views.statements_prepare, name="prepare"),
    path("releves/<uuid:public_id>/", views.statement_detail, name="detail"),
    path("releves/<uuid:public_id>/valider/", views.statement_validate, name="validate"),
    path("releves/<uuid:public_id>/paiement/", views.statement_mark_paid, name="mark-paid"),
    path("releves/<uuid:public_id>/releve.csv", views.statement_csv, name="csv"),
    path("releves/<uuid:public_id>/releve.pdf", views.statement_pdf, name="pdf"),
]
