import pytest
from django.test import Client
from django.urls import reverse

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_organisation
from oncoparcours.organisations.models import Organisation, StructureType

pytestmark = pytest.mark.django_db

# Every logged-in page costs the same fixed queries around its own: session, user, OTP
# device, active membership before the view; nothing after it.
AROUND_THE_VIEW = 4

VALID_POST = {
    "name": "Association Cancer et Vie",
    "kind": OrgKind.STRUCTURE_PORTEUSE.value,
    "structure_type": StructureType.ASSOCIATION.value,
    "siret": "732 829 320 00074",
    "finess_et": "690781810",
    "postal_code": "69100",
    "serves_adults": "on",
}


def _url(name: str, *args: object) -> str:
    return reverse(f"organisations:{name}", args=args)


def _html(response) -> str:
    return response.content.decode()


def _more_organisations(count: int) -> None:
    for i in range(count):
        make_organisation(f"Cabinet {i:03d}", OrgKind.COMMUNITY_PRACTICE, commune_id="42218")


# List


def test_anonymous_visitor_is_sent_to_the_login_page(personas):
    response = Client().get(_url("list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_user_without_a_role_is_refused(personas):
    user = User.objects.create_user("sans-role@test.invalid", "motdepasse-de-test-123")
    client = Client()
    client.force_login(user)
    assert client.get(_url("list")).status_code == 403


def test_admin_lists_every_organisation_with_its_commune_and_department(personas, client_as):
    response = client_as(personas.admin).get(_url("list"))

    html = _html(response)
    assert response.status_code == 200
    assert "Association Après-Cancer Lyon" in html
    assert "MSP des Volcans" in html
    assert "Puy-de-Dôme (63)" in html
    assert _url("create") in html


def test_admin_list_filters_by_type_department_and_search(personas, client_as):
    client = client_as(personas.admin)

    html = _html(client.get(_url("list"), {"department": "63"}))
    assert "MSP des Volcans" in html
    assert "Association Après-Cancer Lyon" not in html

    html = _html(client.get(_url("list"), {"kind": "pharmacy"}))
    assert "Pharmacie du Lac" in html
    assert "MSP des Volcans" not in html

    html = _html(client.get(_url("list"), {"q": "apres cancer"}))
    assert "Association Après-Cancer Lyon" in html
    assert "Pharmacie du Lac" not in html


@pytest.mark.parametrize("extra", [0, 60])
def test_list_page_query_count_does_not_grow_with_rows(
    personas, client_as, django_assert_num_queries, extra
):
    _more_organisations(extra)
    client = client_as(personas.admin)

    # departments (filter choices), count, one page of organisations with commune and department
    with django_assert_num_queries(AROUND_THE_VIEW + 3):
        response = client.get(_url("list"))
    assert response.status_code == 200


def test_list_is_paginated_by_50(personas, client_as):
    _more_organisations(60)
    client = client_as(personas.admin)

    first = _html(client.get(_url("list")))
    second = _html(client.get(_url("list"), {"page": 2}))

    assert "Cabinet 000" in first
    assert "Cabinet 059" not in first
    assert "Cabinet 059" in second


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "psychologist"])
def test_local_roles_list_only_their_own_organisation(personas, client_as, persona):
    actor = getattr(personas, persona)

    html = _html(client_as(actor).get(_url("list")))

    assert actor.organisation.name in html
    others = {"Association Après-Cancer Lyon", "MSP des Volcans", "Pharmacie du Lac"}
    for name in others - {actor.organisation.name}:
        assert name not in html
    assert _url("create") not in html


# Detail


def test_ars_analyst_reads_a_structure_without_edit_links_or_members(personas, client_as):
    response = client_as(personas.ars_analyst).get(_url("detail", personas.structure.public_id))

    html = _html(response)
    assert response.status_code == 200
    assert "Association Après-Cancer Lyon" in html
    assert _url("edit", personas.structure.public_id) not in html
    assert _url("archive", personas.structure.public_id) not in html
    assert "coordination@lyon.test" not in html


