"""The search opened from a pathway (``?parcours=``): pre-filled with the patient's commune for
the pathway's coordinator, each result carrying the form that orients the patient; anybody else
gets the plain public search and never learns the patient's commune."""

import pytest
from django.urls import reverse

from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.pathways.tests.factories import cover, make_eligible_patient, receive

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")


@pytest.fixture
def pathway(personas, geography):
    """A pathway of the Lyon structure for a patient living in Villeurbanne."""
    cover(personas.structure, geography["69266"], name="Villeurbanne")
    patient = make_eligible_patient(personas.structure, geography["69266"])
    return receive(personas.coordinator, patient)


@pytest.fixture
def offer(geography):
    return make_offer("APA Villeurbanne", commune=geography["69266"], care_type="apa")


def test_coordinator_gets_the_patients_commune_and_audience_prefilled(
    client_as, personas, pathway, offer
):
    client = client_as(personas.coordinator)
    response = client.get(SEARCH, {"parcours": str(pathway.public_id)})
    assert response.status_code == 302
    assert "lieu=Villeurbanne+%2869266%29" in response["Location"]
    assert f"parcours={pathway.public_id}" in response["Location"]
    assert "public=adults" in response["Location"]
    page = client.get(response["Location"])
    assert page.context["referral"].pathway == pathway
    assert [row["offer"] for row in page.context["rows"]] == [offer]


def test_each_result_posts_the_offer_and_its_care_type_to_the_pathway(
    client_as, personas, pathway, offer
):
    client = client_as(personas.coordinator)
    params = {"parcours": str(pathway.public_id), "lieu": "Villeurbanne"}
    page = client.get(SEARCH, params).content.decode()
    refer_url = reverse("pathways:refer", kwargs={"public_id": pathway.public_id})
    assert f'action="{refer_url}"' in page
    assert f'name="offer" value="{offer.public_id}"' in page
    assert 'name="care_type" value="apa"' in page
    assert "Orienter le patient vers cette offre" in page
    # The offer page opened from the results keeps the pathway and its button.
    detail = client.get(
        reverse("directory:offer", kwargs={"public_id": offer.public_id}),
        {"parcours": str(pathway.public_id)},
    )
    assert f'action="{refer_url}"' in detail.content.decode()


def test_posting_the_result_form_records_the_referral_on_the_pathway(
    client_as, personas, pathway, offer
):
    client = client_as(personas.coordinator)
    response = client.post(
        reverse("pathways:refer", kwargs={"public_id": pathway.public_id}),
        {"offer": str(offer.public_id), "care_type": "apa", "note": "Proche du domicile"},
    )
    assert response.status_code == 302
    assert pathway.events.filter(kind="referred").exists()


@pytest.mark.parametrize("who", ["other_coordinator", "psychologist", "outsider", "anonymous"])
def test_anybody_else_gets_the_plain_search_without_the_patients_commune(
    client, client_as, personas, pathway, offer, who
):
    visitor = client if who == "anonymous" else client_as(getattr(personas, who))
    response = visitor.get(SEARCH, {"parcours": str(pathway.public_id)})
    assert response.status_code == 200
    assert response.context["referral"] is None
    page = response.content.decode()
    assert "Villeurbanne" not in page
    # The id is dropped from the form (only the page's own URL, typed by the visitor, has it).
    assert f'value="{pathway.public_id}"' not in page
    assert "Orienter le patient" not in page


def test_a_malformed_pathway_id_is_ignored(client_as, personas, offer):
    response = client_as(personas.coordinator).get(SEARCH, {"parcours": "pas-un-uuid"})
    assert response.status_code == 200
    assert response.context["referral"] is None
