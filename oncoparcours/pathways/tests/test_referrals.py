"""Orientation towards supportive care (PSG-11: APA sessions are an orientation, not a
prestation), through the service, the page and the API."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oncoparcours.accounts.services import api_token_create
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.pathways.models import Act, Referral
from oncoparcours.pathways.services import pathway_refer
from oncoparcours.pathways.tests.factories import receive
from oncoparcours.pathways.tests.test_acts import book, refused_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def apa_club(geography):
    return make_offer(
        "Gym douce après cancer",
        commune=geography["69266"],
        care_type="apa",
        provider_name="Club sport-santé Villeurbanne",
    )


def test_psg11_an_apa_session_offer_is_recorded_as_an_orientation_not_billed(
    personas, open_pathway, apa_club
):
    referral = pathway_refer(by=personas.coordinator, pathway=open_pathway, offer=apa_club)
    assert (referral.care_type, referral.provider_name) == ("apa", "Club sport-santé Villeurbanne")
    event = open_pathway.events.get(kind="referred")
    assert event.data == {
        "referral": str(referral.public_id),
        "care_type": "apa",
        "offer": str(apa_club.public_id),
    }
    assert not Act.objects.exists()  # nothing committed against the 180 € cap


def test_psg11_booking_an_apa_session_as_an_act_is_refused(personas, team, open_pathway):
    assert refused_codes(lambda: book(personas, team, open_pathway, "apa_session")) == ["PSG-11"]


def test_a_provider_named_by_hand_is_accepted_with_its_care_type(personas, open_pathway):
    referral = pathway_refer(
        by=personas.coordinator,
        pathway=open_pathway,
        care_type="socio_esthetics",
        provider_name="  Atelier   beauté  ",
        note="Le mardi.",
    )
    assert (referral.provider_name, referral.offer) == ("Atelier beauté", None)


def test_missing_provider_or_care_type_is_refused_and_nothing_saved(personas, open_pathway):
    with pytest.raises(ValidationError) as caught:
        pathway_refer(by=personas.coordinator, pathway=open_pathway, care_type="massage")
    codes = {e.code for errs in caught.value.error_dict.values() for e in errs}
    assert codes == {"referral.care_type_invalid", "referral.provider_required"}
    assert not Referral.objects.exists()
    assert not open_pathway.events.filter(kind="referred").exists()


def test_an_archived_offer_or_a_mismatched_care_type_is_refused(personas, open_pathway, apa_club):
    with pytest.raises(ValidationError) as caught:
        pathway_refer(
            by=personas.coordinator, pathway=open_pathway, offer=apa_club, care_type="nutrition"
        )
    assert caught.value.error_dict["care_type"][0].code == "referral.care_type_mismatch"
    apa_club.archived_at = timezone.now()
    apa_club.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError) as caught:
        pathway_refer(by=personas.coordinator, pathway=open_pathway, offer=apa_club)
    assert caught.value.error_dict["offer"][0].code == "referral.offer_archived"
    assert not Referral.objects.exists()


def test_a_refused_pathway_orients_nobody(personas, patient, apa_club):
    patient.ald_cancer = False
    patient.save()
    refused = receive(personas.coordinator, patient)
    assert refused.status == "refused"
    with pytest.raises(ValidationError) as caught:
        pathway_refer(by=personas.coordinator, pathway=refused, offer=apa_club)
    assert caught.value.error_dict["status"][0].code == "referral.pathway_not_open"


def test_another_structure_may_not_orient_the_patient(personas, open_pathway, apa_club):
    with pytest.raises(ValidationError) as caught:
        pathway_refer(by=personas.other_coordinator, pathway=open_pathway, offer=apa_club)
    assert caught.value.code == "referral.forbidden"


def test_the_pathway_page_lists_referrals_and_offers_the_directory(
    client_as, personas, open_pathway, apa_club
):
    client = client_as(personas.coordinator)
    url = reverse("pathways:refer", kwargs={"public_id": open_pathway.public_id})
    response = client.post(url, {"offer": str(apa_club.public_id), "care_type": "apa"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Club sport-santé Villeurbanne" in page
    assert reverse("directory:offer", kwargs={"public_id": apa_club.public_id}) in page
    assert f"{reverse('directory:search')}?parcours={open_pathway.public_id}" in page
    # A hand-named provider without its name: the error is shown, nothing is saved.
    response = client.post(url, {"care_type": "pain", "provider_name": ""})
    assert response.status_code == 200
    assert "Indiquez la structure ou le professionnel" in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_api_records_a_referral_and_shows_it_on_the_pathway(
    client, personas, open_pathway, apa_club
):
    _token, key = api_token_create(membership=personas.coordinator, name="SIH")
    headers = {"Authorization": f"Bearer {key}"}
    base = f"/api/v1/pathways/{open_pathway.public_id}"
    response = client.post(
        f"{base}/referrals",
        json.dumps({"offer_id": str(apa_club.public_id), "note": "Mardi et jeudi."}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["care_type"] == "apa"
    detail = client.get(base, headers=headers).json()
    assert [r["provider_name"] for r in detail["referrals"]] == ["Club sport-santé Villeurbanne"]
    response = client.post(
        f"{base}/referrals",
        json.dumps({"care_type": "apa"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "referral.provider_required"
