import pytest
from django.utils.html import escape

from oncoparcours.accounts.roles import ROLES, OrgKind, RoleCode
from oncoparcours.core.templatetags.humanize_fr import percent, thousands
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.patients.models import Patient
from oncoparcours.territories.models import InterventionTerritory

pytestmark = pytest.mark.django_db

KIND_FOR_ROLE = {role.code: sorted(role.org_kinds)[0] for role in ROLES.values()}


def _patient(structure, commune, name):
    return Patient.objects.create(
        birth_name=name,
        first_given_name="Test",
        birth_date="1960-01-01",
        sex="F",
        commune=commune,
        structure=structure,
    )


@pytest.mark.parametrize("role", list(RoleCode))
def test_every_role_lands_on_its_own_home_page(role, client_as, geography):
    org = make_organisation(f"Org {role}", OrgKind(KIND_FOR_ROLE[role]))
    member = make_member(org, role)
    response = client_as(member).get("/")
    assert response.status_code == 200
    assert response.templates[0].name == ROLES[role].home_template
    assert escape(str(ROLES[role].label)) in response.content.decode()


def test_coordinator_home_counts_only_its_structure(client_as, personas, geography):
    _patient(personas.structure, geography["69123"], "ALPHA")
    _patient(personas.structure, geography["69266"], "BETA")
    _patient(personas.other_structure, geography["63113"], "GAMMA")
    territory = InterventionTerritory.objects.create(
        name="Lyon centre", structure=personas.structure
    )
    territory.communes.set([geography["69123"], geography["69266"]])
    page = client_as(personas.coordinator).get("/").content.decode()
    assert 'data-testid="patient-count">2<' in page
    assert "670\u202f000" in page  # 520,000 + 150,000 inhabitants covered
    assert "GAMMA" not in page


def test_ars_home_shows_uncovered_communes_and_no_patient(client_as, personas, geography):
    territory = InterventionTerritory.objects.create(name="Lyon", structure=personas.structure)
    territory.communes.set([geography["69123"]])
    _patient(personas.structure, geography["69123"], "NOMINATIF")
    response = client_as(personas.ars_analyst).get("/")
    page = response.content.decode()
    assert 'data-testid="uncovered-communes">5<' in page
    assert "NOMINATIF" not in page
    assert "Rhône (69)" in page


def test_home_query_count_does_not_grow_with_territories(
    client_as, personas, geography, django_assert_num_queries
):
    client = client_as(personas.coordinator)
    client.get("/")
    # 4 around the view (session, user, OTP device, membership); territories with totals;
    # patient count; members; nav needs none.
    with django_assert_num_queries(7):
        client.get("/")
    for i in range(5):
        t = InterventionTerritory.objects.create(name=f"T{i}", structure=personas.structure)
        t.communes.set([geography["69123"]])
    with django_assert_num_queries(7):
        client.get("/")


def test_french_number_formats():
    assert thousands(8205557) == "8\u202f205\u202f557"
    assert percent(0.4251) == "42,5\u202f%"
    assert percent(None) == ""
