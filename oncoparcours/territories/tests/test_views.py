import pytest
from django.test import Client
from django.urls import reverse

from oncoparcours.accounts.models import User
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.testing import make_member
from oncoparcours.territories.models import InterventionTerritory
from oncoparcours.territories.services import territory_create

from .conftest import make_commune, request_overhead

SEARCH = reverse("territories:commune-search")
LIST = reverse("territories:list")
CREATE = reverse("territories:create")


def detail_url(t):
    return reverse("territories:detail", kwargs={"public_id": t.public_id})


def edit_url(t):
    return reverse("territories:edit", kwargs={"public_id": t.public_id})


def archive_url(t):
    return reverse("territories:archive", kwargs={"public_id": t.public_id})


@pytest.fixture
def patient(personas):
    return make_member(personas.structure, RoleCode.PATIENT)


@pytest.fixture
def no_role_client(db):
    user = User.objects.create_user("sans-role@test.invalid", "motdepasse-de-test-123")
    client = Client()
    client.force_login(user)
    return client


# Commune search


def test_an_empty_search_shows_how_to_search(personas, client_as):
    response = client_as(personas.psychologist).get(SEARCH)
    assert response.status_code == 200
    assert "Comment chercher ?" in response.text
    assert "<table" not in response.text


def test_searching_by_name_ignores_accents(personas, client_as):
    response = client_as(personas.coordinator).get(SEARCH, {"q": "st etienne"})
    assert response.status_code == 200
    page = response.text
    for cell in ("42218", "Saint-Étienne", "42000, 42100", "Loire (42)", "Saint-Étienne Métropole"):
        assert cell in page
    assert "1 commune trouvée" in page


def test_searching_by_postal_code_and_insee_code(personas, client_as):
    client = client_as(personas.outsider)
    assert "Villeurbanne" in client.get(SEARCH, {"q": "69100"}).text
    assert "Aurillac" in client.get(SEARCH, {"q": "15014"}).text


def test_a_search_without_result_says_so(personas, client_as):
    response = client_as(personas.ars_analyst).get(SEARCH, {"q": "Paris"})
    assert "Aucune commune d'Auvergne-Rhône-Alpes ne correspond à « Paris »." in response.text


def test_the_community_pharmacist_may_search_communes(personas, client_as):
    # Commune search is open to every professional role: the reference is public data.
    assert client_as(personas.outsider).get(SEARCH, {"q": "Lyon"}).status_code == 200


