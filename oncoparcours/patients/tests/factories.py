"""Synthetic patients for tests (invented names, no real person; NIRs built with a valid key)."""

from datetime import date
from itertools import count
from typing import Any

from oncoparcours.core.identifiers import nir_key
from oncoparcours.organisations.models import Organisation
from oncoparcours.patients.models import Patient, Sex
from oncoparcours.territories.models import Commune

_numbers = count(1)


def make_nir(first_thirteen: str) -> str:
    return first_thirteen + nir_key(first_thirteen)


def make_patient(
    structure: Organisation,
    commune: Commune,
    *,
    birth_name: str | None = None,
    first_given_name: str = "Camille",
    used_name: str = "",
    birth_date: date = date(1960, 5, 17),
    sex: str = Sex.FEMALE,
    **extra: Any,
) -> Patient:
    return Patient.objects.create(
        structure=structure,
        commune=commune,
        birth_name=birth_name or f"Patient{next(_numbers):04d}",
        first_given_name=first_given_name,
        used_name=used_name,
        birth_date=birth_date,
        sex=sex,
        **extra,
    )
