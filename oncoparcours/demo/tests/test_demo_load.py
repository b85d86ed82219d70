import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from stdnum import luhn

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import ROLES, OrgKind, RoleCode
from oncoparcours.core.identifiers import clean_finess, clean_siret
from oncoparcours.demo.generator import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoLoadError,
    demo_data_exists,
    demo_data_load,
    demo_data_reset,
)
from oncoparcours.demo.names import normalise
from oncoparcours.organisations.models import Organisation
from oncoparcours.patients.models import Consent, IdentityStatus, Patient, TreatmentType
from oncoparcours.patients.rules import clean_cancer_site
from oncoparcours.territories.models import Commune, Department, Epci, InterventionTerritory

# A sanity list of frequent real French surnames, kept apart from the generator's own filter.
REAL_SURNAMES = {
    "martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy",
    "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "david", "bertrand", "roux",
    "vincent", "fournier", "morel", "girard", "andre", "mercier", "dupont", "lambert", "bonnet",
    "francois", "martinez", "legrand", "garnier", "faure", "rousseau", "blanc", "guerin",
    "muller", "henry", "perrin", "morin", "mathieu", "clement", "gauthier", "dumont", "lopez",
    "fontaine", "chevalier", "robin", "masson", "nguyen", "boyer", "denis", "lemaire", "duval",
}  # fmt: skip


def _load(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo_load", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _department(organisation: Organisation) -> str:
    assert organisation.commune is not None
    return organisation.commune.department_id


def _table_counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        InterventionTerritory.objects.count(),
        InterventionTerritory.communes.through.objects.count(),
        Patient.objects.count(),
    )


@pytest.fixture
def demo_mode(settings):
    settings.ONCOPARCOURS_DEMO = True


@pytest.fixture
def loaded(demo_mode, geography):
    return _load(patients=60)


def test_without_communes_the_load_stops_and_asks_for_the_geography(db, demo_mode):
    with pytest.raises(CommandError, match="load_geography"):
        _load(patients=60)
    assert Organisation.objects.count() == 0


def test_outside_demo_mode_the_load_is_refused_and_creates_nothing(db, geography, settings):
    settings.ONCOPARCOURS_DEMO = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="ONCOPARCOURS_DEMO"):
        _load(patients=60)
    assert User.objects.count() == 0


def test_departments_without_communes_are_skipped_with_a_warning(loaded):
    _out, err = loaded
    for dep in ("01", "03", "07", "26", "38", "43", "73"):
        assert f"Département {dep} : aucune commune chargée" in err
    assert "Département 69" not in err


def test_the_output_reports_counts_and_duration(loaded):
    out, _err = loaded
    assert "patients : 60" in out
    assert "Données de démonstration chargées en" in out


def test_one_adult_structure_per_loaded_department_and_the_aja_and_paediatric_schemes(loaded):
    structures = Organisation.objects.filter(kind=OrgKind.STRUCTURE_PORTEUSE)
    adults = structures.filter(serves_adults=True)
    assert sorted(adults.values_list("commune__department_id", flat=True)) == [
        "15", "42", "63", "69", "74",
    ]  # fmt: skip
    assert len(set(adults.values_list("structure_type", flat=True))) >= 3
    aja = structures.filter(serves_aja=True, serves_adults=False)
    assert aja.count() == 4
    assert structures.filter(serves_children=True, serves_adults=False).count() == 1
    assert Organisation.objects.filter(kind=OrgKind.HEALTH_ESTABLISHMENT).count() == 3
    for kind in (OrgKind.ARS, OrgKind.DSRC, OrgKind.DAPAP, OrgKind.PATIENT_ASSOCIATION):
        assert Organisation.objects.filter(kind=kind).exists()
    assert Organisation.objects.get(kind=OrgKind.ARS).commune_id == "69123"


def test_identifiers_of_demo_organisations_pass_the_checks(loaded):
    for org in Organisation.objects.all():
        if org.siret:
            assert clean_siret(org.siret) == org.siret
        for finess in (org.finess_ej, org.finess_et):
            if finess:
                assert clean_finess(finess) == finess
    for org in Organisation.objects.filter(kind=OrgKind.HEALTH_ESTABLISHMENT):
        assert org.finess_ej
        assert org.finess_et
    assert Organisation.objects.filter(kind=OrgKind.STRUCTURE_PORTEUSE, siret="").count() == 0


def test_every_adult_structure_has_territories_in_its_own_department(loaded):
    for structure in Organisation.objects.filter(
        kind=OrgKind.STRUCTURE_PORTEUSE, serves_adults=True
    ):
        territories = list(structure.territories.all())
        assert 1 <= len(territories) <= 3
        departments = {c.department_id for t in territories for c in t.communes.all()}
        assert departments == {_department(structure)}


