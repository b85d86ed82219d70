"""One pathway of the source → one export row without any direct identifier. Pure.

``PathwaySource`` carries what the source query read, the birth date included (the age needs
it); ``build_row`` keeps only coarse values: the birth date, names, NIR, contact details,
address and free text never reach an ``ExportRow``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from oncoparcours.evaluation.exports import columns as c
from oncoparcours.evaluation.exports.kanon import Place, QuasiIdentifiers, Written
from oncoparcours.evaluation.exports.pseudonym import pseudonym
from oncoparcours.evaluation.exports.vocabulary import (
    AgeBands,
    age_in_years,
    cancer_site_group,
    quarter,
)

# Measures kept, by source key: (first column, last column, rounding step).
MEASURES: dict[str, tuple[str, str, Decimal]] = {
    "six_minute_walk": ("tm6_premier_m", "tm6_dernier_m", Decimal(10)),
    "hads_anxiety": ("hads_a_premier", "hads_a_dernier", Decimal(1)),
    "hads_depression": ("hads_d_premier", "hads_d_dernier", Decimal(1)),
    "bmi": ("imc_premier", "imc_dernier", Decimal(1)),
}
# Done acts counted, by prestation code (pathways.rules.prestations).
ACT_COLUMNS = {
    "apa_assessment": "bilans_apa",
    "diet_assessment": "bilans_dietetiques",
    "psy_assessment": "bilans_psychologiques",
    "diet_followup": "suivis_dietetiques",
    "psy_followup": "suivis_psychologiques",
}


@dataclass(frozen=True)
class PathwaySource:
    patient_public_id: UUID
    birth_date: date
    sex: str
    place: Place
    cancer_site: str
    structure_public_id: UUID | None
    structure_name: str
    prescriber_specialty: str
    prescription_date: date
    active_treatment_end_date: date | None
    first_assessment_date: date | None
    eligibility: str
    failure_codes: Sequence[str]
    status: str
    done_by_kind: Mapping[str, int]
    no_shows: int
    spent: Decimal
    cap: Decimal
    # Values in the order they were measured, by MEASURES key.
    measures: Mapping[str, Sequence[Decimal]] = field(default_factory=dict)
    # Reports delivered, by recipient role (prescriber, gp) (I-11).
    reports_sent: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportRow:
    pseudonym: str
    qi: QuasiIdentifiers
    # Every other column, already written as text.
    values: Mapping[str, str]


def _rounded(value: Decimal, step: Decimal) -> str:
    return str(int((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step))


def _euros(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}".replace(".", ",")


def _days(start: date | None, end: date | None) -> str:
    return str((end - start).days) if start is not None and end is not None else ""


def build_row(source: PathwaySource, *, pepper: str, bands: AgeBands) -> ExportRow:
    age = age_in_years(source.birth_date, source.prescription_date)
    qi = QuasiIdentifiers(
        age_band=bands.band(max(age, 0)),
        sex=source.sex,
        place=source.place,
        site_group=cancer_site_group(source.cancer_site),
    )
    values = {
        "structure_id": str(source.structure_public_id or ""),
        "structure_nom": source.structure_name,
        "specialite_prescripteur": source.prescriber_specialty,
        "trimestre_prescription": quarter(source.prescription_date),
        "eligibilite": source.eligibility,
        "regles_non_respectees": "|".join(sorted(set(source.failure_codes))),
        "statut_parcours": source.status,
        "delai_fin_traitement_prescription_j": _days(
            source.active_treatment_end_date, source.prescription_date
        ),
        "delai_prescription_premier_bilan_j": _days(
            source.prescription_date, source.first_assessment_date
        ),
        "absences": str(source.no_shows),
        "comptes_rendus_envoyes_prescripteur": str(source.reports_sent.get("prescriber", 0)),
        "comptes_rendus_envoyes_medecin_traitant": str(source.reports_sent.get("gp", 0)),
        "depense_eur": _euros(source.spent),
        "plafond_eur": _euros(source.cap),
    }
    for kind, name in ACT_COLUMNS.items():
        values[name] = str(source.done_by_kind.get(kind, 0))
    for key, (first, last, step) in MEASURES.items():
        series = source.measures.get(key, ())
        values[first] = _rounded(series[0], step) if series else ""
        values[last] = _rounded(series[-1], step) if len(series) > 1 else ""
    return ExportRow(pseudonym(source.patient_public_id, pepper), qi, values)


def csv_record(row: ExportRow, written: Written, bands: AgeBands) -> list[str]:
    """The row in file order, with its quasi-identifiers as the k-anonymity plan wrote them."""
    qi_values = {
        c.PSEUDONYM: row.pseudonym,
        c.AGE_BAND: written.age_band.label,
        c.AGE_GROUP: bands.group(written.age_band),
        c.SEX: written.sex,
        c.GEO_LEVEL: str(written.geo_level),
        c.GEO_CODE: written.geo_code,
        c.SITE_GROUP: written.site_group,
    }
    return [qi_values.get(name, row.values.get(name, "")) for name in c.COLUMN_NAMES]
