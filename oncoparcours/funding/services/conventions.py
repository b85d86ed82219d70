"""Conventions between the ARS and a structure porteuse (PSG-15, PSG-16).

A draft is prepared by the ARS, then signed; once signed it is never edited: it may only be
ended (before its term, with a reason), and a change is an amendment, a new convention that
replaces it from its start date when it is signed. Two signed conventions of one structure
never cover the same day (``convention.overlap``).
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.funding.models import Convention, ConventionStatus, StructurePayment
from oncoparcours.funding.rules import periods_overlap, valid_day_of_year
from oncoparcours.funding.services._common import check_structure, required_text
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import InterventionTerritory


def _check_period(errors: Errors, start_date: date | None, end_date: date | None) -> None:
    if start_date is None:
        errors.new("start_date", _("Indiquez la date de début."), "convention.start_required")
    if end_date is None:
        errors.new("end_date", _("Indiquez la date de fin."), "convention.end_required")
    if start_date is not None and end_date is not None and end_date < start_date:
        errors.new(
            "end_date",
            _("La date de fin ne peut pas précéder la date de début."),
            "convention.dates_invalid",
        )


@transaction.atomic
def convention_create(
    *,
    by: Membership,
    structure: Organisation | None,
    reference: str,
    start_date: date | None,
    end_date: date | None,
    territories: Iterable[InterventionTerritory],
    expected_patients_per_year: int | None,
    report_due_month: int | None,
    report_due_day: int | None,
    funding_terms: str = "",
    information_to_doctors: str = "",
    evaluation_data: str = "",
    amends: Convention | None = None,
) -> Convention:
    """A draft convention of the actor's ARS (an amendment when ``amends`` is given)."""
    errors = Errors()
    check_structure(errors, structure, "convention")
    reference = required_text(
        errors, "reference", reference, _("Indiquez la référence."), "convention.reference_required"
    )
    if reference and Convention.objects.filter(reference=reference).exists():
        errors.new(
            "reference",
            _("Cette référence est déjà celle d'une autre convention."),
            "convention.reference_taken",
        )
    _check_period(errors, start_date, end_date)
    if expected_patients_per_year is None or expected_patients_per_year < 1:
        errors.new(
            "expected_patients_per_year",
            _("Indiquez le nombre de patients attendus par an (au moins 1)."),
            "convention.expected_patients_invalid",
        )
    if not valid_day_of_year(report_due_month, report_due_day):
        errors.new(
            "report_due_day",
            _(
                "Indiquez le jour et le mois d'échéance du rapport annuel (un jour qui existe "
                "chaque année)."
            ),
            "convention.report_due_invalid",
        )
    territory_list = list(territories)
    if not territory_list:
        errors.new(
            "territories",
            _("Choisissez au moins un territoire d'intervention couvert."),
            "convention.territories_required",
        )
    elif structure is not None and any(
        t.structure_id != structure.pk or t.archived_at is not None for t in territory_list
    ):
        errors.new(
            "territories",
            _("Les territoires couverts doivent être des territoires en activité de la structure."),
            "convention.territory_foreign",
        )
    if amends is not None:
        if (
            structure is None
            or amends.structure_id != structure.pk
            or amends.ars_id != by.organisation_id
            or amends.status != ConventionStatus.SIGNED
        ):
            errors.new(
                "amends",
                _("Un avenant modifie une convention signée en vigueur de la même structure."),
                "convention.amends_invalid",
            )
        elif start_date is not None and not (
            amends.start_date < start_date <= amends.effective_end
        ):
            errors.new(
                "start_date",
                _(
                    "Un avenant commence après le début de la convention qu'il modifie et "
                    "au plus tard à sa fin (%(end)s)."
                ),
                "convention.amendment_start_invalid",
                end=amends.effective_end.strftime("%d/%m/%Y"),
            )
    errors.raise_if_any(where="convention_create", by=by)
    assert structure is not None
    assert start_date is not None
    assert end_date is not None
    assert expected_patients_per_year is not None
    assert report_due_month is not None
    assert report_due_day is not None

    convention = Convention.objects.create(
        reference=reference,
        ars=by.organisation,
        structure=structure,
        amends=amends,
        start_date=start_date,
        end_date=end_date,
        expected_patients_per_year=expected_patients_per_year,
        report_due_month=report_due_month,
        report_due_day=report_due_day,
        funding_terms=funding_terms.strip(),
        information_to_doctors=information_to_doctors.strip(),
        evaluation_data=evaluation_data.strip(),
        created_by=by,
    )
    convention.territories.set(territory_list)
    return convention


