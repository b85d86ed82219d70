import json

import pytest
from django.utils import timezone

from oncoparcours.accounts.services import api_token_create
from oncoparcours.directory.models import Offer, OfferChangeProposal
from oncoparcours.directory.services import offer_export_csv
from oncoparcours.directory.tests.factories import make_offer

pytestmark = pytest.mark.django_db

BASE = "/api/v1/directory"
BODY = {
    "title": "Atelier nutrition",
    "care_type": "nutrition",
    "audiences": ["adults"],
    "group_formats": ["group"],
    "delivery_modes": ["in_person"],
    "cost": "free",
    "provider_name": "Association Manger Mieux",
    "commune_insee": "42218",
    "source": "survey",
}


def _bearer(membership) -> dict[str, str]:
    _token, key = api_token_create(membership=membership, name="test")
    return {"Authorization": f"Bearer {key}"}


def _post(client, url, body, headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_an_anonymous_visitor_searches_around_a_postal_code(client, geography):
    near = make_offer("Soutien AJA à Villeurbanne", commune=geography["69266"], audiences=("aja",))
    make_offer("Soutien AJA à Annecy", commune=geography["74010"], audiences=("aja",))
    make_offer("Soutien adultes", commune=geography["69123"], audiences=("adults",))
    response = client.get(
        f"{BASE}/offers",
        {"place": "69003", "radius_km": 30, "audience": "aja", "care_type": "psychological"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["origin"]["commune"]["insee_code"] == "69123"
    item = body["items"][0]
    # Lyon → Villeurbanne: 3.554 km (see test_search), shown rounded to 0.1 km.
    assert (item["id"], item["distance_km"]) == (str(near.public_id), 3.6)
    assert item["care_type_label"] == "Soutien psychologique"


def test_the_search_endpoint_takes_three_queries_whatever_the_page(
    client, geography, django_assert_num_queries
):
    for index in range(8):
        make_offer(f"Offre {index}", commune=geography["69123"])
    # 1. the place's commune (postal code lookup); 2. the ranked ids with the total;
    # 3. their rows with commune and structure.
    with django_assert_num_queries(3):
        response = client.get(f"{BASE}/offers", {"place": "69003", "radius_km": 10})
    assert response.json()["count"] == 8


def test_several_care_types_and_costs_may_be_asked_at_once(client, geography):
    make_offer("Psy", commune=geography["69123"], care_type="psychological")
    make_offer("APA adhésion", commune=geography["69123"], care_type="apa", cost="membership")
    make_offer("Douleur", commune=geography["69123"], care_type="pain")
    response = client.get(
        f"{BASE}/offers?care_type=psychological&care_type=apa&cost=free&cost=membership"
    )
    assert sorted(i["title"] for i in response.json()["items"]) == ["APA adhésion", "Psy"]


def test_bad_filters_and_unknown_places_answer_400_in_french(client, geography):
    response = client.get(f"{BASE}/offers", {"place": "Paris"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "directory.place.unknown"
    response = client.get(f"{BASE}/offers", {"audience": "seniors"})
    assert response.json()["errors"][0]["field"] == "audience"


def test_an_offer_is_public_but_an_archived_one_is_not_found(client, geography):
    offer = make_offer("Publique", commune=geography["69123"])
    archived = make_offer("Archivée", commune=geography["69123"], archived_at=timezone.now())
    assert client.get(f"{BASE}/offers/{offer.public_id}").json()["title"] == "Publique"
    assert client.get(f"{BASE}/offers/{archived.public_id}").status_code == 404


def test_an_editor_creates_updates_verifies_and_archives_through_the_api(client, editor):
    headers = _bearer(editor)
    response = _post(client, f"{BASE}/offers", BODY, headers)
    assert response.status_code == 201, response.content
    offer_id = response.json()["id"]
    response = client.patch(
        f"{BASE}/offers/{offer_id}",
        data=json.dumps({"title": "Atelier cuisine"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.json()["title"] == "Atelier cuisine"
    response = _post(client, f"{BASE}/offers/{offer_id}/verify", {}, headers)
    assert response.json()["last_verified_at"] == timezone.localdate().isoformat()
    response = _post(client, f"{BASE}/offers/{offer_id}/archive", {}, headers)
    assert response.json()["archived_at"] is not None


def test_an_invalid_offer_is_refused_with_codes_and_fields(client, editor):
    response = _post(
        client,
        f"{BASE}/offers",
        {**BODY, "commune_insee": "00000", "audiences": []},
        _bearer(editor),
    )
    assert response.status_code == 400
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        ("commune_insee", "directory.commune.unknown"),
        ("audiences", "directory.audiences.required"),
    }
    assert not Offer.objects.exists()


def test_a_coordinator_may_not_create_offers(client, personas):
    response = _post(client, f"{BASE}/offers", BODY, _bearer(personas.coordinator))
    assert response.status_code == 403
    assert not Offer.objects.exists()


def test_a_provider_proposes_and_an_editor_approves(client, personas, editor, geography):
    offer = make_offer(
        "Sophrologie", commune=geography["69123"], provider_organisation=personas.structure
    )
    response = _post(
        client,
        f"{BASE}/offers/{offer.public_id}/proposals",
        {"changes": {"opening_hours": "Mardi 14 h - 18 h"}, "note": "Nouveaux horaires"},
        _bearer(personas.psychologist),
    )
    assert response.status_code == 201, response.content
    proposal_id = response.json()["id"]
    pending = client.get(f"{BASE}/proposals", headers=_bearer(editor)).json()
    assert [p["id"] for p in pending["items"]] == [proposal_id]
    response = _post(client, f"{BASE}/proposals/{proposal_id}/approve", {}, _bearer(editor))
    assert response.json()["opening_hours"] == "Mardi 14 h - 18 h"


def test_someone_else_may_not_propose_a_change(client, personas, geography):
    offer = make_offer(
        "Sophrologie", commune=geography["69123"], provider_organisation=personas.structure
    )
    response = _post(
        client,
        f"{BASE}/offers/{offer.public_id}/proposals",
        {"changes": {"title": "Piraté"}},
        _bearer(personas.other_coordinator),
    )
    assert response.status_code == 403
    assert not OfferChangeProposal.objects.exists()


def test_an_editor_exports_then_dry_runs_the_import_of_the_same_file(client, editor, geography):
    make_offer("Yoga adapté", commune=geography["69123"])
    headers = _bearer(editor)
    exported = client.get(f"{BASE}/export", headers=headers)
    assert exported["Content-Type"].startswith("text/csv")
    assert exported.content.decode("utf-8-sig") == offer_export_csv().lstrip("\ufeff")
    response = client.post(
        f"{BASE}/import?dry_run=true",
        {"file": _upload(exported.content)},
        headers=headers,
    )
    body = response.json()
    assert (response.status_code, body["unchanged"], body["applied"]) == (200, 1, False)


def test_a_malformed_import_answers_400_with_row_errors(client, editor, geography):
    make_offer("Yoga adapté", commune=geography["69123"])
    csv_text = offer_export_csv().replace(";69123;", ";99999;")
    response = client.post(
        f"{BASE}/import?dry_run=false",
        {"file": _upload(csv_text.encode())},
        headers=_bearer(editor),
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["field"], error["code"]) == (
        2,
        "code_insee",
        "directory.commune.unknown",
    )
    assert Offer.objects.get().commune_id == "69123"


def test_an_import_without_a_file_is_refused(client, editor):
    response = client.post(f"{BASE}/import", {}, headers=_bearer(editor))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "directory.csv.file_required"


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("offres.csv", content, content_type="text/csv")


def test_the_proposals_queue_takes_the_same_queries_whatever_its_length(
    client, personas, editor, geography, django_assert_num_queries
):
    from oncoparcours.directory.services import offer_change_propose

    for index in range(4):
        offer = make_offer(
            f"Offre {index}", commune=geography["69123"], provider_organisation=personas.structure
        )
        offer_change_propose(by=personas.coordinator, offer=offer, changes={"phone": "0472000000"})
    headers = _bearer(editor)
    client.get(f"{BASE}/proposals", headers=headers)
    # 1. token + membership; 2. token last use; 3. count; 4. the page with offers and proposers.
    with django_assert_num_queries(4):
        response = client.get(f"{BASE}/proposals", headers=headers)
    assert response.json()["count"] == 4
