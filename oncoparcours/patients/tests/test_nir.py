"""NIR / NIA validation (INS-03, INS-04), in core.identifiers, tested with keys computed by hand.

Every key below is 97 - (N mod 97), N being the first 13 characters read as a number.
"""

import pytest
from django.core.exceptions import ValidationError
from stdnum.fr import nir as stdnum_nir

from oncoparcours.core.identifiers import clean_nir, nir_key, validate_nir


def _code(value: str) -> str | None:
    with pytest.raises(ValidationError) as caught:
        clean_nir(value)
    return caught.value.code


def test_key_is_97_minus_the_number_modulo_97():
    # N = 2951099126111 = 97 * 30423702331 (= 2951099126107) + 4 -> key 97 - 4 = 93
    assert nir_key("2951099126111") == "93"
    # N = 1850775056012 = 97 * 19080155216 (= 1850775055952) + 60 -> key 97 - 60 = 37
    assert nir_key("1850775056012") == "37"


def test_key_keeps_its_leading_zero_and_may_be_97():
    # N = 1850775056048 = 97 * 19080155216 + 96 -> key 97 - 96 = 1, written "01"
    assert nir_key("1850775056048") == "01"
    # N = 1850775056049 = 97 * 19080155217 + 0 -> key 97 - 0 = 97
    assert nir_key("1850775056049") == "97"


def test_a_valid_nir_typed_with_spaces_is_returned_compact():
    assert clean_nir(" 2 95 10 99 126 111 93 ") == "295109912611193"
    assert clean_nir("1 85 07 75 056 012 37") == "185077505601237"
    assert clean_nir("185077505604801") == "185077505604801"


def test_corsica_2a_counts_as_19_and_2b_as_18():
    # 2A: N = 2530719073004 = 97 * 26089887350 (= 2530719072950) + 54 -> key 97 - 54 = 43
    assert clean_nir("2 53 07 2A 073 004 43") == "253072A07300443"
    # 2B: N = 2530718073004 = 97 * 26089877041 (= 2530718072977) + 27 -> key 97 - 27 = 70
    assert clean_nir("253072b07300470") == "253072B07300470"
    # The same digits read as 2A do not carry the 2B key.
    assert _code("253072A07300470") == "identifier.nir.checksum"


def test_nia_and_provisional_numbers_are_accepted():
    # First digit 7 (provisional number). N = 7901099412007 = 97 * 81454633113
    # (= 7901099411961) + 46 -> key 97 - 46 = 51
    assert clean_nir("7 90 10 99 412 007 51") == "790109941200751"


def test_month_20_to_42_or_50_and_more_is_accepted():
    # Month 20: N = 1782099123045 = 97 * 18372155907 (= 1782099122979) + 66 -> key 31
    assert clean_nir("1 78 20 99 123 045 31") == "178209912304531"
    # Month 50: N = 1785099123045 = 97 * 18403083742 (= 1785099122974) + 71 -> key 26
    assert clean_nir("1 78 50 99 123 045 26") == "178509912304526"


def test_a_wrong_key_is_refused_with_its_code_and_a_french_message():
    with pytest.raises(ValidationError) as caught:
        clean_nir("2 95 10 99 126 111 94")
    error = caught.value
    assert error.code == "identifier.nir.checksum"
    assert error.params == {"value": "295109912611194"}
    assert "clé de contrôle" in error.message % error.params


@pytest.mark.parametrize(
    "value",
    [
        "",
        "29510991261119",  # 14 characters
        "2951099126111930",  # 16 characters
        "5 95 10 99 126 111 93",  # first digit 5 is never issued
        "2 95 00 99 126 111 93",  # month 00
        "2 95 13 99 126 111 93",  # month 13
        "2 95 45 99 126 111 93",  # month 45
        "2 95 10 2C 126 111 93",  # only 2A and 2B carry a letter
        "2 95 10 99 126 111 9A",
        "2.95.10.99.126.111.93",  # spaces only, not dots
    ],
)
def test_malformed_numbers_are_refused_as_format_errors(value):
    assert _code(value) == "identifier.nir.format"


def test_format_message_is_french():
    with pytest.raises(ValidationError) as caught:
        clean_nir("123")
    assert "15 caractères" in caught.value.message


def test_validator_form_raises_like_clean():
    validate_nir("295109912611193")
    with pytest.raises(ValidationError):
        validate_nir("295109912611194")


@pytest.mark.parametrize(
    "value", ["295109912611193", "253072A07300443", "253072B07300470", "185077505604801"]
)
def test_agrees_with_python_stdnum(value):
    assert stdnum_nir.is_valid(value)
    assert clean_nir(value) == stdnum_nir.validate(value)
