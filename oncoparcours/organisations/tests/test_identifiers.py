"""oncoparcours.core.identifiers: pure functions, no database."""

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.core.identifiers import (
    clean_finess,
    clean_postal_code,
    clean_rpps,
    clean_siren,
    clean_siret,
)


def _code_of(clean, value: str) -> str:
    with pytest.raises(ValidationError) as info:
        clean(value)
    return str(info.value.code)


def _message_of(clean, value: str) -> str:
    with pytest.raises(ValidationError) as info:
        clean(value)
    return info.value.messages[0]


@pytest.mark.parametrize("value", ["690781810", "690000880"])
def test_real_finess_numbers_are_valid(value):
    assert clean_finess(value) == value


@pytest.mark.parametrize("typed", ["69 078 181 0", "690.781.810", "690-781-810", " 690781810 "])
def test_finess_separators_and_spaces_are_removed(typed):
    assert clean_finess(typed) == "690781810"


def test_finess_with_a_wrong_key_is_refused_in_french():
    assert _code_of(clean_finess, "690781811") == "identifier.finess.checksum"
    assert _message_of(clean_finess, "690781811") == (
        "Le numéro FINESS 690781811 est invalide : la clé de contrôle ne correspond pas."
    )


@pytest.mark.parametrize("value", ["69078181", "6907818100", "69078181A", ""])
def test_finess_of_the_wrong_shape_is_refused(value):
    assert _code_of(clean_finess, value) == "identifier.finess.format"


def test_corsican_finess_is_checked_for_format_only():
    assert clean_finess("2a0000001") == "2A0000001"


def test_siret_from_the_stdnum_examples_is_valid():
    assert clean_siret("73282932000074") == "73282932000074"


def test_siret_separators_and_spaces_are_removed():
    assert clean_siret("732 829 320 00074") == "73282932000074"
    assert clean_siret("732.829.320-00074") == "73282932000074"


def test_siret_of_13_digits_is_refused_in_french():
    assert _code_of(clean_siret, "7328293200007") == "identifier.siret.format"
    assert _message_of(clean_siret, "7328293200007") == (
        "Le numéro SIRET doit comporter 14 chiffres (SIREN + NIC)."
    )


def test_siret_with_a_wrong_luhn_key_is_refused():
    assert _code_of(clean_siret, "73282932000079") == "identifier.siret.checksum"


@pytest.mark.parametrize("value", ["404833048", "552 008 443", "732829320"])
def test_siren_from_the_stdnum_examples_is_valid(value):
    assert clean_siren(value) == value.replace(" ", "")


def test_siren_with_a_wrong_key_or_length_is_refused():
    assert _code_of(clean_siren, "404833047") == "identifier.siren.checksum"
    assert _code_of(clean_siren, "40483304") == "identifier.siren.format"


def test_rpps_with_a_valid_luhn_key_is_accepted():
    assert clean_rpps("10003456786") == "10003456786"
    assert clean_rpps("100 0345 6786") == "10003456786"


def test_rpps_with_an_invalid_luhn_key_is_refused():
    assert _code_of(clean_rpps, "10003456787") == "identifier.rpps.checksum"


def test_rpps_of_the_wrong_length_is_refused():
    assert _code_of(clean_rpps, "1000345678") == "identifier.rpps.format"


def test_postal_code_of_lyon_is_accepted_with_spaces():
    assert clean_postal_code("69003") == "69003"
    assert clean_postal_code(" 69 003 ") == "69003"


@pytest.mark.parametrize("value", ["6900", "00123", "99000", "690033", "ABCDE", ""])
def test_impossible_postal_codes_are_refused(value):
    assert _code_of(clean_postal_code, value) == "identifier.postal_code.format"
    assert _message_of(clean_postal_code, value) == (
        "Le code postal doit comporter 5 chiffres (ex. 69003)."
    )
