"""Create and edit forms, the extended patient page, and consent pages."""

from datetime import date

import pytest
from django.urls import reverse

from oncoparcours.patients.models import Consent, Patient
from oncoparcours.patients.tests.factories import make_nir, make_patient

pytestmark = pytest.mark.django_db

CREATE = reverse("patients:create")
NIR = make_nir("2600569123456")
FORM = {
    "birth_name": "Bérard",
    "first_given_name": "Émilie",
    "birth_date": "17/05/1960",
    "sex": "F",
    "commune_insee": "69266",
    "identity_status": "provisional",
    "treatment_types": ["surgery", "radiotherapy"],
    "ald_cancer": "on",
    "cancer_site": "C50",
}
# Session, user, OTP device, active membership before the view.
AROUND_THE_VIEW = 4


def _url(name, patient, *extra):
    return reverse(f"patients:{name}", args=[patient.public_id, *extra])


@pytest.fixture
def berard(personas, geography):
    return make_patient(
        personas.structure,
        geography["69266"],
        birth_name="Bérard",
        first_given_name="Émilie",
        ins_matricule=NIR,
        ins_kind="nir",
        identity_status="qualified",
        ald_cancer=True,
        cancer_site="C50.9",
        active_treatment_end_date=date(2026, 3, 31),
        treatment_types=["surgery", "hormone_therapy"],
    )


def test_list_offers_the_coordinator_to_add_a_patient(personas, client_as):
    html = client_as(personas.coordinator).get(reverse("patients:list")).content.decode()
    assert f'href="{CREATE}"' in html


def test_create_form_is_grouped_in_labelled_fieldsets(personas, client_as):
    html = client_as(personas.coordinator).get(CREATE).content.decode()
    for legend in ("Identité", "Résidence et contact", "Cancer et traitements"):
        assert legend in html
    assert 'for="id_treatment_types_0"' in html
    assert "Je confirme qu'il s'agit d'un autre patient" not in html


def test_coordinator_creates_a_patient_and_lands_on_their_page(personas, client_as):
    response = client_as(personas.coordinator).post(CREATE, FORM)

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", patient)
    assert patient.structure == personas.structure
    assert patient.birth_date == date(1960, 5, 17)
    assert patient.treatment_types == ["surgery", "radiotherapy"]
    assert patient.ald_cancer


def test_errors_are_shown_in_french_next_to_their_fields_and_nothing_is_saved(personas, client_as):
    body = {**FORM, "birth_name": "", "ins_matricule": "2 60 05 69 123 456 53", "ins_kind": "nir"}

    response = client_as(personas.coordinator).post(CREATE, body)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in html
    assert 'id="id_birth_name_error"' in html
    assert "Indiquez le nom de naissance." in html
    assert 'id="id_ins_matricule_error"' in html
    assert "la clé de contrôle ne correspond pas" in html
    assert not Patient.objects.exists()


