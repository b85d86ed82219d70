"""The APA project as the patient reads it (a PDF in plain French) and as the report quotes it.

Distances are great-circle kilometres from the patient's commune (town hall) to the offer, like
the directory's search: a rough "how far", said so on the document.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oncoparcours.assessments.models import ActivityType, ApaProject, Intensity
from oncoparcours.core.pdf import PdfDocument, french_date, french_number
from oncoparcours.directory.models import Offer
from oncoparcours.territories.geo import haversine_km
from oncoparcours.territories.models import Commune


def distance_label(distance_km: float | None) -> str:
    return "—" if distance_km is None else f"{french_number(round(distance_km, 1))} km"


@dataclass(frozen=True)
class SuggestedOffer:
    offer: Offer
    distance_km: float | None

    @property
    def distance_label(self) -> str:
        return distance_label(self.distance_km)

    @property
    def place(self) -> str:
        offer = self.offer
        town = " ".join(part for part in (offer.postal_code, offer.commune.name) if part)
        return ", ".join(part for part in (offer.address, town) if part)


def distance_from(commune: Commune, offer: Offer) -> float | None:
    if None in (commune.latitude, commune.longitude, offer.latitude, offer.longitude):
        return None
    return haversine_km(
        commune.latitude,  # type: ignore[arg-type]
        commune.longitude,  # type: ignore[arg-type]
        offer.latitude,  # type: ignore[arg-type]
        offer.longitude,  # type: ignore[arg-type]
    )


def suggested_offers(project: ApaProject) -> list[SuggestedOffer]:
    """The project's offers, nearest to the patient's commune first (``suggested_offers`` is
    prefetched with each offer's commune by the selector)."""
    home = project.pathway.patient.commune
    rows = [SuggestedOffer(o, distance_from(home, o)) for o in project.suggested_offers.all()]
    rows.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0.0, r.offer.title))
    return rows


def activity_labels(project: ApaProject) -> list[str]:
    labels = dict(ActivityType.choices)
    return [str(labels.get(code, code)) for code in project.activity_types]


def rhythm(project: ApaProject) -> str:
    """« 3 séances par semaine, de 45 minutes, à intensité modérée »."""
    sessions = ngettext(
        "%(n)d séance par semaine", "%(n)d séances par semaine", project.sessions_per_week
    ) % {"n": project.sessions_per_week}
    intensity = str(dict(Intensity.choices).get(project.intensity, project.intensity)).lower()
    return _("%(sessions)s, de %(minutes)d minutes, à intensité %(intensity)s") % {
        "sessions": sessions,
        "minutes": project.session_minutes,
        "intensity": intensity,
    }


def apa_project_summary(project: ApaProject) -> list[tuple[str, str]]:
    """The lines a report quotes (key, value)."""
    rows = [
        (_("Objectifs"), project.goals),
        (_("Activités"), ", ".join(activity_labels(project))),
        (_("Rythme"), rhythm(project)),
        (_("Précautions"), project.precautions or "—"),
    ]
    offers = suggested_offers(project)
    if offers:
        rows.append(
            (
                _("Lieux proposés"),
                "\n".join(f"{o.offer.title} ({o.offer.provider_name})" for o in offers),
            )
        )
    if project.other_suggestions:
        rows.append((_("Autres propositions"), project.other_suggestions))
    return rows


def apa_project_pdf(project: ApaProject) -> bytes:
    """The document given to the patient: plain words, where to go, how often, what to avoid."""
    pathway = project.pathway
    patient = pathway.patient
    structure = pathway.structure.name if pathway.structure else "OncoParcours"
    written_on = timezone.localdate(project.written_at)
    doc = PdfDocument(
        title=_("Projet d'activité physique adaptée"),
        structure_name=structure,
        issued_on=written_on,
        author=structure,
    )
    doc.heading(_("Votre projet d'activité physique adaptée"))
    doc.paragraph(
        _("Pour %(name)s, né(e) le %(birth)s.")
        % {"name": patient.display_name, "birth": f"{patient.birth_date:%d/%m/%Y}"}
    )
    doc.paragraph(
        _(
            "Ce projet a été préparé avec vous après votre bilan d'activité physique. Il vous "
            "aide à bouger régulièrement, à votre rythme, près de chez vous."
        )
    )
    doc.heading(_("Vos objectifs"), 2)
    doc.paragraph(project.goals)
    doc.heading(_("Les activités conseillées"), 2)
    doc.paragraph("\n".join(f"• {label}" for label in activity_labels(project)))
    doc.heading(_("À quel rythme"), 2)
    doc.paragraph(rhythm(project) + ".")
    doc.paragraph(
        _(
            "Intensité légère : vous pouvez parler et chanter. Modérée : vous pouvez parler "
            "mais plus chanter. Élevée : parler devient difficile."
        ),
        small=True,
    )
    if project.precautions:
        doc.heading(_("Vos précautions"), 2)
        doc.paragraph(project.precautions)
    doc.paragraph(
        _(
            "Arrêtez l'effort et parlez-en à votre médecin en cas de douleur dans la poitrine, "
            "d'essoufflement inhabituel, de malaise ou de vertige."
        )
    )
    offers = suggested_offers(project)
    if offers:
        doc.heading(_("Où pratiquer près de chez vous"), 2)
        for row in offers:
            details = [row.place, _("Tél. %(phone)s") % {"phone": row.offer.phone}]
            if not row.offer.phone:
                details.pop()
            if row.distance_km is not None:
                details.append(_("à %(distance)s") % {"distance": row.distance_label})
            doc.heading(f"{row.offer.title} — {row.offer.provider_name}", 3)
            doc.paragraph(" · ".join(d for d in details if d))
        doc.paragraph(
            _(
                "Distances à vol d'oiseau depuis votre commune. Appelez avant de vous déplacer : "
                "horaires et places peuvent changer."
            ),
            small=True,
        )
    if project.other_suggestions:
        doc.heading(_("Autres idées"), 2)
        doc.paragraph(project.other_suggestions)
    author = project.written_by.user
    doc.spacer()
    doc.paragraph(
        _("Projet rédigé par %(name)s le %(date)s.")
        % {"name": author.get_full_name(), "date": french_date(written_on)}
    )
    return doc.build()
