"""The demo's funding: the AURA FIR envelope ([document de mission]) split across the demo
structures, a signed convention each, a few payments; the same seed gives the same figures."""

import pytest

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.demo.funding import AURA_FIR_EUR
from oncoparcours.demo.generator import demo_data_load, demo_data_reset
from oncoparcours.funding.models import (
    Convention,
    FundingAllocation,
    FundingEnvelope,
    StructurePayment,
)
from oncoparcours.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _figures():
    return sorted(FundingAllocation.objects.values_list("structure__name", "amount")), sorted(
        StructurePayment.objects.values_list("reference", "amount")
    )


def test_the_demo_funds_its_structures(settings, geography):
    settings.ONCOPARCOURS_DEMO = True
    demo_data_load(patients=60)
    envelope = FundingEnvelope.objects.get()
    assert envelope.amount == AURA_FIR_EUR
    assert envelope.source_note.startswith("[document de mission]")
    assert sum(a.amount for a in envelope.allocations.all()) == envelope.amount
    structures = Organisation.objects.filter(
        kind=OrgKind.STRUCTURE_PORTEUSE, territories__isnull=False
    ).distinct()
    for structure in structures:
        convention = Convention.objects.get(structure=structure)
        assert convention.status == "signed"
        assert convention.territories.exists()
    assert StructurePayment.objects.filter(kind="coordination").exists()
    first = _figures()

    demo_data_reset()
    assert not Convention.objects.exists()
    assert not FundingEnvelope.objects.exists()
    demo_data_load(patients=60)
    assert _figures() == first