def test_coordinator_sees_the_members_of_their_structure(personas, client_as):
    response = client_as(personas.coordinator).get(_url("detail", personas.structure.public_id))

    html = _html(response)
    assert "coordination@lyon.test" in html
    assert "psy@lyon.test" in html
    assert _url("member-add", personas.structure.public_id) in html
    assert _url("edit", personas.structure.public_id) in html
    assert "/territoires/" in html


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator", "psychologist"])
def test_other_organisations_are_not_found(personas, client_as, persona):
    target = personas.other_structure if persona == "psychologist" else personas.structure
    response = client_as(getattr(personas, persona)).get(_url("detail", target.public_id))
    assert response.status_code == 404


# Create


def test_admin_creates_an_organisation(personas, client_as):
    response = client_as(personas.admin).post(_url("create"), VALID_POST)

    organisation = Organisation.objects.get(siret="73282932000074")
    assert response.status_code == 302
    assert response["Location"] == _url("detail", organisation.public_id)
    assert organisation.commune_id == "69266"


def test_bad_identifiers_show_every_french_message_and_save_nothing(personas, client_as):
    before = Organisation.objects.count()
    data = {
        **VALID_POST,
        "finess_et": "690781811",
        "siret": "7328293200007",
        "postal_code": "69999",
        "structure_type": "",
    }

    response = client_as(personas.admin).post(_url("create"), data)

    html = _html(response)
    assert response.status_code == 200
    assert "Le numéro FINESS 690781811 est invalide : la clé de contrôle ne correspond pas." in html
    assert "Le numéro SIRET doit comporter 14 chiffres (SIREN + NIC)." in html
    assert "Le code postal 69999 ne correspond à aucune commune d" in html
    assert "Indiquez la forme de la structure porteuse" in html
    assert 'id="id_siret_error"' in html
    assert Organisation.objects.count() == before


def test_bad_luhn_siret_and_postal_code_of_another_commune_are_shown(personas, client_as):
    data = {
        **VALID_POST,
        "siret": "73282932000079",
        "postal_code": "69100",
        "commune_insee": "69123",
    }

    html = _html(client_as(personas.admin).post(_url("create"), data))

    assert "Le numéro SIRET 73282932000079 est invalide" in html
    assert "Le code postal 69100 n&#x27;est pas celui de la commune choisie" in html
    assert not Organisation.objects.filter(name=VALID_POST["name"]).exists()


def test_duplicate_siret_is_shown_with_the_existing_organisation_name(personas, client_as):
    make_organisation("Clinique du Parc", OrgKind.HEALTH_ESTABLISHMENT, siret="73282932000074")

    html = _html(client_as(personas.admin).post(_url("create"), VALID_POST))

    assert "déjà celui de l&#x27;organisation « Clinique du Parc »" in html
    assert not Organisation.objects.filter(name=VALID_POST["name"]).exists()


@pytest.mark.parametrize("persona", ["coordinator", "ars_analyst", "outsider"])
def test_only_admins_create_organisations(personas, client_as, persona):
    client = client_as(getattr(personas, persona))
    assert client.get(_url("create")).status_code == 403
    assert client.post(_url("create"), VALID_POST).status_code == 403
    assert not Organisation.objects.filter(siret="73282932000074").exists()


# Edit


def test_coordinator_edits_their_structure_but_not_its_kind(personas, client_as):
    client = client_as(personas.coordinator)
    url = _url("edit", personas.structure.public_id)
    assert client.get(url).status_code == 200

    data = {**VALID_POST, "name": "Après-Cancer Lyon Métropole", "kind": "pharmacy"}
    response = client.post(url, data)

    personas.structure.refresh_from_db()
    assert response.status_code == 302
    assert personas.structure.name == "Après-Cancer Lyon Métropole"
    assert personas.structure.kind == OrgKind.STRUCTURE_PORTEUSE


def test_edit_with_errors_keeps_the_organisation_unchanged(personas, client_as):
    data = {**VALID_POST, "name": "Nouveau nom", "finess_ej": "12345"}

    html = _html(client_as(personas.admin).post(_url("edit", personas.structure.public_id), data))

    assert "Le numéro FINESS doit comporter 9 caractères" in html
    personas.structure.refresh_from_db()
    assert personas.structure.name == "Association Après-Cancer Lyon"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ars_analyst", 403), ("psychologist", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_others_cannot_edit_the_structure(personas, client_as, persona, status):
    client = client_as(getattr(personas, persona))
    url = _url("edit", personas.structure.public_id)
    assert client.get(url).status_code == status
    assert client.post(url, {**VALID_POST, "name": "Piraté"}).status_code == status
    personas.structure.refresh_from_db()
    assert personas.structure.name == "Association Après-Cancer Lyon"


