"""The prescriber's own prescribing page (channel "form")."""

from datetime import date

import pytest
from django.urls import reverse

from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.tests.factories import make_prescriber
from oncoparcours.patients.models import Patient

pytestmark = pytest.mark.django_db

URL = reverse("pathways:prescribe")


def body(**extra: str | list[str]) -> dict[str, str | list[str]]:
    fields: dict[str, str | list[str]] = {
        "birth_name": "Lagarde",
        "first_given_name": "Sophie",
        "birth_date": "12/05/1969",
        "sex": "F",
        "commune_insee": "69266",
        "ald_cancer": "on",
        "cancer_site": "C50",
        "active_treatment_end_date": date.today().isoformat(),
        "treatment_types": ["surgery"],
        "prescription_date": date.today().isoformat(),
        "items": ["apa_assessment", "psy_assessment", "psy_followup"],
    }
    fields.update(extra)
    return fields


def test_the_prescriber_prescribes_and_lands_on_the_pathway_page(client_as, personas, covered):
    prescriber = make_prescriber(personas)
    client = client_as(prescriber)
    page = client.get(URL).content.decode()
    assert "Prescrire un parcours de soins global" in page
    assert 'name="identity_status"' not in page
    response = client.post(URL, body())
    pathway = Pathway.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("pathways:detail", kwargs={"public_id": pathway.public_id})
    assert pathway.prescription.channel == "form"
    assert pathway.structure == personas.structure
    detail = client.get(response.url).content.decode()
    assert "LAGARDE Sophie" in detail
    # The prescriber reads the pathway; the coordinator's buttons are not theirs.
    assert reverse("pathways:contacted", kwargs={"public_id": pathway.public_id}) not in detail
    mine = client.get(reverse("pathways:prescriptions")).content.decode()
    assert "S. L., né(e) en 1969" in mine


def test_errors_are_shown_in_french_next_to_their_field_and_nothing_is_saved(
    client_as, personas, covered
):
    client = client_as(make_prescriber(personas))
    response = client.post(URL, body(commune_insee="99999", items=["massage"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in page
    assert "massage" in page  # the unknown choice is named by the form
    assert not Patient.objects.exists()
    response = client.post(URL, body(commune_insee="99999"))
    assert response.status_code == 200
    assert "Aucune commune d&#x27;Auvergne-Rhône-Alpes n&#x27;a le code INSEE 99999" in (
        response.content.decode()
    )
    assert not Patient.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "psychologist", "ars_analyst", "outsider"])
def test_other_roles_may_not_prescribe(client_as, personas, covered, persona):
    client = client_as(getattr(personas, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, body()).status_code == 403
    assert not Patient.objects.exists()