def test_aja_and_paediatric_schemes_cover_their_departments(loaded):
    paediatric = Organisation.objects.get(serves_children=True)
    assert paediatric.territories.get().communes.count() == Commune.objects.count()
    grenoble = Organisation.objects.get(name__contains="Alpes-Dauphiné")
    # Grenoble is not in the test geography: the scheme sits in its only loaded department.
    assert grenoble.commune_id == "74010"
    assert set(grenoble.territories.get().communes.values_list("insee_code", flat=True)) == {
        "74010"
    }


def test_every_patient_is_followed_by_a_structure_serving_their_commune(loaded):
    patients = Patient.objects.select_related("commune", "structure__commune")
    assert patients.count() == 60
    covered = {
        (structure_id, insee)
        for structure_id, insee in InterventionTerritory.objects.values_list(
            "structure_id", "communes"
        )
    }
    for patient in patients:
        structure = patient.structure
        assert structure is not None
        assert structure.kind == OrgKind.STRUCTURE_PORTEUSE
        assert (structure.pk, patient.commune_id) in covered or (
            _department(structure) == patient.commune.department_id
        )
        age = (timezone.localdate() - patient.birth_date).days // 365
        if structure.serves_children:
            assert age < 15
        elif structure.serves_aja:
            assert 15 <= age <= 25
        else:
            assert 18 <= age <= 90
            assert _department(structure) == patient.commune.department_id


def test_patients_carry_the_clinical_data_eligibility_reads(loaded):
    today = timezone.localdate()
    patients = list(Patient.objects.all())
    assert sum(p.ald_cancer for p in patients) > len(patients) * 0.8
    for patient in patients:
        diagnosis, end = patient.diagnosis_date, patient.active_treatment_end_date
        assert diagnosis is not None
        assert end is not None
        assert clean_cancer_site(patient.cancer_site) == patient.cancer_site
        assert patient.birth_date < diagnosis <= end <= today + timedelta(days=60)
        assert patient.treatment_types
        assert set(patient.treatment_types) <= set(TreatmentType.values)
        assert patient.identity_status == IdentityStatus.PROVISIONAL
        assert patient.ins_matricule == ""
        if patient.ald_cancer:
            assert patient.ald_start_date is not None
            assert diagnosis <= patient.ald_start_date <= today


def test_patients_live_mostly_where_people_live(demo_mode, geography):
    _load(patients=400)
    by_commune = Counter(Patient.objects.values_list("commune_id", flat=True))
    # Lyon has 20 times Aurillac's population in the test geography.
    assert by_commune["69123"] > 5 * by_commune["15014"]
    sexes = Counter(Patient.objects.values_list("sex", flat=True))
    assert 0.4 < sexes["F"] / 400 < 0.7


def test_names_are_invented_and_never_common_real_surnames(loaded):
    names = [n for pair in Patient.objects.values_list("birth_name", "used_name") for n in pair]
    names += list(User.objects.values_list("last_name", flat=True))
    assert names
    assert not {normalise(n) for n in names if n} & REAL_SURNAMES
    assert Patient.objects.exclude(used_name="").exists()


def test_rpps_numbers_are_synthetic_start_with_99_and_pass_luhn(loaded):
    numbers = list(User.objects.exclude(rpps="").values_list("rpps", flat=True))
    assert len(numbers) >= 30
    for number in numbers:
        assert len(number) == 11
        assert number.startswith("99")
        assert luhn.is_valid(number)


def test_professionals_are_numerous_and_cannot_log_in(loaded):
    demo_emails = {account.email for account in DEMO_ACCOUNTS}
    professionals = User.objects.exclude(email__in=demo_emails)
    assert professionals.count() >= 60
    assert not any(user.has_usable_password() for user in professionals)
    assert professionals.filter(rpps="", profession="physician").count() == 0
    assert set(professionals.values_list("profession", flat=True)) >= {
        "physiotherapist", "apa_teacher", "sport_educator", "occupational_therapist",
        "dietitian", "psychologist", "physician", "pharmacist", "nurse",
    }  # fmt: skip
    assert set(
        professionals.filter(profession="physician").values_list("specialty", flat=True)
    ) == {"oncology", "general_practice", "paediatrics"}


def test_every_role_has_a_demo_account():
    roles = {role for account in DEMO_ACCOUNTS for role, _org in account.memberships}
    assert roles == set(ROLES)