def test_a_look_alike_is_proposed_with_a_link_and_a_confirmation_box(
    personas, client_as, geography
):
    existing = make_patient(
        personas.structure,
        geography["69123"],
        birth_name="BERARD",
        first_given_name="Emilie",
        birth_date=date(1960, 5, 17),
    )
    client = client_as(personas.coordinator)

    html = client.post(CREATE, FORM).content.decode()

    assert 'data-testid="possible-duplicates"' in html
    assert f'href="{_url("detail", existing)}"' in html
    assert "Je confirme qu&#x27;il s&#x27;agit d&#x27;un autre patient" in html
    assert str(existing.public_id) not in html.replace(_url("detail", existing), "")
    assert Patient.objects.count() == 1

    response = client.post(CREATE, {**FORM, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_an_ins_followed_elsewhere_is_refused_without_naming_the_patient(
    personas, client_as, geography
):
    make_patient(
        personas.other_structure,
        geography["63113"],
        birth_name="Volcan",
        ins_matricule=NIR,
        ins_kind="nir",
    )

    html = (
        client_as(personas.coordinator)
        .post(CREATE, {**FORM, "ins_matricule": NIR, "ins_kind": "nir"})
        .content.decode()
    )

    assert "déjà suivi par une autre structure" in html
    assert "Volcan" not in html
    assert "VOLCAN" not in html
    assert Patient.objects.count() == 1


def test_patient_page_shows_identity_status_clinical_data_and_consents(personas, client_as, berard):
    Consent.objects.create(
        patient=berard,
        scope="share_reports_gp",
        given_at=date(2026, 1, 5),
        recorded_by=personas.coordinator,
    )

    html = client_as(personas.coordinator).get(_url("detail", berard)).content.decode()

    assert "Identité qualifiée" in html
    assert "fr-badge--success" in html
    assert NIR in html
    assert "C50.9" in html
    assert "31/03/2026" in html
    assert "Chirurgie, Hormonothérapie" in html
    assert "Partage des comptes rendus avec le médecin traitant" in html
    assert "En vigueur" in html
    assert _url("consent-record", berard) in html
    assert _url("edit", berard) in html


@pytest.mark.parametrize("consents", [1, 12])
def test_patient_page_query_count_does_not_grow_with_consents(
    personas, client_as, berard, django_assert_num_queries, consents
):
    for day in range(consents):
        Consent.objects.create(
            patient=berard,
            scope="research_reuse",
            given_at=date(2025, 1, day + 1),
            withdrawn_at=date(2025, 2, 1),
            recorded_by=personas.coordinator,
            withdrawal_recorded_by=personas.coordinator,
        )
    client = client_as(personas.coordinator)

    # patient with commune, department and structure; consents with who recorded them
    with django_assert_num_queries(AROUND_THE_VIEW + 2):
        assert client.get(_url("detail", berard)).status_code == 200


def test_edit_form_is_filled_and_saves_changes(personas, client_as, berard):
    client = client_as(personas.coordinator)
    html = client.get(_url("edit", berard)).content.decode()
    assert 'value="Bérard"' in html
    assert 'value="C50.9"' in html

    data = {
        **FORM,
        "birth_date": "1960-05-17",
        "ins_matricule": NIR,
        "ins_kind": "nir",
        "identity_status": "qualified",
        "phone": "06 12 34 56 78",
    }
    response = client.post(_url("edit", berard), data)

    assert response.status_code == 302
    berard.refresh_from_db()
    assert berard.phone == "06 12 34 56 78"
    assert berard.cancer_site == "C50"


def test_edit_refusal_keeps_the_patient_unchanged(personas, client_as, berard):
    data = {**FORM, "identity_status": "qualified"}  # no matricule in the form

    html = client_as(personas.coordinator).post(_url("edit", berard), data).content.decode()

    assert "indiquez son matricule INS" in html
    berard.refresh_from_db()
    assert berard.ins_matricule == NIR


def test_consent_is_recorded_from_its_page(personas, client_as, berard):
    client = client_as(personas.coordinator)
    assert client.get(_url("consent-record", berard)).status_code == 200

    response = client.post(
        _url("consent-record", berard),
        {"scope": "share_reports_prescriber", "given_at": "2026-01-05", "given_by": "patient"},
    )

    assert response.status_code == 302
    assert berard.consents.get().scope == "share_reports_prescriber"


def test_a_minor_without_representative_is_explained_in_french(personas, client_as, geography):
    child = make_patient(personas.structure, geography["69123"], birth_date=date(2015, 3, 3))

    html = (
        client_as(personas.coordinator)
        .post(
            _url("consent-record", child),
            {"scope": "evaluation_data", "given_at": "2026-01-05", "given_by": "patient"},
        )
        .content.decode()
    )

    assert "le consentement est donné par son représentant légal" in html
    assert not Consent.objects.exists()


def test_withdrawal_page_closes_the_consent_and_keeps_it(personas, client_as, berard):
    consent = Consent.objects.create(
        patient=berard,
        scope="share_reports_gp",
        given_at=date(2026, 1, 5),
        recorded_by=personas.coordinator,
    )
    client = client_as(personas.coordinator)
    url = _url("consent-withdraw", berard, consent.public_id)
    assert client.get(url).status_code == 200

    response = client.post(url, {"withdrawn_at": "2026-02-01", "note": "Par téléphone"})

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at == date(2026, 2, 1)
    html = client.get(_url("detail", berard)).content.decode()
    assert "Retiré le 01/02/2026" in html
    assert "Par téléphone" in html


@pytest.mark.parametrize("persona", ["ars_analyst", "admin", "psychologist", "outsider"])
def test_roles_that_may_not_handle_patients_get_403_on_every_form(
    personas, client_as, berard, persona
):
    consent = Consent.objects.create(
        patient=berard,
        scope="share_reports_gp",
        given_at=date(2026, 1, 5),
        recorded_by=personas.coordinator,
    )
    client = client_as(getattr(personas, persona))
    urls = [
        CREATE,
        _url("edit", berard),
        _url("consent-record", berard),
        _url("consent-withdraw", berard, consent.public_id),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, FORM).status_code == 403
    assert Patient.objects.count() == 1
    assert Consent.objects.get().withdrawn_at is None


def test_other_structures_coordinator_gets_404_on_our_patients_forms(personas, client_as, berard):
    consent = Consent.objects.create(
        patient=berard,
        scope="share_reports_gp",
        given_at=date(2026, 1, 5),
        recorded_by=personas.coordinator,
    )
    client = client_as(personas.other_coordinator)
    for url in (
        _url("edit", berard),
        _url("consent-record", berard),
        _url("consent-withdraw", berard, consent.public_id),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"withdrawn_at": "2026-02-01"}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_ars_analyst_never_sees_a_patient_on_the_new_pages(personas, client_as, berard):
    client = client_as(personas.ars_analyst)
    for url in (CREATE, _url("edit", berard), _url("consent-record", berard)):
        html = client.get(url).content.decode()
        assert "Bérard" not in html
        assert "BÉRARD" not in html
        assert NIR not in html
