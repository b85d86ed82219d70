import pytest
from django.test import Client

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.accounts.services import api_token_create
from oncoparcours.core.testing import make_organisation
from oncoparcours.organisations.models import Organisation, StructureType

pytestmark = pytest.mark.django_db

BASE = "/api/v1/organisations"
# Session, user, OTP device, active membership before the endpoint.
AROUND_THE_ENDPOINT = 4

VALID = {
    "name": "Association Cancer et Vie",
    "kind": OrgKind.STRUCTURE_PORTEUSE.value,
    "structure_type": StructureType.ASSOCIATION.value,
    "siret": "732 829 320 00074",
    "finess_et": "690781810",
    "postal_code": "69100",
}


def _errors(response) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


def _url(organisation: Organisation, suffix: str = "") -> str:
    return f"{BASE}/{organisation.public_id}{suffix}"


# List and read


def test_admin_lists_organisations_with_filters(personas, client_as):
    client = client_as(personas.admin)

    body = client.get(BASE).json()
    assert body["count"] == 5
    lyon = next(o for o in body["items"] if o["name"] == "Association Après-Cancer Lyon")
    assert lyon["id"] == str(personas.structure.public_id)
    assert lyon["commune"]["department_code"] == "69"
    assert lyon["kind_label"] == "Structure porteuse"

    body = client.get(BASE, {"kind": "structure_porteuse", "department": "63"}).json()
    assert [o["name"] for o in body["items"]] == ["MSP des Volcans"]
    body = client.get(BASE, {"q": "pharmacie LAC"}).json()
    assert [o["name"] for o in body["items"]] == ["Pharmacie du Lac"]


@pytest.mark.parametrize("extra", [0, 60])
def test_list_endpoint_query_count_does_not_grow_with_rows(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        make_organisation(f"Cabinet {i:03d}", OrgKind.COMMUNITY_PRACTICE, commune_id="42218")
    client = client_as(personas.ars_analyst)

    # count, one page of organisations with commune and department
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 2):
        response = client.get(BASE)
    assert response.status_code == 200
    assert len(response.json()["items"]) == min(5 + extra, 50)


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "other_coordinator"])
def test_local_roles_list_only_their_own_organisation(personas, client_as, persona):
    actor = getattr(personas, persona)
    body = client_as(actor).get(BASE).json()
    assert [o["id"] for o in body["items"]] == [str(actor.organisation.public_id)]


def test_ars_analyst_reads_one_organisation(personas, client_as):
    response = client_as(personas.ars_analyst).get(_url(personas.structure))
    assert response.status_code == 200
    assert response.json()["structure_type_label"] == "Association"


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_others_get_404_for_the_structure(personas, client_as, persona):
    response = client_as(getattr(personas, persona)).get(_url(personas.structure))
    assert response.status_code == 404
    assert _errors(response) == {None: "not_found"}


def test_anonymous_caller_gets_401(personas):
    assert Client().get(BASE).status_code == 401


def test_a_system_token_acts_as_its_membership(personas):
    _token, key = api_token_create(membership=personas.coordinator, name="SI de la structure")

    response = Client().get(BASE, headers={"Authorization": f"Bearer {key}"})

    assert [o["name"] for o in response.json()["items"]] == ["Association Après-Cancer Lyon"]


# Create


def test_admin_creates_an_organisation(personas, client_as):
    response = client_as(personas.admin).post(BASE, VALID, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    assert body["siret"] == "73282932000074"
    assert body["commune"]["insee_code"] == "69266"
    assert Organisation.objects.filter(public_id=body["id"]).exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"finess_et": "690781811"}, "finess_et", "identifier.finess.checksum"),
        ({"siret": "7328293200007"}, "siret", "identifier.siret.format"),
        ({"siret": "73282932000079"}, "siret", "identifier.siret.checksum"),
        ({"postal_code": "69999"}, "postal_code", "identifier.postal_code.unknown"),
        (
            {"postal_code": "69100", "commune_insee": "69123"},
            "postal_code",
            "identifier.postal_code.mismatch",
        ),
    ],
)
def test_bad_identifiers_give_400_with_code_and_field_and_save_nothing(
    personas, client_as, change, field, code
):
    before = Organisation.objects.count()

    response = client_as(personas.admin).post(
        BASE, {**VALID, **change}, content_type="application/json"
    )

    assert response.status_code == 400
    assert _errors(response) == {field: code}
    assert response.json()["errors"][0]["message"]
    assert Organisation.objects.count() == before


def test_all_errors_come_back_together(personas, client_as):
    payload = {**VALID, "structure_type": "", "siret": "123", "finess_ej": "690781811"}

    response = client_as(personas.admin).post(BASE, payload, content_type="application/json")

    assert _errors(response) == {
        "structure_type": "organisation.structure_type.required",
        "siret": "identifier.siret.format",
        "finess_ej": "identifier.finess.checksum",
    }


def test_duplicate_siret_is_refused(personas, client_as):
    make_organisation("Clinique du Parc", OrgKind.HEALTH_ESTABLISHMENT, siret="73282932000074")

    response = client_as(personas.admin).post(BASE, VALID, content_type="application/json")

    assert response.status_code == 400
    assert _errors(response) == {"siret": "organisation.siret.duplicate"}
    assert "Clinique du Parc" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("persona", ["coordinator", "ars_analyst", "outsider"])
