import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import (
    Personas,
    login,
    make_geography,
    make_member,
    make_organisation,
)


@pytest.fixture(autouse=True)
def _french_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the test thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def geography(db):
    return make_geography()


@pytest.fixture
def personas(db, geography) -> Personas:
    structure = make_organisation(
        "Association Après-Cancer Lyon", OrgKind.STRUCTURE_PORTEUSE, commune=geography["69123"]
    )
    other = make_organisation(
        "MSP des Volcans", OrgKind.STRUCTURE_PORTEUSE, commune=geography["63113"]
    )
    ars = make_organisation("ARS Auvergne-Rhône-Alpes", OrgKind.ARS)
    dsrc = make_organisation("ONCO AURA", OrgKind.DSRC)
    pharmacy = make_organisation("Pharmacie du Lac", OrgKind.PHARMACY, commune=geography["74010"])
    return Personas(
        structure=structure,
        other_structure=other,
        coordinator=make_member(structure, RoleCode.COORDINATOR, "coordination@lyon.test"),
        psychologist=make_member(structure, RoleCode.PSYCHOLOGIST, "psy@lyon.test"),
        other_coordinator=make_member(other, RoleCode.COORDINATOR, "coordination@volcans.test"),
        ars_analyst=make_member(ars, RoleCode.ARS_ANALYST, "analyste@ars.test"),
        admin=make_member(dsrc, RoleCode.ADMIN, "admin@oncoaura.test"),
        outsider=make_member(pharmacy, RoleCode.COMMUNITY_PHARMACIST, "officine@lac.test"),
    )


@pytest.fixture
def client_as():
    def _client_as(membership) -> Client:
        return login(Client(), membership)

    return _client_as