def test_a_patient_or_a_user_without_role_may_not_search_communes(
    personas, patient, client_as, no_role_client
):
    assert client_as(patient).get(SEARCH, {"q": "Lyon"}).status_code == 403
    assert no_role_client.get(SEARCH, {"q": "Lyon"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(db, client):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("extra", [0, 6])
def test_commune_search_page_query_count_does_not_grow_with_results(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        make_commune(f"690{i:02d}", f"Commune {i}", [f"6998{i}", "69990"])
    client = client_as(personas.coordinator)
    overhead = request_overhead(client)
    # Overhead, then 1. communes with department and EPCI; 2. their postal codes.
    with django_assert_num_queries(overhead + 2):
        response = client.get(SEARCH, {"q": "69"})
    assert response.text.count("<tr>") == 1 + 2 + extra


# Territory list


def test_the_coordinator_lists_the_structures_territories(
    personas, territory, other_territory, client_as
):
    response = client_as(personas.coordinator).get(LIST)
    assert response.status_code == 200
    assert "Lyon et Villeurbanne" in response.text
    assert "Clermont" not in response.text
    assert "670" in response.text  # population covered, with a thousands separator
    assert CREATE in response.text


def test_the_ars_lists_every_territory_without_create_button(
    personas, territory, other_territory, client_as
):
    response = client_as(personas.ars_analyst).get(LIST)
    assert "Lyon et Villeurbanne" in response.text
    assert "MSP des Volcans" in response.text
    assert CREATE not in response.text


def test_the_outsider_and_other_roles_may_not_list_territories(
    personas, patient, client_as, no_role_client
):
    for membership in (personas.outsider, personas.psychologist, patient):
        assert client_as(membership).get(LIST).status_code == 403
    assert no_role_client.get(LIST).status_code == 403


@pytest.mark.parametrize("extra", [0, 5])
def test_territory_list_query_count_does_not_grow_with_territories(
    personas, territory, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        territory_create(
            by=personas.admin,
            structure=personas.other_structure,
            name=f"Territoire {i}",
            commune_codes=["63113", "15014"],
        )
    client = client_as(personas.admin)
    overhead = request_overhead(client)
    # Overhead, then 1. territories with structure, commune count and population (one query).
    with django_assert_num_queries(overhead + 1):
        response = client.get(LIST)
    assert response.text.count("<tr>") == 1 + 1 + extra


# Territory detail


def test_the_detail_shows_communes_totals_and_who_may_edit(personas, territory, client_as):
    response = client_as(personas.coordinator).get(detail_url(territory))
    assert response.status_code == 200
    page = response.text
    assert "69001, 69002" in page
    assert "Villeurbanne" in page
    assert "Total : 2 communes" in page
    assert "Modifiable par les coordinateurs de Association Après-Cancer Lyon" in page
    assert edit_url(territory) in page
    assert archive_url(territory) in page


def test_the_ars_sees_the_detail_without_edit_buttons(personas, territory, client_as):
    response = client_as(personas.ars_analyst).get(detail_url(territory))
    assert response.status_code == 200
    assert edit_url(territory) not in response.text


def test_another_coordinator_does_not_find_the_territory(personas, territory, client_as):
    assert client_as(personas.other_coordinator).get(detail_url(territory)).status_code == 404


def test_the_outsider_may_not_open_a_territory(personas, territory, client_as):
    assert client_as(personas.outsider).get(detail_url(territory)).status_code == 403
    assert client_as(personas.psychologist).get(detail_url(territory)).status_code == 403


def test_the_detail_query_count_does_not_grow_with_communes(
    personas, territory, client_as, django_assert_num_queries
):
    client = client_as(personas.coordinator)
    overhead = request_overhead(client)
    # Overhead, then 1. territory with structure; 2. its communes with department and EPCI;
    # 3. their postal codes.
    with django_assert_num_queries(overhead + 3):
        client.get(detail_url(territory))
    territory.communes.add("42218", "63113", "74010")
    with django_assert_num_queries(overhead + 3):
        client.get(detail_url(territory))


# Creation


def test_the_coordinator_creates_a_territory_from_insee_and_postal_codes(personas, client_as):
    client = client_as(personas.coordinator)
    form = client.get(CREATE)
    assert form.status_code == 200
    assert 'name="structure"' not in form.text
    response = client.post(
        CREATE, {"name": "Lyon Est", "description": "", "communes": "69123,\n69100"}
    )
    territory = InterventionTerritory.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(territory)
    assert territory.structure == personas.structure
    assert sorted(territory.communes.values_list("insee_code", flat=True)) == ["69123", "69266"]


def test_the_admin_picks_the_structure_porteuse(personas, client_as):
    client = client_as(personas.admin)
    form = client.get(CREATE)
    assert 'name="structure"' in form.text
    assert "MSP des Volcans" in form.text
    assert "Pharmacie du Lac" not in form.text
    client.post(
        CREATE,
        {"structure": personas.other_structure.pk, "name": "Volcans", "communes": "63113"},
    )
    assert InterventionTerritory.objects.get().structure == personas.other_structure


def test_the_admin_cannot_pick_a_pharmacy(personas, client_as):
    response = client_as(personas.admin).post(
        CREATE,
        {"structure": personas.outsider.organisation.pk, "name": "Officine", "communes": "74010"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not InterventionTerritory.objects.exists()


def test_unknown_codes_are_shown_in_french_and_nothing_is_saved(personas, client_as):
    response = client_as(personas.coordinator).post(
        CREATE, {"name": "Trop loin", "communes": "69123\n75056\n99999"}
    )
    assert response.status_code == 200
    assert (
        "Ces codes ne correspondent à aucune commune d&#x27;Auvergne-Rhône-Alpes : 75056, 99999."
        in response.text
    )
    assert 'aria-invalid="true"' in response.text
    assert not InterventionTerritory.objects.exists()


def test_text_that_is_no_code_is_shown_and_nothing_is_saved(personas, client_as):
    response = client_as(personas.coordinator).post(
        CREATE, {"name": "Texte", "communes": "Lyon, 69100"}
    )
    assert "Ces saisies ne sont ni des codes INSEE ni des codes postaux : Lyon." in response.text
    assert not InterventionTerritory.objects.exists()


def test_an_ambiguous_code_asks_for_a_prefix(personas, client_as):
    make_commune("01400", "Seillonnaz", ["01470"])
    make_commune("01093", "Châtillon-sur-Chalaronne", ["01400"])
    client = client_as(personas.coordinator)
    response = client.post(CREATE, {"name": "Dombes", "communes": "01400"})
    assert "insee:01400" in response.text
    assert not InterventionTerritory.objects.exists()
    client.post(CREATE, {"name": "Dombes", "communes": "cp:01400"})
    assert list(InterventionTerritory.objects.get().communes.values_list("name", flat=True)) == [
        "Châtillon-sur-Chalaronne"
    ]


def test_a_duplicate_name_is_refused_next_to_the_name(personas, territory, client_as):
    response = client_as(personas.coordinator).post(
        CREATE, {"name": territory.name, "communes": "42218"}
    )
    assert "La structure a déjà un territoire nommé" in response.text
    assert response.context["form"].errors["name"] == [
        "La structure a déjà un territoire nommé « Lyon et Villeurbanne »."
    ]
    assert InterventionTerritory.objects.count() == 1


def test_the_ars_and_the_outsider_may_not_create_territories(personas, client_as):
    for membership in (personas.ars_analyst, personas.outsider, personas.psychologist):
        client = client_as(membership)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, {"name": "X", "communes": "69123"}).status_code == 403
    assert not InterventionTerritory.objects.exists()


# Edition


def test_the_coordinator_edits_the_territory(personas, territory, client_as):
    client = client_as(personas.coordinator)
    form = client.get(edit_url(territory))
    assert form.status_code == 200
    assert "69123\n69266" in form.text
    response = client.post(
        edit_url(territory), {"name": "Lyon seule", "description": "", "communes": "69001"}
    )
    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.name == "Lyon seule"
    assert list(territory.communes.values_list("insee_code", flat=True)) == ["69123"]


def test_a_bad_edit_shows_the_message_and_saves_nothing(personas, territory, client_as):
    response = client_as(personas.coordinator).post(
        edit_url(territory), {"name": "", "communes": "69123"}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.text
    territory.refresh_from_db()
    assert territory.name == "Lyon et Villeurbanne"


def test_the_admin_edits_any_territory(personas, other_territory, client_as):
    client_as(personas.admin).post(
        edit_url(other_territory), {"name": "Clermont Métropole", "communes": "63113"}
    )
    other_territory.refresh_from_db()
    assert other_territory.name == "Clermont Métropole"


def test_the_ars_may_not_edit_and_another_coordinator_does_not_find_it(
    personas, territory, client_as
):
    payload = {"name": "Piraté", "communes": "69123"}
    assert client_as(personas.ars_analyst).post(edit_url(territory), payload).status_code == 403
    other = client_as(personas.other_coordinator)
    assert other.get(edit_url(territory)).status_code == 404
    assert other.post(edit_url(territory), payload).status_code == 404
    assert client_as(personas.outsider).post(edit_url(territory), payload).status_code == 403
    territory.refresh_from_db()
    assert territory.name == "Lyon et Villeurbanne"


# Archive


def test_the_coordinator_archives_after_confirmation(personas, territory, client_as):
    client = client_as(personas.coordinator)
    confirm = client.get(archive_url(territory))
    assert confirm.status_code == 200
    assert "Archiver le territoire Lyon et Villeurbanne ?" in confirm.text
    territory.refresh_from_db()
    assert territory.archived_at is None
    response = client.post(archive_url(territory))
    assert response.status_code == 302
    assert response.url == LIST
    territory.refresh_from_db()
    assert territory.archived_at is not None
    detail = client.get(detail_url(territory))
    assert "Archivé" in detail.text
    assert edit_url(territory) not in detail.text


def test_only_editors_may_archive(personas, territory, client_as):
    assert client_as(personas.ars_analyst).post(archive_url(territory)).status_code == 403
    assert client_as(personas.other_coordinator).post(archive_url(territory)).status_code == 404
    assert client_as(personas.outsider).post(archive_url(territory)).status_code == 403
    territory.refresh_from_db()
    assert territory.archived_at is None


def test_archiving_an_archived_territory_again_says_so(personas, territory, client_as):
    client = client_as(personas.coordinator)
    client.post(archive_url(territory))
    response = client.post(archive_url(territory), follow=True)
    assert "Ce territoire est déjà archivé." in response.text


def test_editing_an_archived_territory_is_refused_in_french(personas, territory, client_as):
    client = client_as(personas.coordinator)
    client.post(archive_url(territory))
    response = client.post(edit_url(territory), {"name": "Réveil", "communes": "69123"})
    assert "Ce territoire est archivé : il ne peut plus être modifié." in response.text
    territory.refresh_from_db()
    assert territory.name == "Lyon et Villeurbanne"


def test_the_list_can_show_one_structures_territories(
    personas, territory, other_territory, client_as
):
    client = client_as(personas.ars_analyst)
    response = client.get(LIST, {"structure": str(personas.other_structure.public_id)})
    assert "Clermont" in response.text
    assert "Lyon et Villeurbanne" not in response.text
    assert "Voir tous les territoires" in response.text
    # A malformed filter is ignored rather than an error.
    assert "Lyon et Villeurbanne" in client.get(LIST, {"structure": "x"}).text


def test_a_coordinator_filtering_on_another_structure_sees_nothing(
    personas, territory, other_territory, client_as
):
    response = client_as(personas.coordinator).get(
        LIST, {"structure": str(personas.other_structure.public_id)}
    )
    assert "Clermont" not in response.text
    assert "Lyon et Villeurbanne" not in response.text