def test_only_admins_create(personas, client_as, persona):
    response = client_as(getattr(personas, persona)).post(
        BASE, VALID, content_type="application/json"
    )
    assert response.status_code == 403
    assert _errors(response) == {None: "permission.denied"}
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


# Update and archive


def test_coordinator_patches_only_the_fields_sent(personas, client_as):
    response = client_as(personas.coordinator).patch(
        _url(personas.structure),
        {"phone": "04 72 00 00 00", "serves_aja": True},
        content_type="application/json",
    )

    assert response.status_code == 200
    personas.structure.refresh_from_db()
    assert personas.structure.phone == "04 72 00 00 00"
    assert personas.structure.serves_aja
    assert personas.structure.name == "Association Après-Cancer Lyon"


def test_patch_with_a_bad_identifier_changes_nothing(personas, client_as):
    response = client_as(personas.admin).patch(
        _url(personas.structure),
        {"name": "Nouveau nom", "finess_et": "690781811"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert _errors(response) == {"finess_et": "identifier.finess.checksum"}
    personas.structure.refresh_from_db()
    assert personas.structure.name == "Association Après-Cancer Lyon"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ars_analyst", 403), ("psychologist", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_others_cannot_patch(personas, client_as, persona, status):
    response = client_as(getattr(personas, persona)).patch(
        _url(personas.structure), {"name": "Piraté"}, content_type="application/json"
    )
    assert response.status_code == status
    personas.structure.refresh_from_db()
    assert personas.structure.name == "Association Après-Cancer Lyon"


def test_admin_archives_and_a_second_archive_is_a_400(personas, client_as):
    client = client_as(personas.admin)

    response = client.post(_url(personas.other_structure, "/archive"))
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None

    response = client.post(_url(personas.other_structure, "/archive"))
    assert response.status_code == 400
    assert _errors(response) == {None: "organisation.already_archived"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("ars_analyst", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_only_admins_archive(personas, client_as, persona, status):
    response = client_as(getattr(personas, persona)).post(_url(personas.structure, "/archive"))
    assert response.status_code == status
    personas.structure.refresh_from_db()
    assert personas.structure.archived_at is None


# Members


@pytest.mark.parametrize("extra", [0, 30])
def test_members_endpoint_query_count_does_not_grow_with_rows(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        user = User.objects.create_user(
            f"membre{i}@lyon.test", None, first_name="M", last_name=f"{i}"
        )
        Membership.objects.create(user=user, organisation=personas.structure, role="dietitian")
    client = client_as(personas.coordinator)

    # organisation, count, one page of memberships with their users
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 3):
        response = client.get(_url(personas.structure, "/members"))
    assert response.json()["count"] == 2 + extra


def test_coordinator_lists_members(personas, client_as):
    body = client_as(personas.coordinator).get(_url(personas.structure, "/members")).json()
    emails = {m["email"] for m in body["items"]}
    assert emails == {"coordination@lyon.test", "psy@lyon.test"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ars_analyst", 403), ("psychologist", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_others_cannot_list_or_add_members(personas, client_as, persona, status):
    client = client_as(getattr(personas, persona))
    url = _url(personas.structure, "/members")
    payload = {"email": "intrus@test.invalid", "first_name": "I", "last_name": "N", "role": "idec"}

    assert client.get(url).status_code == status
    assert client.post(url, payload, content_type="application/json").status_code == status
    assert not User.objects.filter(email="intrus@test.invalid").exists()


def test_coordinator_adds_a_member(
    personas, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    payload = {
        "email": "ide@lyon.test",
        "first_name": "Lina",
        "last_name": "Roux",
        "role": RoleCode.IDEC.value,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(personas.coordinator).post(
            _url(personas.structure, "/members"), payload, content_type="application/json"
        )

    assert response.status_code == 201
    assert response.json()["role_label"] == "Infirmier de coordination (IDEC)"
    assert len(mailoutbox) == 1


def test_coordinator_cannot_grant_the_admin_role_through_the_api(personas, client_as):
    payload = {"email": "x@lyon.test", "first_name": "X", "last_name": "Y", "role": "admin"}

    response = client_as(personas.coordinator).post(
        _url(personas.structure, "/members"), payload, content_type="application/json"
    )

    assert response.status_code == 400
    assert _errors(response) == {"role": "member.role.not_grantable"}
    assert not User.objects.filter(email="x@lyon.test").exists()


def test_role_not_allowed_for_the_kind_is_a_400(personas, client_as):
    payload = {
        "email": "x@lyon.test",
        "first_name": "X",
        "last_name": "Y",
        "role": "hospital_nurse",
    }

    response = client_as(personas.admin).post(
        _url(personas.structure, "/members"), payload, content_type="application/json"
    )

    assert _errors(response) == {"role": "membership.role_not_allowed_in_organisation"}
    assert not User.objects.filter(email="x@lyon.test").exists()


def test_coordinator_ends_a_member_role(personas, client_as):
    url = _url(personas.structure, f"/members/{personas.psychologist.public_id}/end")

    response = client_as(personas.coordinator).post(url)

    assert response.status_code == 200
    assert response.json()["ended_at"] is not None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ars_analyst", 403), ("other_coordinator", 404), ("outsider", 404)],
)
def test_others_cannot_end_member_roles(personas, client_as, persona, status):
    url = _url(personas.structure, f"/members/{personas.psychologist.public_id}/end")
    assert client_as(getattr(personas, persona)).post(url).status_code == status
    personas.psychologist.refresh_from_db()
    assert personas.psychologist.ended_at is None
