from django.urls import path

from oncoparcours.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.funding_home, name="home"),
    path("bilan/", views.balance, name="balance"),
    path("bilan.csv", views.balance_csv, name="balance-csv"),
    path("structures/<uuid:public_id>/", views.structure_detail, name="structure"),
    path("conventions/", views.convention_list, name="conventions"),
    path("conventions/nouvelle/", views.convention_create, name="convention-create"),
    path("conventions/<uuid:public_id>/", views.convention_detail, name="convention-detail"),
    path("conventions/<uuid:public_id>/signer/", views.convention_sign, name="convention-sign"),
    path("conventions/<uuid:public_id>/terminer/", views.convention_end, name="convention-end"),
    path("enveloppes/", views.envelope_list, name="envelopes"),
    path("enveloppes/nouvelle/", views.envelope_create, name="envelope-create"),
    path("enveloppes/<uuid:public_id>/", views.envelope_detail, name="envelope-detail"),
    path("enveloppes/<uuid:public_id>/allouer/", views.allocation_create, name="allocation-create"),
    path("versements/", views.payment_list_page, name="payments"),
    path("versements/nouveau/", views.payment_create, name="payment-create"),
]
