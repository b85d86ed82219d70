import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.errors import error_items_from_validation
from oncoparcours.core.testing import make_member
from oncoparcours.professionals import services
from oncoparcours.professionals.models import Contract, EventKind, ProfessionalEvent

pytestmark = pytest.mark.django_db


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {item["code"] for item in error_items_from_validation(exc.value)}


def _create(personas, professional, **overrides):
    values = {
        "by": personas.coordinator,
        "structure": personas.structure,
        "professional": professional,
        "kind": "salaried",
        "start_date": datetime.date(2026, 1, 1),
        "assessment_rate": Decimal("40.00"),
        "followup_rate": Decimal("20.00"),
        **overrides,
    }
    return services.contract_create(**values)


def test_a_contract_at_the_maximum_rates_is_created_with_an_event(personas, psychologist):
    contract = _create(
        personas, psychologist, assessment_rate=Decimal("45.00"), followup_rate=Decimal("22.50")
    )
    assert (contract.assessment_rate, contract.followup_rate) == (
        Decimal("45.00"),
        Decimal("22.50"),
    )
    event = ProfessionalEvent.objects.get(professional=psychologist)
    assert event.kind == EventKind.CONTRACT_CREATED
    assert event.data["contract"] == str(contract.public_id)


def test_an_assessment_rate_above_the_maximum_is_refused_with_psg_07(personas, psychologist):
    with pytest.raises(ValidationError) as exc:
        _create(personas, psychologist, assessment_rate=Decimal("45.01"))
    assert _codes(exc) == {"PSG-07"}
    assert "45,00 €" in exc.value.message_dict["assessment_rate"][0]
    assert not Contract.objects.exists()
    assert not ProfessionalEvent.objects.exists()


def test_a_followup_rate_above_the_maximum_is_refused_with_psg_08(personas, psychologist):
    with pytest.raises(ValidationError) as exc:
        _create(personas, psychologist, followup_rate=Decimal("22.51"))
    assert _codes(exc) == {"PSG-08"}
    assert "22,50 €" in exc.value.message_dict["followup_rate"][0]
    assert not Contract.objects.exists()


def test_a_start_date_before_the_pathway_existed_has_no_maximum_and_is_refused(
    personas, psychologist
):
    with pytest.raises(ValidationError) as exc:
        _create(personas, psychologist, start_date=datetime.date(2019, 1, 1))
    assert _codes(exc) == {"contract.parameters_missing"}


def test_a_second_contract_overlapping_the_first_is_refused(personas, contract, psychologist):
    with pytest.raises(ValidationError) as exc:
        _create(personas, psychologist, start_date=datetime.date(2027, 3, 1))
    assert _codes(exc) == {"contract.overlap"}
    assert Contract.objects.count() == 1


def test_a_contract_after_the_first_one_ended_is_accepted(personas, contract, psychologist):
    services.contract_end(
        by=personas.coordinator, contract=contract, end_date=datetime.date(2026, 3, 31)
    )
    again = _create(personas, psychologist, start_date=datetime.date(2026, 4, 1))
    assert again.start_date == datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as exc:
        _create(
            personas,
            psychologist,
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2026, 1, 1),
        )
    assert _codes(exc) == {"contract.overlap"}


def test_someone_without_a_professional_role_in_the_structure_gets_no_contract(personas):
    with pytest.raises(ValidationError) as exc:
        _create(personas, personas.outsider.user)
    assert _codes(exc) == {"contract.professional_not_member", "PSG-12"}


def test_an_apa_professional_needs_a_qualification_category(personas):
    apa = make_member(
        personas.structure, RoleCode.APA_PROFESSIONAL, "apa@lyon.test", profession="apa_teacher"
    )
    with pytest.raises(ValidationError) as exc:
        _create(personas, apa.user)
    assert _codes(exc) == {"PSG-13"}
    services.profile_update(by=apa, professional=apa.user, qualification_code="2")
    assert _create(personas, apa.user).professional == apa.user


def test_negative_rates_and_reversed_dates_are_all_reported_at_once(personas, psychologist):
    with pytest.raises(ValidationError) as exc:
        _create(
            personas,
            psychologist,
            assessment_rate=Decimal("-1"),
            followup_rate="douze",
            end_date=datetime.date(2025, 12, 31),
        )
    assert _codes(exc) == {
        "contract.rate_negative",
        "contract.rate_invalid",
        "contract.dates_invalid",
    }
    assert not Contract.objects.exists()


def test_ending_a_contract_keeps_it_with_its_end_date_and_an_event(personas, contract):
    services.contract_end(
        by=personas.coordinator, contract=contract, end_date=datetime.date(2026, 6, 30)
    )
    contract.refresh_from_db()
    assert contract.end_date == datetime.date(2026, 6, 30)
    assert ProfessionalEvent.objects.filter(kind=EventKind.CONTRACT_ENDED).count() == 1


def test_a_contract_cannot_end_before_it_starts_nor_be_extended(personas, contract):
    with pytest.raises(ValidationError) as exc:
        services.contract_end(
            by=personas.coordinator, contract=contract, end_date=datetime.date(2025, 6, 30)
        )
    assert _codes(exc) == {"contract.dates_invalid"}
    services.contract_end(
        by=personas.coordinator, contract=contract, end_date=datetime.date(2026, 6, 30)
    )
    with pytest.raises(ValidationError) as exc:
        services.contract_end(
            by=personas.coordinator, contract=contract, end_date=datetime.date(2026, 7, 31)
        )
    assert _codes(exc) == {"contract.already_ended"}
    contract.refresh_from_db()
    assert contract.end_date == datetime.date(2026, 6, 30)
