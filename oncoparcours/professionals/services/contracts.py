"""Writes on contracts between a structure porteuse and a professional (PSG-14).

Rates are checked against the maximum in force at the start date (PSG-07, PSG-08); a
professional holds at most one contract with a structure on any day.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.errors import Errors
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.rules.prestations import (
    APA_PROFESSIONS,
    DIET_PROFESSIONS,
    PSY_PROFESSIONS,
)
from oncoparcours.professionals.models import Contract, ContractKind, EventKind
from oncoparcours.professionals.permissions import active_professional_memberships
from oncoparcours.professionals.rules import check_contract_rates, periods_overlap
from oncoparcours.professionals.selectors import profile_of
from oncoparcours.professionals.services._events import record_event
from oncoparcours.regulation.parameters import ParameterNotInForce
from oncoparcours.regulation.selectors import psgac_parameters_at

PSGAC_PROFESSIONS = APA_PROFESSIONS | DIET_PROFESSIONS | PSY_PROFESSIONS


def _rate(errors: Errors, field: str, value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        errors.new(field, _("Indiquez le tarif."), "contract.rate_required")
        return None
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite():
        errors.new(field, _("Le tarif doit être un montant en euros."), "contract.rate_invalid")
        return None
    return rate


def _check_professional(errors: Errors, professional: User, structure: Organisation) -> None:
    member = (
        Membership.objects.filter(active_professional_memberships())
        .filter(user=professional, organisation=structure)
        .exists()
    )
    if not member:
        errors.new(
            "professional",
            _(
                "Cette personne n'a pas de rôle de professionnel dans la structure : "
                "ajoutez-la d'abord comme membre."
            ),
            "contract.professional_not_member",
        )
    if professional.profession not in PSGAC_PROFESSIONS:
        errors.new(
            "professional",
            _(
                "Seuls les professionnels de l'activité physique adaptée, les diététiciens et "
                "les psychologues réalisent les prestations : renseignez la profession."
            ),
            "PSG-12",
        )
    elif professional.profession in APA_PROFESSIONS:
        profile = profile_of(professional)
        if profile is None or profile.qualification_category_id is None:
            errors.new(
                "professional",
                _(
                    "Renseignez la catégorie de qualification APA du professionnel "
                    "(art. D.1172-2 CSP)."
                ),
                "PSG-13",
            )


@transaction.atomic
def contract_create(
    *,
    by: Membership,
    structure: Organisation,
    professional: User,
    kind: str,
    start_date: date | None,
    end_date: date | None = None,
    assessment_rate: Decimal | str | None,
    followup_rate: Decimal | str | None,
) -> Contract:
    # Serialises concurrent contracts of one professional, so the overlap check holds.
    User.objects.select_for_update().filter(pk=professional.pk).first()
    errors = Errors()
    if structure.kind != OrgKind.STRUCTURE_PORTEUSE or structure.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Seule une structure porteuse en activité signe des contrats."),
            "contract.structure_invalid",
        )
    if kind not in ContractKind.values:
        errors.new("kind", _("Choisissez le type de contrat."), "contract.kind_invalid")
    _check_professional(errors, professional, structure)
    assessment = _rate(errors, "assessment_rate", assessment_rate)
    followup = _rate(errors, "followup_rate", followup_rate)
    if start_date is None:
        errors.new("start_date", _("Indiquez la date de début."), "contract.start_required")
    else:
        if end_date is not None and end_date < start_date:
            errors.new(
                "end_date",
                _("La date de fin ne peut pas précéder la date de début."),
                "contract.dates_invalid",
            )
        try:
            params = psgac_parameters_at(start_date)
        except ParameterNotInForce:
            errors.new(
                "start_date",
                _("Aucun tarif maximum réglementaire n'est en vigueur à cette date."),
                "contract.parameters_missing",
            )
        else:
            for failure in check_contract_rates(
                assessment_rate=assessment, followup_rate=followup, params=params
            ):
                errors.new(failure.field, failure.message, failure.code)
        others = Contract.objects.filter(professional=professional, structure=structure)
        if any(periods_overlap(start_date, end_date, o.start_date, o.end_date) for o in others):
            errors.new(
                "start_date",
                _(
                    "Ce professionnel a déjà un contrat avec la structure sur cette période : "
                    "terminez-le d'abord."
                ),
                "contract.overlap",
            )
    errors.raise_if_any(where="contract_create", by=by)
    assert start_date is not None
    assert assessment is not None
    assert followup is not None

    contract = Contract.objects.create(
        professional=professional,
        structure=structure,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        assessment_rate=assessment,
        followup_rate=followup,
        created_by=by,
    )
    record_event(
        professional=professional,
        kind=EventKind.CONTRACT_CREATED,
        by=by,
        contract=str(contract.public_id),
        structure=str(structure.public_id),
    )
    return contract


@transaction.atomic
def contract_end(*, by: Membership, contract: Contract, end_date: date | None) -> Contract:
    """Sets the end date; the contract stays as history. It may be shortened, never extended
    (an extension could overlap a later contract: sign a new one instead)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = Errors()
    if end_date is None:
        errors.new("end_date", _("Indiquez la date de fin."), "contract.end_required")
    elif end_date < contract.start_date:
        errors.new(
            "end_date",
            _("La date de fin ne peut pas précéder la date de début."),
            "contract.dates_invalid",
        )
    elif contract.end_date is not None and end_date >= contract.end_date:
        errors.new(
            "end_date",
            _("Ce contrat prend déjà fin le %(date)s."),
            "contract.already_ended",
            date=contract.end_date.strftime("%d/%m/%Y"),
        )
    errors.raise_if_any(where="contract_end", by=by)
    assert end_date is not None
    previous = contract.end_date
    contract.end_date = end_date
    contract.save(update_fields=["end_date"])
    record_event(
        professional=contract.professional,
        kind=EventKind.CONTRACT_ENDED,
        by=by,
        contract=str(contract.public_id),
        end_date=end_date.isoformat(),
        previous_end_date=previous.isoformat() if previous else None,
    )
    return contract
