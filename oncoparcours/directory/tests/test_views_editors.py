"""Directory editors' pages: the offers list, create, edit, archive, verify, history; others
are refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoparcours.directory.models import Offer, OfferEvent
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.territories.tests.conftest import request_overhead

pytestmark = pytest.mark.django_db

LIST = reverse("directory:editor-list")
CREATE = reverse("directory:create")

VALID = {
    "title": "Atelier d'activité physique adaptée",
    "care_type": "apa",
    "description": "Deux séances par semaine.",
    "audiences": ["adults", "aja"],
    "moment": "after",
    "group_formats": ["group"],
    "delivery_modes": ["in_person"],
    "cost": "free",
    "provider_name": "Club Sport Santé Lyon",
    "address": "12 quai du Rhône",
    "postal_code": "69003",
    "commune_insee": "Lyon (69123)",
    "languages": ["fr"],
    "phone": "04 72 11 22 33",
    "email": "contact@club.test",
    "website": "https://club.test",
    "source": "dsrc_verification",
}


def _url(name: str, offer: Offer) -> str:
    return reverse(f"directory:{name}", kwargs={"public_id": offer.public_id})


@pytest.fixture
def offer(geography, personas) -> Offer:
    return make_offer(
        "Psy Lyon",
        commune=geography["69123"],
        provider_organisation=personas.structure,
        last_verified_at=timezone.localdate() - timedelta(days=500),
    )


def test_editor_creates_an_offer_from_the_form(client_as, editor, geography):
    client = client_as(editor)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, VALID)
    offer = Offer.objects.get(title=VALID["title"])
    assert response.status_code == 302
    assert response["Location"] == _url("offer", offer)
    assert offer.commune_id == "69123"
    assert offer.audiences == ["adults", "aja"]
    assert offer.created_by == editor
    assert offer.events.get().kind == "created"


def test_service_refusals_are_shown_next_to_their_field_and_nothing_is_saved(
    client_as, editor, geography
):
    client = client_as(editor)
    response = client.post(CREATE, {**VALID, "commune_insee": "99999", "email": "pas-un-courriel"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"]
    assert form.errors["commune_insee"]
    page = response.content.decode()
    assert 'id="id_commune_insee_error"' in page
    assert not Offer.objects.exists()


def test_editor_edits_an_offer_with_its_current_values_prefilled(client_as, editor, offer):
    client = client_as(editor)
    page = client.get(_url("edit", offer))
    assert page.context["form"]["title"].value() == "Psy Lyon"
    assert page.context["form"]["commune_insee"].value() == "69123"
    data = {
        **VALID,
        "title": "Psy Lyon (nouvel intitulé)",
        "care_type": "psychological",
        "commune_insee": "69123",
    }
    response = client.post(_url("edit", offer), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Psy Lyon (nouvel intitulé)"
    assert offer.updated_by == editor


def test_editor_marks_an_offer_verified_and_the_stale_flag_goes(client_as, editor, offer, client):
    assert "Fiche à vérifier" in client.get(_url("offer", offer)).content.decode()
    response = client_as(editor).post(_url("verify", offer))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.last_verified_at == timezone.localdate()
    assert "Fiche à vérifier" not in client.get(_url("offer", offer)).content.decode()


def test_editor_archives_an_offer_after_confirming(client_as, editor, offer, client):
    editor_client = client_as(editor)
    confirm = editor_client.get(_url("archive", offer))
    assert "rien n\u2019est supprimé" in confirm.content.decode()
    assert editor_client.post(_url("archive", offer)).status_code == 302
    offer.refresh_from_db()
    assert offer.archived_at is not None
    assert client.get(_url("offer", offer)).status_code == 404
    # Editors still read it, with its history.
    assert editor_client.get(_url("offer", offer)).status_code == 200
    history = editor_client.get(_url("history", offer)).content.decode()
    assert "Offre archivée" in history


def test_offer_page_shows_editor_actions_to_editors_only(client_as, editor, personas, offer):
    page = client_as(editor).get(_url("offer", offer)).content.decode()
    assert "Marquer comme vérifiée" in page
    assert _url("edit", offer) in page
    page = client_as(personas.ars_analyst).get(_url("offer", offer)).content.decode()
    assert "Marquer comme vérifiée" not in page


def test_editor_list_filters_by_type_department_staleness_and_archive(client_as, editor, geography):
    today = timezone.localdate()
    make_offer("APA Lyon", commune=geography["69123"], care_type="apa", last_verified_at=today)
    make_offer("Psy Lyon à vérifier", commune=geography["69123"], last_verified_at=None)
    make_offer("Psy Clermont", commune=geography["63113"], last_verified_at=today)
    make_offer("Psy archivée", commune=geography["69123"], archived_at=timezone.now())
    client = client_as(editor)

    def titles(params: dict[str, str]) -> list[str]:
        return [offer.title for offer in client.get(LIST, params).context["page"]]

    assert titles({}) == ["APA Lyon", "Psy Clermont", "Psy Lyon à vérifier"]
    assert titles({"type": "apa"}) == ["APA Lyon"]
    assert titles({"departement": "63"}) == ["Psy Clermont"]
    assert titles({"a_verifier": "on"}) == ["Psy Lyon à vérifier"]
    assert titles({"archivees": "on"}) == ["Psy archivée"]
    assert titles({"q": "clermont"}) == ["Psy Clermont"]


def test_editor_list_query_count_does_not_grow_with_offers(
    client_as, editor, geography, django_assert_num_queries
):
    client = client_as(editor)
    overhead = request_overhead(client)
    make_offer("Une", commune=geography["69123"])
    # + departments of the filter, the count, the page of offers with commune and provider.
    with django_assert_num_queries(overhead + 3):
        client.get(LIST)
    for index in range(30):
        make_offer(f"Offre {index}", commune=geography["63113"])
    with django_assert_num_queries(overhead + 3):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 31


@pytest.mark.parametrize("who", ["coordinator", "ars_analyst", "psychologist", "outsider"])
def test_editor_pages_refuse_everyone_else(client_as, personas, offer, who):
    client = client_as(getattr(personas, who))
    for url in (LIST, CREATE, _url("edit", offer), _url("archive", offer), _url("history", offer)):
        assert client.get(url).status_code == 403, url
    assert client.post(_url("verify", offer)).status_code == 403
    assert client.post(_url("archive", offer)).status_code == 403
    offer.refresh_from_db()
    assert offer.archived_at is None
    assert not OfferEvent.objects.exists()


def test_anonymous_visitor_is_sent_to_login_from_editor_pages(client, offer):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
