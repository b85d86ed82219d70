"""The public search and offer pages: no login, filters, distance order, pagination, French
refusals, constant query counts, and the map data the page hands to map.js."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oncoparcours.directory.tests.factories import make_offer

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")


def _map_data(response) -> dict:
    match = re.search(
        r'<script id="directory-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries its map data"
    return json.loads(match.group(1))


def _titles(response) -> list[str]:
    return [row["offer"].title for row in response.context["rows"]]


@pytest.fixture
def lyon_offers(geography):
    """Three offers at hand-placed points around Lyon's town hall (45.7676, 4.8345), and one
    in Clermont-Ferrand, ~137 km away."""
    lyon = geography["69123"]
    near = make_offer("Écoute psy jeunes", commune=lyon, at=(45.7676, 4.8345), audiences=("aja",))
    # 0.1° of latitude further north: 11.1 km.
    middle = make_offer(
        "Groupe de parole AJA", commune=lyon, at=(45.8676, 4.8345), audiences=("aja", "adults")
    )
    # 0.3° north: 33.4 km, beyond a 30 km radius.
    far = make_offer("Psy à 33 km", commune=lyon, at=(46.0676, 4.8345), audiences=("aja",))
    clermont = make_offer("Psy Clermont", commune=geography["63113"], audiences=("aja",))
    return near, middle, far, clermont


def test_anonymous_visitor_sees_the_search_form_without_results(client: Client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["results"] is None
    page = response.content.decode()
    assert "Répertoire régional des soins de support" in page
    assert 'role="search"' in page
    # The "Autour de moi" button is revealed by the script only where geolocation exists.
    assert re.search(r"<button[^>]*data-around-me[^>]*hidden", page)


def test_anonymous_search_within_30_km_lists_nearest_first_with_the_distance(
    client: Client, lyon_offers
):
    response = client.get(
        SEARCH, {"lieu": "Lyon", "rayon": "30", "type": "psychological", "public": "aja"}
    )
    assert response.status_code == 200
    assert _titles(response) == ["Écoute psy jeunes", "Groupe de parole AJA"]
    assert response.context["results"].total == 2
    distances = [row["distance"] for row in response.context["rows"]]
    assert distances == ["0,0 km", "11,1 km"]
    page = response.content.decode()
    assert "2 offres trouvées" in page


def test_postal_code_and_accents_find_the_same_place(client: Client, lyon_offers):
    by_postal_code = client.get(SEARCH, {"lieu": "69003", "rayon": "20"})
    by_name = client.get(SEARCH, {"lieu": "LYON", "rayon": "20"})
    assert (
        _titles(by_postal_code) == _titles(by_name) == ["Écoute psy jeunes", "Groupe de parole AJA"]
    )
    saint_etienne = client.get(SEARCH, {"lieu": "saint etienne", "rayon": "100"})
    assert saint_etienne.status_code == 200
    assert saint_etienne.context["form"].errors == {}


def test_filters_combine(client: Client, geography, lyon_offers):
    lyon = geography["69123"]
    make_offer("APA payante", commune=lyon, care_type="apa", cost="membership", audiences=("aja",))
    make_offer("APA gratuite en groupe", commune=lyon, care_type="apa", group_formats=("group",))
    response = client.get(
        SEARCH, {"lieu": "Lyon", "type": "apa", "cout": "free", "format": "group"}
    )
    assert _titles(response) == ["APA gratuite en groupe"]


def test_map_data_gives_each_offer_a_link_and_the_search_origin(client: Client, lyon_offers):
    near = lyon_offers[0]
    response = client.get(SEARCH, {"lieu": "Lyon", "rayon": "30", "public": "aja"})
    data = _map_data(response)
    assert data["origin"]["label"] == "Point de recherche : Lyon"
    first = data["markers"][0]
    assert first["url"] == reverse("directory:offer", kwargs={"public_id": near.public_id})
    assert first["rank"] == 1
    assert first["label"].startswith("1. Écoute psy jeunes")
    assert (first["lat"], first["lon"]) == (45.7676, 4.8345)


def test_the_page_loads_the_map_and_search_scripts_with_the_csp_nonce(client: Client, lyon_offers):
    response = client.get(SEARCH, {"lieu": "Lyon"})
    page = response.content.decode()
    nonce = str(response.context["csp_nonce"])
    assert nonce
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    for script in ("vendor/leaflet/leaflet.js", "directory/map.js", "directory/search.js"):
        assert re.search(rf'<script nonce="{nonce}" src="[^"]*{re.escape(script)}"', page), script
    assert "style=" not in page
    assert "<script>" not in page


def test_search_from_the_browser_position(client: Client, lyon_offers):
    response = client.get(SEARCH, {"lat": "45.7676", "lon": "4.8345", "rayon": "20"})
    assert _titles(response) == ["Écoute psy jeunes", "Groupe de parole AJA"]
    assert _map_data(response)["origin"]["label"] == "Votre position"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"lieu": "Atlantide"}, "lieu", "Aucune commune d'Auvergne-Rhône-Alpes"),
        ({"lieu": "99999"}, "lieu", "ne correspond à aucune commune"),
        ({"lieu": "Lyon", "rayon": "7000"}, "rayon", "Sélectionnez un choix valide"),
        ({"type": "astrology"}, "type", "Sélectionnez un choix valide"),
        ({"lat": "12", "lon": "4.8"}, "lat", "Position hors de la région"),
        ({"lat": "45.7"}, None, "position transmise par le navigateur est incomplète"),
        ({"lieu": "Lyon", "page": "zéro"}, "page", "Saisissez un nombre entier"),
    ],
)
def test_invalid_filters_are_explained_in_french_never_a_server_error(
    client: Client, lyon_offers, params, field, message
):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field or "__all__", [])), errors
    assert response.context["results"] is None
    assert message.split("'")[0] in response.content.decode().replace("&#x27;", "'")


def test_pagination_splits_results_and_keeps_the_criteria(client: Client, geography):
    lyon = geography["69123"]
    for index in range(25):
        make_offer(f"Offre {index:02d}", commune=lyon, at=(45.7676 + index / 1000, 4.8345))
    first = client.get(SEARCH, {"lieu": "Lyon", "rayon": "30"})
    assert first.context["results"].total == 25
    assert len(first.context["rows"]) == 20
    page = first.content.decode()
    assert "?lieu=Lyon&amp;rayon=30&amp;page=2" in page
    second = client.get(SEARCH, {"lieu": "Lyon", "rayon": "30", "page": "2"})
    assert _titles(second) == [f"Offre {index:02d}" for index in range(20, 25)]
    assert [row["rank"] for row in second.context["rows"]] == [21, 22, 23, 24, 25]
    beyond = client.get(SEARCH, {"lieu": "Lyon", "rayon": "30", "page": "9"})
    assert beyond.status_code == 200
    assert "Cette page de résultats est vide." in beyond.content.decode()


def test_archived_offers_are_neither_found_nor_shown(client: Client, geography):
    archived = make_offer("Offre close", commune=geography["69123"], archived_at=timezone.now())
    response = client.get(SEARCH, {"lieu": "Lyon"})
    assert _titles(response) == []
    assert "Aucune offre ne correspond" in response.content.decode()
    detail = client.get(reverse("directory:offer", kwargs={"public_id": archived.public_id}))
    assert detail.status_code == 404


def test_search_query_count_does_not_grow_with_results(
    client: Client, geography, django_assert_num_queries
):
    lyon = geography["69123"]
    make_offer("Seule offre", commune=lyon)
    # 1 the place (commune by name), 2 the count, 3 the page of offers with their joins.
    with django_assert_num_queries(3):
        client.get(SEARCH, {"lieu": "Lyon", "rayon": "30"})
    for index in range(19):
        make_offer(f"Offre {index}", commune=lyon, provider_name=f"Structure {index}")
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"lieu": "Lyon", "rayon": "30"})
    assert len(response.context["rows"]) == 20


def test_offer_page_shows_every_field_in_french_to_an_anonymous_visitor(client: Client, geography):
    offer = make_offer(
        "Soutien psychologique AJA",
        commune=geography["69123"],
        at=(45.76, 4.84),
        audiences=("aja", "carers"),
        group_formats=("individual", "group"),
        delivery_modes=("in_person", "remote"),
        address="3 rue de la Santé",
        postal_code="69003",
        phone="04 72 00 00 00",
        email="contact@asso.test",
        website="https://asso.test",
        opening_hours="Lundi au vendredi, 9 h à 17 h",
        accessible=True,
        last_verified_at=timezone.localdate() - timedelta(days=30),
        languages=["fr", "en"],
        requires_prescription=True,
    )
    response = client.get(reverse("directory:offer", kwargs={"public_id": offer.public_id}))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Soutien psychologique AJA",
        "Soutien psychologique",
        "Gratuit",
        "Adolescents et jeunes adultes (AJA), Proches et aidants",
        "Individuel, Collectif",
        "Sur place, À distance",
        "3 rue de la Santé",
        "69003 Lyon (Rhône)",
        "Accessible aux personnes à mobilité réduite",
        'href="tel:0472000000"',
        'href="mailto:contact@asso.test"',
        'href="https://asso.test"',
        "Lundi au vendredi, 9 h à 17 h",
        "français, anglais",
        "Sur prescription médicale",
        "Enquête régionale",
    ):
        assert text in page, text
    assert "Fiche à vérifier" not in page
    assert _map_data(response)["markers"] == [
        {"lat": 45.76, "lon": 4.84, "label": "Soutien psychologique AJA", "kind": "place"}
    ]
    # Anonymous: no editor or provider action.
    assert "Modifier" not in page
    assert "Proposer une modification" not in page


def test_offer_not_verified_for_twelve_months_is_flagged(client: Client, geography, settings):
    settings.DIRECTORY_VERIFICATION_MONTHS = 12
    old = make_offer(
        "Vieille fiche",
        commune=geography["69123"],
        last_verified_at=timezone.localdate() - timedelta(days=400),
    )
    never = make_offer("Jamais vérifiée", commune=geography["69123"], last_verified_at=None)
    page = client.get(reverse("directory:offer", kwargs={"public_id": old.public_id}))
    assert "Fiche à vérifier" in page.content.decode()
    assert "pas été vérifiées depuis plus de 12 mois" in page.content.decode()
    page = client.get(reverse("directory:offer", kwargs={"public_id": never.public_id}))
    assert "jamais été vérifiées" in page.content.decode()


def test_a_javascript_website_is_never_a_link(client: Client, geography):
    offer = make_offer("Site piégé", commune=geography["69123"], website="javascript:alert(1)")
    page = client.get(reverse("directory:offer", kwargs={"public_id": offer.public_id}))
    assert 'href="javascript:' not in page.content.decode()


def test_unknown_offer_is_404(client: Client, db):
    url = reverse("directory:offer", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404


def test_commune_suggestions_are_public_and_resolvable_by_the_search(client: Client, geography):
    response = client.get(reverse("directory:commune-suggestions"), {"q": "saint"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0] == {"value": "Saint-Étienne (42218)", "label": "42000, 42100 · Loire"}
    search = client.get(SEARCH, {"lieu": results[0]["value"]})
    assert search.context["form"].errors == {}
    assert client.get(reverse("directory:commune-suggestions"), {"q": "s"}).json() == {
        "results": []
    }
