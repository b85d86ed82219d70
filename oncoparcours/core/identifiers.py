"""Validation of French identifiers: pure functions, French messages, stable codes.

Each ``clean_*`` function takes what a person typed, returns the normalised identifier, or
raises ``ValidationError`` whose ``code`` is stable (the API returns it) and whose message is
French (the UI shows it).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret

_SEPARATORS = re.compile(r"[\s.\-]")
_FINESS = re.compile(r"^(\d{2}|2[AB])\d{7}$")
_ADELI = re.compile(r"^(\d{2}|2[AB])\d{7}$")
_POSTAL_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-8])\d{3}$")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value or "").upper()


def _luhn_ok(digits: str) -> bool:
    try:
        luhn.validate(digits)
    except StdnumError:
        return False
    return True


def clean_finess(value: str) -> str:
    """FINESS (EJ or ET): 9 characters, department prefix, Luhn key on the 9 digits.

    Corsican numbers (2A/2B) are checked for format only: the key rule for them is not
    documented in our sources (docs/decisions.md, 2026-11-23).
    """
    number = _compact(value)
    if not _FINESS.match(number):
        raise ValidationError(
            _("Le numéro FINESS doit comporter 9 caractères (ex. 690781810)."),
            code="identifier.finess.format",
        )
    if number[:2] not in ("2A", "2B") and not _luhn_ok(number):
        raise ValidationError(
            _("Le numéro FINESS %(value)s est invalide : la clé de contrôle ne correspond pas."),
            code="identifier.finess.checksum",
            params={"value": number},
        )
    return number


def clean_siren(value: str) -> str:
    number = _compact(value)
    if not re.fullmatch(r"\d{9}", number):
        raise ValidationError(
            _("Le numéro SIREN doit comporter 9 chiffres."), code="identifier.siren.format"
        )
    try:
        return str(siren.validate(number))
    except StdnumError as exc:
        raise ValidationError(
            _("Le numéro SIREN %(value)s est invalide : la clé de contrôle ne correspond pas."),
            code="identifier.siren.checksum",
            params={"value": number},
        ) from exc


def clean_siret(value: str) -> str:
    number = _compact(value)
    if not re.fullmatch(r"\d{14}", number):
        raise ValidationError(
            _("Le numéro SIRET doit comporter 14 chiffres (SIREN + NIC)."),
            code="identifier.siret.format",
        )
    try:
        return str(siret.validate(number))
    except StdnumError as exc:
        raise ValidationError(
            _("Le numéro SIRET %(value)s est invalide : la clé de contrôle ne correspond pas."),
            code="identifier.siret.checksum",
            params={"value": number},
        ) from exc


def clean_rpps(value: str) -> str:
    """RPPS: 11 digits, the last being a Luhn key (domain.md §8.2)."""
    number = _compact(value)
    if not re.fullmatch(r"\d{11}", number):
        raise ValidationError(
            _("Le numéro RPPS doit comporter 11 chiffres."), code="identifier.rpps.format"
        )
    if not _luhn_ok(number):
        raise ValidationError(
            _("Le numéro RPPS %(value)s est invalide : la clé de contrôle ne correspond pas."),
            code="identifier.rpps.checksum",
            params={"value": number},
        )
    return number


def clean_adeli(value: str) -> str:
    number = _compact(value)
    if not _ADELI.match(number):
        raise ValidationError(
            _("Le numéro ADELI doit comporter 9 caractères."), code="identifier.adeli.format"
        )
    return number


def clean_postal_code(value: str) -> str:
    """Format only; whether it belongs to a commune is checked by the territories app."""
    code = _compact(value)
    if not _POSTAL_CODE.match(code):
        raise ValidationError(
            _("Le code postal doit comporter 5 chiffres (ex. 69003)."),
            code="identifier.postal_code.format",
        )
    return code


def validate_finess(value: str) -> None:
    clean_finess(value)


def validate_siret(value: str) -> None:
    clean_siret(value)


def validate_siren(value: str) -> None:
    clean_siren(value)


def validate_rpps(value: str) -> None:
    clean_rpps(value)


def validate_postal_code(value: str) -> None:
    clean_postal_code(value)


# NIR / NIA (INS-03, INS-04): sex digit, year (2), month (2), birthplace (5, "2A"/"2B" for
# Corsica), order number (3), key (2). First digit: 1/2 for a person registered in the RNIPP
# (men/women), 3/4 for a person born abroad whose registration is in progress and 7/8 for a
# provisional number (NIA, SANDIA): the matricule INS may be a NIA (INS-01), so all six are
# accepted. Month: 01-12; INSEE also issues 20-42 and 50-99 when the civil-status record gives
# no month (or a fictitious one); 00, 13-19 and 43-49 are never issued. Nothing else is
# checked here: the birthplace code has had many historical forms (Algeria before 1962, old
# Corsican "20"), so only its shape is.
_NIR = re.compile(r"^[1-478]\d{2}(0[1-9]|1[0-2]|[2-3]\d|4[0-2]|[5-9]\d)(\d{2}|2[AB])\d{8}$")
_NIR_SEPARATORS = re.compile(r"\s")


def nir_key(first_thirteen: str) -> str:
    """The 2-digit key of a NIR: 97 - (N mod 97), Corsica "2A"/"2B" read as 19/18 (INS-04)."""
    digits = first_thirteen.upper().replace("2A", "19", 1).replace("2B", "18", 1)
    return f"{97 - int(digits) % 97:02d}"


def clean_nir(value: str) -> str:
    """NIR or NIA (matricule INS): 15 characters, spaces allowed, key checked (INS-03/04)."""
    number = _NIR_SEPARATORS.sub("", value or "").upper()
    if len(number) != 15 or not _NIR.match(number):
        raise ValidationError(
            _(
                "Le matricule INS (NIR ou NIA) doit comporter 15 caractères : 13 chiffres "
                "(« 2A » ou « 2B » pour un lieu de naissance en Corse) suivis d'une clé de "
                "2 chiffres (ex. 2 60 05 69 123 456 52)."
            ),
            code="identifier.nir.format",
        )
    if nir_key(number[:13]) != number[13:]:
        raise ValidationError(
            _(
                "Le matricule INS %(value)s est invalide : la clé de contrôle ne correspond pas. "
                "Vérifiez chaque chiffre."
            ),
            code="identifier.nir.checksum",
            params={"value": number},
        )
    return number


def validate_nir(value: str) -> None:
    clean_nir(value)
