"""The report (compte rendu) of one assessment as a French PDF for the prescriber and the
médecin traitant: who, what prestation, each instrument with its score, sub-scores,
interpretation, flags and the reference its version names, the observations and the summary,
and for an APA bilan the current APA project.

Numbers are written with a decimal comma, as stored (the scoring rounded them already).
"""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments.apa_project.documents import apa_project_summary
from oncoparcours.assessments.models import ApaProject, Assessment, InstrumentRecord
from oncoparcours.assessments.presentation import ResultView, present
from oncoparcours.core.pdf import PdfDocument, french_date, french_number
from oncoparcours.pathways.rules.prestations import PRESTATIONS

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _with_unit(value: object, unit: str) -> str:
    if value is None or value == "":
        return "—"
    shown = french_number(value)
    return f"{shown} {unit}" if unit else shown


def prestation_label(kind: str) -> str:
    prestation = PRESTATIONS.get(kind)
    return str(prestation.label) if prestation else kind


def _observation_value(value: Any) -> str:
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, list | tuple):
        return ", ".join(_observation_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} : {_observation_value(v)}" for k, v in value.items())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return french_number(value)
    return str(value)


def _observation_label(code: str) -> str:
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# What the score of each instrument is, and its unit (the sub-scores' labels carry theirs).
SCORES: dict[str, tuple["StrPromise", str]] = {
    "six_minute_walk": (gettext_lazy("Distance parcourue"), "m"),
    "chair_stand_30s": (gettext_lazy("Nombre de levers"), ""),
    "handgrip": (gettext_lazy("Meilleure force"), "kg"),
    "ipaq_short": (gettext_lazy("Activité physique totale"), "MET-min/semaine"),
    "bmi": (gettext_lazy("IMC"), "kg/m²"),
    "weight_loss": (gettext_lazy("Poids actuel"), "kg"),
    "mna_sf": (gettext_lazy("Score"), "/ 14"),
    "nrs_2002": (gettext_lazy("Score"), "/ 7"),
    "distress_thermometer": (gettext_lazy("Niveau de détresse"), "/ 10"),
    "hads": (gettext_lazy("Score total"), "/ 42"),
}


def instrument_rows(view: ResultView) -> list[tuple[str, str]]:
    """What the report says of one instrument, line by line (labels from the assessments'
    presentation, shared with its pages)."""
    record = view.record
    rows: list[tuple[str, str]] = []
    if record.score is not None:
        label, unit = SCORES.get(record.instrument, (gettext_lazy("Score"), ""))
        rows.append((str(label), _with_unit(record.score, unit)))
    rows += [(name, value) for name, value in view.subscores if value != "—"]
    if record.interpretation_label:
        rows.append((_("Interprétation"), record.interpretation_label))
    if view.flags:
        rows.append((_("Signalements"), "\n".join(view.flags)))
    if view.problems:
        rows.append((_("Problèmes signalés"), "\n".join(view.problems)))
    rows.append(
        (
            _("Référence"),
            _("%(reference)s (version %(version)s)")
            % {"reference": view.reference, "version": record.version},
        )
    )
    return rows


def report_pdf(
    assessment: Assessment,
    *,
    records: Iterable[InstrumentRecord],
    apa_project: ApaProject | None,
    issued_on: date,
) -> bytes:
    pathway = assessment.pathway
    patient = pathway.patient
    prescription = pathway.prescription
    act = assessment.act
    structure = pathway.structure.name if pathway.structure else "OncoParcours"
    label = prestation_label(assessment.kind)
    doc = PdfDocument(
        title=_("Compte rendu — %(prestation)s") % {"prestation": label},
        structure_name=structure,
        issued_on=issued_on,
        author=structure,
    )
    doc.heading(_("Compte rendu : %(prestation)s") % {"prestation": label})
    doc.paragraph(
        _("Parcours de soins global après le traitement d'un cancer (PSGAC)."), small=True
    )

    doc.heading(_("Patient"), 2)
    identity: list[tuple[str, object]] = [
        (_("Nom et prénom"), patient.display_name),
        (_("Date de naissance"), f"{patient.birth_date:%d/%m/%Y}"),
    ]
    if patient.ins_is_qualified:
        # INS-06: only a qualified identity's matricule travels with a document.
        identity.append(
            (_("INS (identité qualifiée)"), f"{patient.ins_matricule} ({patient.ins_oid})")
        )
    doc.key_values(identity)

    doc.heading(_("Prestation"), 2)
    professional = act.professional
    profession = professional.get_profession_display() if professional.profession else ""
    doc.key_values(
        [
            (_("Prestation"), label),
            (_("Réalisée le"), french_date(assessment.performed_on)),
            (
                _("Professionnel"),
                f"{professional.get_full_name()}, {profession}"
                if profession
                else professional.get_full_name(),
            ),
            (_("Structure porteuse"), structure),
            (_("Prescripteur"), prescription.prescriber_name),
            (_("Médecin traitant"), patient.gp_name or "—"),
        ]
    )

    records = list(records)
    if records:
        doc.heading(_("Résultats des instruments"), 2)
        for record in records:
            view = present(record)
            doc.heading(view.label, 3)
            doc.key_values(instrument_rows(view))

    observations = {
        k: v for k, v in (assessment.observations or {}).items() if v not in ("", None, [], {})
    }
    if observations:
        doc.heading(_("Observations"), 2)
        doc.key_values(
            [(_observation_label(k), _observation_value(v)) for k, v in observations.items()]
        )
    if assessment.summary.strip():
        doc.heading(_("Synthèse"), 2)
        doc.paragraph(assessment.summary)
    if apa_project is not None:
        doc.heading(_("Projet d'activité physique adaptée"), 2)
        doc.key_values(apa_project_summary(apa_project))

    doc.spacer()
    doc.paragraph(
        _(
            "Transmis avec l'accord du patient au médecin prescripteur et au médecin traitant "
            "(parcours de soins global après cancer)."
        ),
        small=True,
    )
    return doc.build()
