"""Recording and withdrawing consents. Nothing is ever deleted: a withdrawal closes a consent on
a date, so what the patient had agreed to on any past day stays readable (domain §8.6)."""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.patients.models import Consent, ConsentGiver, ConsentScope, Patient
from oncoparcours.patients.rules import ADULT_AGE, is_minor_on


@transaction.atomic
def consent_record(
    *,
    by: Membership,
    patient: Patient,
    scope: str,
    given_at: date | None,
    given_by: str = ConsentGiver.PATIENT,
    representative_name: str = "",
    note: str = "",
) -> Consent:
    """A consent in force from ``given_at``.

    A minor (under 18 on ``given_at``) cannot consent alone: the holder of parental authority
    does (art. 371-1 code civil; for health data, art. L.1111-2 CSP). An adult may also be
    represented (tutelle), so a representative is accepted at any age, and then named.
    """
    errors = Errors()
    today = timezone.localdate()
    if patient.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Ce patient est archivé : aucun consentement ne peut plus être enregistré."),
            "patient.archived",
        )
    if scope not in ConsentScope.values:
        errors.new("scope", _("Choisissez l'objet du consentement."), "consent.scope.invalid")
    elif patient.pk and patient.consents.filter(scope=scope, withdrawn_at__isnull=True).exists():
        errors.new(
            "scope",
            _(
                "Un consentement « %(scope)s » est déjà en vigueur : retirez-le avant d'en "
                "enregistrer un nouveau."
            ),
            "consent.already_active",
            scope=ConsentScope(scope).label,
        )
    known_date = given_at is not None and patient.birth_date <= given_at <= today
    if given_at is None:
        errors.new("given_at", _("Indiquez la date du recueil."), "consent.given_at.required")
    elif given_at > today:
        errors.new(
            "given_at",
            _("La date du recueil ne peut pas être dans le futur."),
            "consent.given_at.future",
        )
    elif given_at < patient.birth_date:
        errors.new(
            "given_at",
            _("La date du recueil ne peut pas précéder la naissance du patient."),
            "consent.given_at.before_birth",
        )
    representative_name = " ".join(representative_name.split())
    if given_by not in ConsentGiver.values:
        errors.new(
            "given_by",
            _("Indiquez qui donne le consentement : le patient ou son représentant légal."),
            "consent.given_by.invalid",
        )
    elif given_by == ConsentGiver.PATIENT:
        if known_date and given_at is not None and is_minor_on(patient.birth_date, given_at):
            errors.new(
                "given_by",
                _(
                    "Le patient avait moins de %(age)d ans à cette date : le consentement est "
                    "donné par son représentant légal."
                ),
                "consent.given_by.representative_required",
                age=ADULT_AGE,
            )
        representative_name = ""
    elif not representative_name:
        errors.new(
            "representative_name",
            _("Indiquez le nom du représentant légal."),
            "consent.representative_name.required",
        )
    elif len(representative_name) > 200:
        errors.new(
            "representative_name",
            _("Ce champ ne peut pas dépasser %(max)d caractères."),
            "consent.representative_name.too_long",
            max=200,
        )
    errors.raise_if_any(where="consent_record", by=by)
    assert given_at is not None
    return Consent.objects.create(
        patient=patient,
        scope=scope,
        given_at=given_at,
        given_by=given_by,
        representative_name=representative_name,
        note=note.strip(),
        recorded_by=by,
    )


@transaction.atomic
def consent_withdraw(
    *, by: Membership, consent: Consent, withdrawn_at: date | None = None, note: str = ""
) -> Consent:
    """Closes the consent from ``withdrawn_at`` (today by default); the row stays."""
    errors = Errors()
    day = withdrawn_at or timezone.localdate()
    if consent.withdrawn_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Ce consentement a déjà été retiré le %(date)s."),
            "consent.already_withdrawn",
            date=f"{consent.withdrawn_at:%d/%m/%Y}",
        )
    elif day > timezone.localdate():
        errors.new(
            "withdrawn_at",
            _("La date du retrait ne peut pas être dans le futur."),
            "consent.withdrawn_at.future",
        )
    elif day < consent.given_at:
        errors.new(
            "withdrawn_at",
            _("La date du retrait ne peut pas précéder celle du recueil (%(date)s)."),
            "consent.withdrawn_at.before_given",
            date=f"{consent.given_at:%d/%m/%Y}",
        )
    errors.raise_if_any(where="consent_withdraw", by=by)
    consent.withdrawn_at = day
    consent.withdrawal_note = note.strip()
    consent.withdrawal_recorded_by = by
    consent.withdrawal_recorded_at = timezone.now()
    consent.save(
        update_fields=[
            "withdrawn_at",
            "withdrawal_note",
            "withdrawal_recorded_by",
            "withdrawal_recorded_at",
        ]
    )
    return consent
