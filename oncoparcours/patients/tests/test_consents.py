from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from oncoparcours.patients.models import Consent, ConsentScope
from oncoparcours.patients.selectors import active_consents, consent_list
from oncoparcours.patients.services import consent_record, consent_withdraw
from oncoparcours.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime(2026, 11, 23, 12, tzinfo=ZoneInfo("Europe/Paris")), tick=False)


GP = ConsentScope.SHARE_REPORTS_GP
PRESCRIBER = ConsentScope.SHARE_REPORTS_PRESCRIBER


@pytest.fixture
def adult(personas, geography):
    return make_patient(personas.structure, geography["69123"], birth_date=date(1960, 5, 17))


@pytest.fixture
def teenager(personas, geography):
    # 18 on 15 June 2026.
    return make_patient(personas.structure, geography["69123"], birth_date=date(2008, 6, 15))


def _codes(exc: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_an_adult_patient_consents_for_themselves(personas, adult):
    consent = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5)
    )
    assert consent.given_by == "patient"
    assert consent.recorded_by == personas.coordinator
    assert list(active_consents(adult, date(2026, 1, 5))) == [consent]
    assert list(active_consents(adult, date(2026, 1, 4))) == []


def test_a_minor_cannot_consent_alone(personas, teenager):
    with pytest.raises(ValidationError) as caught:
        consent_record(
            by=personas.coordinator, patient=teenager, scope=GP, given_at=date(2026, 6, 14)
        )
    assert _codes(caught.value) == {"given_by": ["consent.given_by.representative_required"]}
    assert "moins de 18 ans" in caught.value.error_dict["given_by"][0].message % {"age": 18}
    assert not Consent.objects.exists()


def test_a_minors_legal_representative_consents_and_is_named(personas, teenager):
    with pytest.raises(ValidationError) as caught:
        consent_record(
            by=personas.coordinator,
            patient=teenager,
            scope=GP,
            given_at=date(2026, 6, 14),
            given_by="legal_representative",
        )
    assert _codes(caught.value) == {"representative_name": ["consent.representative_name.required"]}

    consent = consent_record(
        by=personas.coordinator,
        patient=teenager,
        scope=GP,
        given_at=date(2026, 6, 14),
        given_by="legal_representative",
        representative_name="  Marc   Durand ",
    )
    assert consent.representative_name == "Marc Durand"


def test_the_same_patient_consents_alone_once_18(personas, teenager):
    consent = consent_record(
        by=personas.coordinator, patient=teenager, scope=GP, given_at=date(2026, 6, 15)
    )
    assert consent.given_by == "patient"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"scope": "marketing"}, "scope", "consent.scope.invalid"),
        ({"given_at": None}, "given_at", "consent.given_at.required"),
        ({"given_at": date(2026, 11, 24)}, "given_at", "consent.given_at.future"),
        ({"given_at": date(1950, 1, 1)}, "given_at", "consent.given_at.before_birth"),
        ({"given_by": "neighbour"}, "given_by", "consent.given_by.invalid"),
    ],
)
def test_invalid_consents_are_refused_and_nothing_is_saved(personas, adult, changes, field, code):
    values = {"scope": GP, "given_at": date(2026, 1, 5), **changes}
    with pytest.raises(ValidationError) as caught:
        consent_record(by=personas.coordinator, patient=adult, **values)
    assert _codes(caught.value) == {field: [code]}
    assert not Consent.objects.exists()


def test_a_second_active_consent_of_the_same_scope_is_refused(personas, adult):
    consent_record(by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5))
    with pytest.raises(ValidationError) as caught:
        consent_record(by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 2, 5))
    assert _codes(caught.value) == {"scope": ["consent.already_active"]}
    consent_record(
        by=personas.coordinator, patient=adult, scope=PRESCRIBER, given_at=date(2026, 2, 5)
    )


def test_withdrawal_keeps_the_history(personas, adult):
    consent = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5)
    )

    consent_withdraw(
        by=personas.coordinator,
        consent=consent,
        withdrawn_at=date(2026, 3, 1),
        note="Demande orale",
    )

    consent.refresh_from_db()
    assert consent.withdrawn_at == date(2026, 3, 1)
    assert consent.withdrawal_note == "Demande orale"
    assert consent.withdrawal_recorded_by == personas.coordinator
    assert list(consent_list(adult)) == [consent]
    assert list(active_consents(adult, date(2026, 2, 28))) == [consent]
    assert list(active_consents(adult, date(2026, 3, 1))) == []


def test_a_new_consent_may_follow_a_withdrawn_one(personas, adult):
    first = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5)
    )
    consent_withdraw(by=personas.coordinator, consent=first, withdrawn_at=date(2026, 3, 1))
    second = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 6, 1)
    )
    assert list(consent_list(adult)) == [second, first]
    assert list(active_consents(adult, date(2026, 11, 23))) == [second]


def test_withdrawal_defaults_to_today(personas, adult):
    consent = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5)
    )
    assert consent_withdraw(by=personas.coordinator, consent=consent).withdrawn_at == date(
        2026, 11, 23
    )


@pytest.mark.parametrize(
    ("withdrawn_at", "field", "code"),
    [
        (date(2026, 1, 4), "withdrawn_at", "consent.withdrawn_at.before_given"),
        (date(2026, 11, 24), "withdrawn_at", "consent.withdrawn_at.future"),
    ],
)
def test_impossible_withdrawal_dates_are_refused(personas, adult, withdrawn_at, field, code):
    consent = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as caught:
        consent_withdraw(by=personas.coordinator, consent=consent, withdrawn_at=withdrawn_at)
    assert _codes(caught.value) == {field: [code]}
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_consent_is_withdrawn_once(personas, adult):
    consent = consent_record(
        by=personas.coordinator, patient=adult, scope=GP, given_at=date(2026, 1, 5)
    )
    consent_withdraw(by=personas.coordinator, consent=consent, withdrawn_at=date(2026, 2, 1))
    with pytest.raises(ValidationError) as caught:
        consent_withdraw(by=personas.coordinator, consent=consent, withdrawn_at=date(2026, 3, 1))
    assert _codes(caught.value) == {NON_FIELD_ERRORS: ["consent.already_withdrawn"]}
    consent.refresh_from_db()
    assert consent.withdrawn_at == date(2026, 2, 1)
