"""Test helpers shared by every app's tests: geography, organisations, personas.

Lives in the package (not in a conftest) so that factories are importable by any test module.
"""

from dataclasses import dataclass

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.accounts.services import membership_create
from oncoparcours.organisations.models import Organisation, StructureType
from oncoparcours.territories.models import Commune, CommunePostalCode, Department, Epci

# Real public INSEE codes and postal codes; populations rounded (synthetic enough for tests).
COMMUNES = [
    # insee, name, search name, department, epci, population, lat, lon, postal codes
    (
        "69123",
        "Lyon",
        "lyon",
        "69",
        "200046977",
        520000,
        45.7676,
        4.8345,
        ["69001", "69002", "69003", "69004", "69005", "69006", "69007", "69008", "69009"],
    ),
    (
        "69266",
        "Villeurbanne",
        "villeurbanne",
        "69",
        "200046977",
        150000,
        45.7667,
        4.8803,
        ["69100"],
    ),
    (
        "42218",
        "Saint-Étienne",
        "saint etienne",
        "42",
        "244200770",
        173000,
        45.4397,
        4.3872,
        ["42000", "42100"],
    ),
    (
        "63113",
        "Clermont-Ferrand",
        "clermont ferrand",
        "63",
        "246300701",
        147000,
        45.7772,
        3.0870,
        ["63000", "63100"],
    ),
    (
        "74010",
        "Annecy",
        "annecy",
        "74",
        "200066793",
        130000,
        45.8992,
        6.1294,
        ["74000", "74370", "74600", "74940", "74960"],
    ),
    ("15014", "Aurillac", "aurillac", "15", "241500230", 25000, 44.9264, 2.4397, ["15000"]),
]
DEPARTMENTS = {
    "69": "Rhône",
    "42": "Loire",
    "63": "Puy-de-Dôme",
    "74": "Haute-Savoie",
    "15": "Cantal",
}
EPCIS = {
    "200046977": ("Métropole de Lyon", "METLYON"),
    "244200770": ("Saint-Étienne Métropole", "METRO"),
    "246300701": ("Clermont Auvergne Métropole", "METRO"),
    "200066793": ("CA du Grand Annecy", "CA"),
    "241500230": ("CA du Bassin d'Aurillac", "CA"),
}


def make_geography() -> dict[str, Commune]:
    for code, name in DEPARTMENTS.items():
        Department.objects.get_or_create(code=code, defaults={"name": name})
    for siren, (name, kind) in EPCIS.items():
        Epci.objects.get_or_create(siren=siren, defaults={"name": name, "kind": kind})
    communes = {}
    for insee, name, search, dep, epci, pop, lat, lon, postal_codes in COMMUNES:
        commune, _ = Commune.objects.get_or_create(
            insee_code=insee,
            defaults={
                "name": name,
                "search_name": search,
                "department_id": dep,
                "epci_id": epci,
                "population": pop,
                "latitude": lat,
                "longitude": lon,
            },
        )
        for pc in postal_codes:
            CommunePostalCode.objects.get_or_create(commune=commune, postal_code=pc)
        communes[insee] = commune
    return communes


def make_organisation(name: str, kind: OrgKind, **extra: object) -> Organisation:
    if kind == OrgKind.STRUCTURE_PORTEUSE:
        extra.setdefault("structure_type", StructureType.ASSOCIATION)
    return Organisation.objects.create(name=name, kind=kind.value, **extra)


_user_counter = 0


def make_member(
    organisation: Organisation, role: RoleCode, email: str | None = None, **user_fields: object
) -> Membership:
    global _user_counter
    _user_counter += 1
    user = User.objects.create_user(
        email or f"user{_user_counter}@test.invalid",
        "motdepasse-de-test-123",
        first_name=str(user_fields.pop("first_name", "Prénom")),
        last_name=str(user_fields.pop("last_name", f"Test{_user_counter}")),
        **user_fields,
    )
    return membership_create(user=user, organisation=organisation, role=role)


def login(client: Client, membership: Membership) -> Client:
    """Logs in with the second factor passed and this membership active."""
    user = membership.user
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["active_membership"] = str(membership.public_id)
    session.save()
    return client


@dataclass
class Personas:
    """Healthchecks-style cast: the treating team, a colleague elsewhere, the ARS, an outsider."""

    structure: Organisation
    other_structure: Organisation
    coordinator: Membership
    psychologist: Membership
    other_coordinator: Membership
    ars_analyst: Membership
    admin: Membership
    outsider: Membership