@transaction.atomic
def convention_sign(
    *, by: Membership, convention: Convention, signed_on: date | None
) -> Convention:
    # Serialises the signatures of one structure's conventions, so the overlap check holds.
    Organisation.objects.select_for_update().filter(pk=convention.structure_id).first()
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    errors = Errors()
    if convention.status != ConventionStatus.DRAFT:
        errors.new(
            NON_FIELD_ERRORS,
            _("Seul un projet de convention peut être signé."),
            "convention.not_draft",
        )
    if signed_on is None:
        errors.new(
            "signed_on", _("Indiquez la date de signature."), "convention.signed_on_required"
        )
    elif signed_on > timezone.localdate():
        errors.new(
            "signed_on",
            _("La date de signature ne peut pas être dans le futur."),
            "convention.signed_on_future",
        )
    amended = None
    if convention.amends_id is not None:
        amended = Convention.objects.select_for_update().get(pk=convention.amends_id)
        if amended.status != ConventionStatus.SIGNED or not (
            amended.start_date < convention.start_date <= amended.effective_end
        ):
            errors.new(
                NON_FIELD_ERRORS,
                _(
                    "La convention modifiée par cet avenant n'est plus en vigueur à sa date de début."
                ),
                "convention.amends_invalid",
            )
    others = (
        Convention.objects.filter(structure_id=convention.structure_id)
        .exclude(status=ConventionStatus.DRAFT)
        .exclude(pk=convention.pk)
    )
    if amended is not None:
        others = others.exclude(pk=amended.pk)
    clash = next(
        (
            other
            for other in others.order_by("start_date")
            if periods_overlap(
                convention.start_date, convention.end_date, other.start_date, other.effective_end
            )
        ),
        None,
    )
    if clash is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _(
                "La structure a déjà une convention signée sur cette période (%(reference)s, "
                "du %(start)s au %(end)s) : terminez-la ou signez un avenant."
            ),
            "convention.overlap",
            reference=clash.reference,
            start=clash.start_date.strftime("%d/%m/%Y"),
            end=clash.effective_end.strftime("%d/%m/%Y"),
        )
    errors.raise_if_any(where="convention_sign", by=by)
    assert signed_on is not None

    now = timezone.now()
    if amended is not None:
        amended.status = ConventionStatus.ENDED
        amended.terminated_on = convention.start_date - timedelta(days=1)
        amended.end_reason = _("Remplacée par l'avenant %(reference)s.") % {
            "reference": convention.reference
        }
        amended.ended_by = by
        amended.ended_at = now
        amended.save(
            update_fields=["status", "terminated_on", "end_reason", "ended_by", "ended_at"]
        )
    convention.status = ConventionStatus.SIGNED
    convention.signed_on = signed_on
    convention.signed_by = by
    convention.signed_at = now
    convention.save(update_fields=["status", "signed_on", "signed_by", "signed_at"])
    return convention


@transaction.atomic
def convention_end(
    *, by: Membership, convention: Convention, terminated_on: date | None, reason: str
) -> Convention:
    """Ends a signed convention on ``terminated_on`` (its last day); it stays as history."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    errors = Errors()
    if convention.status != ConventionStatus.SIGNED:
        errors.new(
            NON_FIELD_ERRORS,
            _("Seule une convention signée en vigueur peut prendre fin."),
            "convention.not_signed",
        )
    reason = required_text(
        errors, "reason", reason, _("Indiquez le motif de fin."), "convention.end_reason_required"
    )
    if terminated_on is None:
        errors.new("terminated_on", _("Indiquez la date de fin."), "convention.end_required")
    elif not convention.start_date <= terminated_on <= convention.end_date:
        errors.new(
            "terminated_on",
            _("La date de fin doit être comprise entre le %(start)s et le %(end)s."),
            "convention.end_invalid",
            start=convention.start_date.strftime("%d/%m/%Y"),
            end=convention.end_date.strftime("%d/%m/%Y"),
        )
    elif StructurePayment.objects.filter(
        convention=convention, period_end__gt=terminated_on
    ).exists():
        errors.new(
            "terminated_on",
            _("Des versements de forfait couvrent déjà des jours après cette date."),
            "convention.end_before_payments",
        )
    errors.raise_if_any(where="convention_end", by=by)
    assert terminated_on is not None

    convention.status = ConventionStatus.ENDED
    convention.terminated_on = terminated_on
    convention.end_reason = reason
    convention.ended_by = by
    convention.ended_at = timezone.now()
    convention.save(update_fields=["status", "terminated_on", "end_reason", "ended_by", "ended_at"])
    return convention