# Archive


def test_admin_archives_an_organisation_after_confirming(personas, client_as):
    client = client_as(personas.admin)
    url = _url("archive", personas.other_structure.public_id)

    assert client.get(url).status_code == 200
    response = client.post(url)

    personas.other_structure.refresh_from_db()
    assert response.status_code == 302
    assert personas.other_structure.archived_at is not None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("ars_analyst", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_only_admins_archive(personas, client_as, persona, status):
    response = client_as(getattr(personas, persona)).post(
        _url("archive", personas.structure.public_id)
    )
    assert response.status_code == status
    personas.structure.refresh_from_db()
    assert personas.structure.archived_at is None


# Members


def test_coordinator_adds_a_member_who_receives_the_password_email(
    personas, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "email": "apa@lyon.test",
        "first_name": "Léo",
        "last_name": "Garnier",
        "role": RoleCode.APA_PROFESSIONAL.value,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(personas.coordinator).post(
            _url("member-add", personas.structure.public_id), data
        )

    assert response.status_code == 302
    assert Membership.objects.filter(
        user__email="apa@lyon.test", organisation=personas.structure
    ).exists()
    assert len(mailoutbox) == 1
    assert "http://testserver/comptes/mot-de-passe/nouveau/" in mailoutbox[0].body


def test_member_form_offers_only_roles_the_coordinator_may_grant_here(personas, client_as):
    html = _html(
        client_as(personas.coordinator).get(_url("member-add", personas.structure.public_id))
    )
    assert 'value="dietitian"' in html
    assert 'value="admin"' not in html
    assert 'value="hospital_oncologist"' not in html
    assert 'value="patient"' not in html


def test_member_form_shows_french_errors_and_creates_no_account(personas, client_as):
    data = {"email": "pas-une-adresse", "first_name": "", "last_name": "", "role": "dietitian"}

    html = _html(
        client_as(personas.coordinator).post(_url("member-add", personas.structure.public_id), data)
    )

    assert "L&#x27;adresse électronique n&#x27;est pas valide" in html
    assert not User.objects.filter(email="pas-une-adresse").exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ars_analyst", 403), ("psychologist", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_others_cannot_add_members(personas, client_as, persona, status):
    data = {"email": "intrus@test.invalid", "first_name": "I", "last_name": "N", "role": "idec"}
    client = client_as(getattr(personas, persona))
    url = _url("member-add", personas.structure.public_id)
    assert client.get(url).status_code == status
    assert client.post(url, data).status_code == status
    assert not User.objects.filter(email="intrus@test.invalid").exists()


def test_coordinator_ends_a_member_role(personas, client_as):
    url = _url("member-end", personas.structure.public_id, personas.psychologist.public_id)

    response = client_as(personas.coordinator).post(url)

    personas.psychologist.refresh_from_db()
    assert response.status_code == 302
    assert personas.psychologist.ended_at is not None


def test_ending_a_role_needs_a_post(personas, client_as):
    url = _url("member-end", personas.structure.public_id, personas.psychologist.public_id)
    assert client_as(personas.coordinator).get(url).status_code == 405


def test_ending_ones_own_role_is_refused_with_a_message(personas, client_as):
    url = _url("member-end", personas.structure.public_id, personas.coordinator.public_id)

    response = client_as(personas.coordinator).post(url, follow=True)

    assert "Vous ne pouvez pas mettre fin au rôle au titre duquel vous agissez." in _html(response)
    personas.coordinator.refresh_from_db()
    assert personas.coordinator.ended_at is None


def test_a_membership_of_another_organisation_is_not_found(personas, client_as):
    url = _url("member-end", personas.structure.public_id, personas.other_coordinator.public_id)
    assert client_as(personas.coordinator).post(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ars_analyst", 403), ("psychologist", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_others_cannot_end_member_roles(personas, client_as, persona, status):
    url = _url("member-end", personas.structure.public_id, personas.psychologist.public_id)
    actor = getattr(personas, persona)
    if persona == "psychologist":
        url = _url("member-end", personas.structure.public_id, personas.coordinator.public_id)
    assert client_as(actor).post(url).status_code == status
    assert Membership.objects.filter(ended_at__isnull=False).count() == 0
