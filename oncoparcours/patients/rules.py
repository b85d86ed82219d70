"""Pure rules on patient data: plain values in, plain values out, no database.

The ``clean_*`` functions follow core.identifiers: they return the normalised value or raise a
``ValidationError`` with a stable code and a French message.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# INSEE code of the birthplace (INS-01 strict trait): a French commune (department 01-95 or
# "2A"/"2B", then 3 digits), an overseas commune (97xxx, 98xxx), or "99" + the INSEE code of a
# foreign country for a person born abroad. "00" and "96" were never department codes.
_BIRTH_PLACE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-57-9]|2[AB])\d{3}$")
BORN_ABROAD_PREFIX = "99"

# ICD-10 (CIM-10) codes of a cancer: malignant neoplasms C00-C97 and in situ neoplasms D00-D09,
# with an optional one-digit subdivision ("C50", "C50.9").
_ICD10 = re.compile(r"^([A-Z])(\d{2})(?:\.?(\d))?$")
_CANCER_CHAPTERS = {"C": range(0, 98), "D": range(0, 10)}

ADULT_AGE = 18


def clean_birth_place_code(value: str) -> str:
    code = "".join((value or "").split()).upper()
    if not _BIRTH_PLACE.match(code):
        raise ValidationError(
            _(
                "Le code INSEE du lieu de naissance doit comporter 5 caractères : code de la "
                "commune de naissance (ex. 69123, 2A004) ou 99 suivi du code du pays pour une "
                "naissance à l'étranger (ex. 99134)."
            ),
            code="patient.birth_place_insee_code.format",
        )
    return code


def clean_cancer_site(value: str) -> str:
    """An ICD-10 cancer code, written "C50" or "C50.9" (also accepted: "c509", "C 50.9")."""
    code = "".join((value or "").split()).upper()
    match = _ICD10.match(code)
    if match is None:
        raise ValidationError(
            _(
                "La localisation du cancer doit être un code CIM-10 : une lettre, deux chiffres "
                "et éventuellement une subdivision (ex. C50 ou C50.9)."
            ),
            code="patient.cancer_site.format",
        )
    letter, category, subdivision = match.groups()
    if int(category) not in _CANCER_CHAPTERS.get(letter, range(0)):
        raise ValidationError(
            _(
                "Le code CIM-10 %(value)s n'est pas celui d'un cancer : indiquez un code de "
                "tumeur maligne (C00 à C97) ou de tumeur in situ (D00 à D09)."
            ),
            code="patient.cancer_site.not_cancer",
            params={"value": code},
        )
    return f"{letter}{category}" + (f".{subdivision}" if subdivision else "")


def age_on(birth_date: date, day: date) -> int:
    """Age in completed years on ``day``; born on 29 February, one is a year older on 1 March."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def is_minor_on(birth_date: date, day: date) -> bool:
    return age_on(birth_date, day) < ADULT_AGE


# The NIR repeats traits of the person (INS-03): sex, then year and month of birth. The first
# digit is 1/3/7 for a man and 2/4/8 for a woman.
_NIR_SEX = {"1": "M", "3": "M", "7": "M", "2": "F", "4": "F", "8": "F"}


def nir_trait_mismatches(matricule: str, *, sex: str, birth_date: date | None) -> list[str]:
    """Which of ``sex``, ``birth_year``, ``birth_month`` contradict a clean 15-character NIR.

    Unknown sex ("U") and the month codes INSEE issues when the month is unknown (20 and more)
    are not compared.
    """
    mismatches = []
    if sex in ("F", "M") and _NIR_SEX.get(matricule[0]) not in (None, sex):
        mismatches.append("sex")
    if birth_date is not None:
        if int(matricule[1:3]) != birth_date.year % 100:
            mismatches.append("birth_year")
        month = int(matricule[3:5])
        if month <= 12 and month != birth_date.month:
            mismatches.append("birth_month")
    return mismatches