def test_every_demo_account_logs_in_with_its_password_and_acts_in_its_role(loaded):
    for account in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            "/comptes/connexion/", {"username": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        response = client.get("/")
        user = response.wsgi_request.user
        assert isinstance(user, User)
        assert user.email == account.email
        expected = {(role.value, org) for role, org in account.memberships}
        held = set(
            Membership.objects.filter(user__email=account.email).values_list(
                "role", "organisation__email"
            )
        )
        assert {(role, email.split("@")[0]) for role, email in held} == expected
        active = response.wsgi_request.membership  # type: ignore[attr-defined]
        assert active.role in {role for role, _o in expected}


def test_only_the_admin_demo_account_is_staff(loaded):
    demo = User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])
    assert demo.count() == len(DEMO_ACCOUNTS)
    assert list(demo.filter(is_staff=True).values_list("email", flat=True)) == [
        "admin@demo.oncoparcours.invalid"
    ]
    assert demo.get(is_superuser=True).email == "admin@demo.oncoparcours.invalid"


def test_the_multi_account_holds_two_roles_in_two_structures(loaded):
    memberships = Membership.objects.filter(user__email="multi@demo.oncoparcours.invalid")
    assert {m.role for m in memberships} == {RoleCode.COORDINATOR, RoleCode.PSYCHOLOGIST}
    assert len({m.organisation_id for m in memberships}) == 2


def test_a_second_run_says_already_loaded_and_changes_nothing(loaded):
    before = _table_counts()
    out, _err = _load(patients=60)
    assert "déjà chargé" in out
    assert _table_counts() == before


def test_reset_reloads_the_same_data_from_the_same_seed(loaded):
    before = _table_counts()
    first = list(
        Patient.objects.order_by("public_id").values_list(
            "public_id", "birth_name", "birth_date", "commune_id"
        )
    )
    out, _err = _load(patients=60, reset=True)
    assert "supprimées" in out
    assert _table_counts() == before
    again = list(
        Patient.objects.order_by("public_id").values_list(
            "public_id", "birth_name", "birth_date", "commune_id"
        )
    )
    assert again == first


def test_another_seed_gives_other_patients(loaded):
    first = set(Patient.objects.values_list("birth_name", "first_given_name"))
    _load(patients=60, reset=True, seed=7)
    assert set(Patient.objects.values_list("birth_name", "first_given_name")) != first


def test_reset_deletes_the_demo_and_leaves_other_data_alone(demo_mode, personas):
    before = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    _load(patients=20)
    demo_data_reset()
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == before
    assert Patient.objects.count() == 0
    assert not demo_data_exists()


def test_reset_also_removes_consents_recorded_during_the_demo(demo_mode, geography):
    _load(patients=20)
    patient = Patient.objects.select_related("structure").first()
    assert patient is not None
    member = Membership.objects.filter(organisation=patient.structure).first()
    assert member is not None
    Consent.objects.create(
        patient=patient, scope="share_reports_gp", given_at=patient.birth_date, recorded_by=member
    )
    demo_data_reset()
    assert not Consent.objects.exists()
    assert Patient.objects.count() == 0


def test_a_larger_geography_leaves_some_rural_communes_uncovered(demo_mode, geography):
    Department.objects.get_or_create(code="01", defaults={"name": "Ain"})
    communes = []
    for epci_index in range(10):
        epci = Epci.objects.create(
            siren=f"2001000{epci_index:02d}", name=f"CC test {epci_index}", kind="CC"
        )
        for index in range(10):
            number = epci_index * 10 + index + 1
            communes.append(
                Commune(
                    insee_code=f"01{number:03d}",
                    name=f"Commune test {number}",
                    search_name=f"commune test {number}",
                    department_id="01",
                    epci=epci,
                    # A big first EPCI, small rural ones after it.
                    population=20000 if epci_index == 0 else 300 + number,
                    latitude=46.0 + epci_index / 10,
                    longitude=5.0 + index / 10,
                )
            )
    Commune.objects.bulk_create(communes)
    result = demo_data_load(patients=50, seed=3)
    structure = Organisation.objects.get(name="Association Après-Cancer Ain (démo)")
    covered = set(
        InterventionTerritory.objects.filter(structure=structure).values_list("communes", flat=True)
    )
    assert 80 <= len(covered) <= 90
    # The structure sits in the most populated commune, which stays covered.
    assert structure.commune_id in covered
    assert result.counts["uncovered_communes"] == 100 - len(covered)


def test_a_reset_whose_reload_fails_keeps_the_previous_demo(loaded, monkeypatch):
    before = _table_counts()

    def failing_load(**_options):
        raise DemoLoadError("échec simulé")

    monkeypatch.setattr(
        "oncoparcours.demo.management.commands.demo_load.demo_data_load", failing_load
    )
    with pytest.raises(CommandError, match="échec simulé"):
        _load(patients=60, reset=True)
    assert _table_counts() == before


def test_a_negative_number_of_patients_is_refused(demo_mode, geography):
    with pytest.raises(CommandError, match="négatif"):
        _load(patients=-1)
    assert Organisation.objects.count() == 0
