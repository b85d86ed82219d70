"""Eligibility of a PSGAC prescription (PSG-01 … PSG-04) and the patient's age group."""

from collections import Counter
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from oncoparcours.pathways.rules.dates import add_months, age_in_years
from oncoparcours.pathways.rules.failures import RuleFailure
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.regulation.parameters import PsgacParameters

# PSG-02: values of accounts.models.MedicalSpecialty, copied to keep the rules model-free.
ONCOLOGY = "oncology"
GENERAL_PRACTICE = "general_practice"
PAEDIATRICS = "paediatrics"
PRESCRIBER_SPECIALTIES = frozenset({ONCOLOGY, GENERAL_PRACTICE, PAEDIATRICS})

# Not a rule of the texts but a data error: kept apart from the PSG codes so that a
# coordinator's override (which applies to rule failures) never covers it.
PRESCRIPTION_DATE_IN_FUTURE = "prescription.date_in_future"


class AgeGroup(StrEnum):
    CHILD = "child"
    AJA = "aja"
    ADULT = "adult"


def check_prescription(
    *,
    ald_cancer: bool,
    treatment_received: bool,
    prescriber_specialty: str | None,
    prescription_date: date,
    active_treatment_end_date: date | None,
    items: Sequence[str],
    params: PsgacParameters,
    today: date,
) -> list[RuleFailure]:
    """Every failure of PSG-01 … PSG-04, in rule order; an empty list means eligible.

    ``today`` is the caller's local date (``timezone.localdate()``): passed in, so the rule
    stays pure and a test can pin it.
    """
    failures: list[RuleFailure] = []
    # PSG-01: ALD for cancer (art. L.160-14 3° CSS) and a cancer treatment received.
    if not ald_cancer:
        failures.append(
            RuleFailure(
                "PSG-01",
                _(
                    "Le patient doit bénéficier d'une affection de longue durée (ALD) au titre "
                    "d'un cancer."
                ),
                "ald_cancer",
            )
        )
    if not treatment_received:
        failures.append(
            RuleFailure(
                "PSG-01",
                _("Le patient doit avoir reçu un traitement contre le cancer."),
                "treatment_received",
            )
        )
    # PSG-02: only the patient's oncologist, paediatrician or GP may prescribe.
    if prescriber_specialty not in PRESCRIBER_SPECIALTIES:
        failures.append(
            RuleFailure(
                "PSG-02",
                _(
                    "Le prescripteur doit être cancérologue, pédiatre ou médecin traitant "
                    "(médecine générale)."
                ),
                "prescriber_specialty",
            )
        )
    failures.extend(
        _check_prescription_date(
            prescription_date=prescription_date,
            active_treatment_end_date=active_treatment_end_date,
            params=params,
            today=today,
        )
    )
    failures.extend(_check_items(items))
    return failures


def prescription_deadline(active_treatment_end_date: date, params: PsgacParameters) -> date:
    """PSG-03: last day a prescription may be dated (end of active treatment + window)."""
    return add_months(active_treatment_end_date, params.prescription_window_months)


def _check_prescription_date(
    *,
    prescription_date: date,
    active_treatment_end_date: date | None,
    params: PsgacParameters,
    today: date,
) -> list[RuleFailure]:
    failures: list[RuleFailure] = []
    if prescription_date > today:
        failures.append(
            RuleFailure(
                PRESCRIPTION_DATE_IN_FUTURE,
                _("La date de prescription ne peut pas être dans le futur."),
                "prescription_date",
            )
        )
    # PSG-03: a prescription dated before the end of treatment is accepted (prescribed at the
    # last session); the prescriber declares the end date (OQ-3), so a missing one is a failure.
    if active_treatment_end_date is None:
        failures.append(
            RuleFailure(
                "PSG-03",
                _(
                    "La date de fin du traitement actif est nécessaire pour vérifier le délai "
                    "de prescription."
                ),
                "active_treatment_end_date",
            )
        )
    else:
        deadline = prescription_deadline(active_treatment_end_date, params)
        if prescription_date > deadline:
            failures.append(
                RuleFailure(
                    "PSG-03",
                    _(
                        "La prescription doit dater de %(months)s mois au plus après la fin du "
                        "traitement actif, soit au plus tard le %(deadline)s."
                    )
                    % {
                        "months": params.prescription_window_months,
                        "deadline": deadline.strftime("%d/%m/%Y"),
                    },
                    "prescription_date",
                )
            )
    return failures


def _check_items(items: Sequence[str]) -> list[RuleFailure]:
    # PSG-04: a non-empty subset of the five prestations, each at most once.
    if not items:
        return [
            RuleFailure(
                "PSG-04",
                _("La prescription doit comporter au moins une prestation."),
                "items",
            )
        ]
    failures: list[RuleFailure] = []
    for item, count in Counter(items).items():
        if item not in PRESTATIONS:
            failures.append(
                RuleFailure(
                    "PSG-04",
                    _("« %(item)s » n'est pas une prestation du parcours de soins global.")
                    % {"item": item},
                    "items",
                )
            )
        elif count > 1:
            failures.append(
                RuleFailure(
                    "PSG-04",
                    _("La prestation « %(label)s » est prescrite plusieurs fois.")
                    % {"label": PRESTATIONS[item].label},
                    "items",
                )
            )
    return failures


def age_group(birth_date: date, on: date, params: PsgacParameters) -> AgeGroup:
    """Child up to ``child_max_years``, AJA from ``aja_min_years`` to ``aja_max_years``
    inclusive (OQ-7 default 15-25), adult otherwise (PSG-19, PSG-21: orientation)."""
    age = age_in_years(birth_date, on)
    if age <= params.child_max_years:
        return AgeGroup.CHILD
    if params.aja_min_years <= age <= params.aja_max_years:
        return AgeGroup.AJA
    return AgeGroup.ADULT
