from django.urls import path

from oncoparcours.directory.views import coverage, editors, imports, proposals, public

app_name = "directory"

urlpatterns = [
    # Public (no login)
    path("", public.search, name="search"),
    path("offres/<uuid:public_id>/", public.offer_detail, name="offer"),
    path("communes/", public.commune_suggestions, name="commune-suggestions"),
    # Providers
    path("offres/<uuid:public_id>/proposer/", proposals.proposal_create, name="propose"),
    # Directory editors
    path("gestion/", editors.offer_list, name="editor-list"),
    path("gestion/nouvelle/", editors.offer_create, name="create"),
    path("offres/<uuid:public_id>/modifier/", editors.offer_edit, name="edit"),
    path("offres/<uuid:public_id>/archiver/", editors.offer_archive, name="archive"),
    path("offres/<uuid:public_id>/verifier/", editors.offer_verify, name="verify"),
    path("offres/<uuid:public_id>/historique/", editors.offer_history, name="history"),
    path("propositions/", proposals.proposal_list, name="proposals"),
    path("propositions/<uuid:public_id>/", proposals.proposal_detail, name="proposal"),
    path(
        "propositions/<uuid:public_id>/accepter/",
        proposals.proposal_approve,
        name="proposal-approve",
    ),
    path(
        "propositions/<uuid:public_id>/refuser/", proposals.proposal_reject, name="proposal-reject"
    ),
    path("import/", imports.import_upload, name="import"),
    path("import/confirmer/", imports.import_confirm, name="import-confirm"),
    path("export.csv", imports.export_csv, name="export"),
    # Coverage (editors, admins, ARS analysts)
    path("couverture/", coverage.coverage, name="coverage"),
    path("couverture.csv", coverage.coverage_csv, name="coverage-csv"),
]
