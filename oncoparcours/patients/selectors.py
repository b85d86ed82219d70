import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from oncoparcours.accounts.models import Membership
from oncoparcours.core.text import fold
from oncoparcours.patients.models import Consent, Patient
from oncoparcours.patients.permissions import can_list_patients

# What a search box may hold besides words: a matricule INS (spaces ignored) or a birth date.
_INS_LIKE = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def compact_ins(value: str) -> str:
    return "".join(value.split()).upper()


def parse_french_date(value: str) -> date | None:
    """``dd/mm/yyyy`` (or ``d/m/yyyy``) as a date; None if it is not one."""
    match = _FRENCH_DATE.match(value.strip())
    if match is None:
        return None
    try:
        return datetime.strptime("/".join(match.groups()), "%d/%m/%Y").date()
    except ValueError:
        return None


def patient_list_for(
    actor: Membership | None,
    *,
    q: str | None = None,
    family_name: str | None = None,
    ins: str | None = None,
    birth_date: date | None = None,
) -> QuerySet[Patient]:
    """The actor's patients, archived ones included, ordered by name (accents ignored).

    ``q`` is what a person types in the search box: a matricule INS (exact, spaces ignored), or
    words, each of which must be a birth date (dd/mm/yyyy) or appear in the birth, used or first
    name or in the commune's name. ``family_name`` matches the start of the birth or used name;
    ``ins`` and ``birth_date`` are exact. All criteria given must hold.
    """
    if actor is None or not can_list_patients(actor):
        return Patient.objects.none()
    patients = Patient.objects.filter(structure_id=actor.organisation_id).select_related(
        "commune", "structure"
    )
    if q and _INS_LIKE.match(compact_ins(q)):
        patients = patients.filter(ins_matricule=compact_ins(q))
    else:
        for word in (q or "").split():
            day = parse_french_date(word)
            if day is not None:
                patients = patients.filter(birth_date=day)
                continue
            folded = fold(word)
            patients = patients.filter(
                Q(birth_name_key__contains=folded)
                | Q(used_name_key__contains=folded)
                | Q(given_name_key__contains=folded)
                | Q(commune__search_name__contains=folded)
            )
    if family_name and fold(family_name):
        key = fold(family_name)
        patients = patients.filter(
            Q(birth_name_key__startswith=key) | Q(used_name_key__startswith=key)
        )
    if ins:
        patients = patients.filter(ins_matricule=compact_ins(ins))
    if birth_date is not None:
        patients = patients.filter(birth_date=birth_date)
    return patients.order_by("name_key", "given_name_key", "birth_date", "pk")


@dataclass(frozen=True)
class IdentityTraits:
    """What identifies a person (INS-01): the matricule, and the strict traits."""

    birth_name: str
    first_given_name: str
    birth_date: date
    sex: str
    birth_place_insee_code: str = ""
    ins_matricule: str = ""


def patient_duplicates(traits: IdentityTraits, *, exclude_pk: int | None = None) -> list[Patient]:
    """Patients of ANY structure with the same matricule INS or the same strict traits.

    Strict traits: birth name and first given name (accents, case and hyphens ignored), birth
    date, sex, and the birthplace when both sides know it. The caller decides what the acting
    person may be told about each candidate (see ``services.patients``).
    """
    same_traits = Q(birth_date=traits.birth_date, sex=traits.sex) & Q(
        birth_name_key=fold(traits.birth_name), given_name_key=fold(traits.first_given_name)
    )
    if traits.birth_place_insee_code:
        same_traits &= Q(birth_place_insee_code="") | Q(
            birth_place_insee_code=traits.birth_place_insee_code
        )
    match = same_traits
    if traits.ins_matricule:
        match |= Q(ins_matricule=traits.ins_matricule)
    candidates = Patient.objects.filter(match).select_related("commune", "structure").order_by("pk")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates)


def consent_list(patient: Patient) -> QuerySet[Consent]:
    """Every consent of the patient, withdrawn ones included (the history), newest first."""
    return patient.consents.select_related(
        "recorded_by__user", "withdrawal_recorded_by__user"
    ).order_by("-given_at", "-pk")


def active_consents(patient: Patient, on: date) -> QuerySet[Consent]:
    """Consents in force on ``on``: given that day or before, not withdrawn by then."""
    return patient.consents.filter(given_at__lte=on).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=on)
    )
