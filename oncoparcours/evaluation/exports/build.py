"""The pseudonymised export, end to end, for the background job: two passes over the year's
pathways, by chunks, then a zip (data, dictionary, README).

1. First pass: the quasi-identifiers of every pathway and its patient's pseudonym → the
   k-anonymity plan (one small key per row in memory, never whole rows).
2. Second pass: each row built, generalised or suppressed by the plan, written to a temporary
   CSV; the written classes are counted again and the export fails rather than ship a class
   under k (the data may change between the passes).
"""

import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from oncoparcours.evaluation.exports import files, source
from oncoparcours.evaluation.exports.kanon import (
    Outcome,
    QuasiIdentifiers,
    Written,
    plan_k_anonymity,
)
from oncoparcours.evaluation.exports.pseudonym import pseudonym
from oncoparcours.evaluation.exports.rows import build_row, csv_record
from oncoparcours.evaluation.exports.vocabulary import (
    AgeBands,
    age_in_years,
    cancer_site_group,
)

# Progress: the first pass takes this share of the bar, the second up to WRITE_END.
PLAN_END = 30
WRITE_END = 95

Progress = Callable[[int, str], None]


class ExportError(Exception):
    """A stable code for the job's error (never data)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ExportSettings:
    year: int
    k: int
    pepper: str
    bands: AgeBands
    today: date
    generated_at: datetime
    chunk_size: int = 500


def _percent(done: int, total: int, start: int, end: int) -> int:
    return start + (end - start) * done // total if total else end


def build_export(
    settings: ExportSettings, target: BinaryIO, progress: Progress
) -> dict[str, object]:
    """Writes the zip to ``target``; returns the metadata (counts) for the job."""
    pathways = source.year_pathways(settings.year, settings.today)
    total = pathways.count()

    progress(0, _("Calcul des classes de quasi-identifiants"))
    patients_by_qi: dict[QuasiIdentifiers, set[str]] = defaultdict(set)
    seen = 0
    for chunk in source.qi_chunks(pathways, settings.chunk_size):
        for found in chunk:
            age = age_in_years(
                found["patient__birth_date"], found["prescription__prescription_date"]
            )
            qi = QuasiIdentifiers(
                age_band=settings.bands.band(max(age, 0)),
                sex=found["patient__sex"],
                place=source.place_of(found),
                site_group=cancer_site_group(found["patient__cancer_site"]),
            )
            patients_by_qi[qi].add(pseudonym(found["patient__public_id"], settings.pepper))
        seen += len(chunk)
        progress(_percent(seen, total, 0, PLAN_END), _("Calcul des classes de quasi-identifiants"))
    plan = plan_k_anonymity(patients_by_qi, k=settings.k, bands=settings.bands)
    del patients_by_qi

    outcome = Outcome()
    written_classes: dict[Written, set[str]] = defaultdict(set)
    with tempfile.TemporaryDirectory(prefix="oncoparcours-export-") as folder:
        data_path = Path(folder) / files.DATA_NAME
        with data_path.open("w", encoding="utf-8", newline="") as handle:
            writer = files.csv_writer(handle)
            seen = 0
            for sources in source.source_chunks(pathways, settings.chunk_size):
                for pathway in sources:
                    row = build_row(pathway, pepper=settings.pepper, bands=settings.bands)
                    values, rung = plan.write(row.qi)
                    outcome.count(rung)
                    if values is None:
                        continue
                    written_classes[values].add(row.pseudonym)
                    writer.writerow(files.defused(csv_record(row, values, settings.bands)))
                seen += len(sources)
                progress(_percent(seen, total, PLAN_END, WRITE_END), _("Écriture des lignes"))
        if any(len(patients) < settings.k for patients in written_classes.values()):
            raise ExportError("export.k_anonymity_violated")
        del written_classes

        progress(WRITE_END, _("Assemblage de l'archive"))
        objections = source.objecting_patient_count(settings.year, settings.today)
        readme = files.readme(
            year=settings.year,
            generated_at=settings.generated_at,
            k=settings.k,
            outcome=outcome,
            excluded_objections=objections,
        )
        files.write_zip(
            target,
            data_path=data_path,
            extras=[
                (files.DICTIONARY_NAME, files.dictionary_csv()),
                (files.README_NAME, readme),
            ],
        )
    return {
        "year": settings.year,
        "k": settings.k,
        "excluded_objections": objections,
        **outcome.as_dict(),
    }
