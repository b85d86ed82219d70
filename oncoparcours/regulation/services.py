"""Writes on the regulatory parameters: adding a version, never editing one."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import error_items_from_validation, log_refusal
from oncoparcours.regulation.catalogue import PARAMETERS, Unit, ValueType
from oncoparcours.regulation.models import RegulatoryParameter

# DecimalField(max_digits=10, decimal_places=2).
MAX_VALUE = Decimal("99999999.99")


@transaction.atomic
def parameter_version_create(
    *, by: Membership, key: str, value: Decimal, effective_from: date, source: str
) -> RegulatoryParameter:
    """Adds a version of ``key`` in force from ``effective_from``; the open version is closed
    the day before. Refused: a start not after the latest version's, a start in the past (it
    would change what was in force when past acts were priced), a negative value, a
    non-integer for a count, an empty source.
    """
    spec = PARAMETERS.get(key)
    if spec is None:
        _refuse(
            by,
            "key",
            _("Paramètre inconnu : « %(key)s ».") % {"key": key},
            "regulation.unknown_key",
        )
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        add("value", _("La valeur doit être un nombre."), "regulation.not_a_number")
    else:
        if not value.is_finite():
            add("value", _("La valeur doit être un nombre."), "regulation.not_a_number")
        elif value < 0:
            add("value", _("La valeur ne peut pas être négative."), "regulation.negative")
        elif value > MAX_VALUE:
            add("value", _("La valeur est trop grande."), "regulation.too_large")
        elif spec.value_type == ValueType.INTEGER and value != value.to_integral_value():
            add(
                "value",
                _("Ce paramètre est un nombre entier (sans décimales)."),
                "regulation.not_integer",
            )
        elif value != value.quantize(Decimal("0.01")):
            add(
                "value",
                _("La valeur comporte au plus deux décimales."),
                "regulation.too_precise",
            )
        elif spec.unit == Unit.PERCENT and value > 100:
            add(
                "value",
                _("Un pourcentage est compris entre 0 et 100."),
                "regulation.percent_range",
            )
    if not source.strip():
        add(
            "source",
            _("Indiquez le texte de référence (arrêté, décret, décision)."),
            "regulation.source_required",
        )
    # Locks the key's versions so that two administrators cannot both close the same one.
    versions = list(
        RegulatoryParameter.objects.select_for_update().filter(key=key).order_by("-effective_from")
    )
    latest = versions[0] if versions else None
    today = timezone.localdate()
    if latest is not None and effective_from <= latest.effective_from:
        add(
            "effective_from",
            _(
                "La nouvelle version doit entrer en vigueur après le %(date)s, début de la "
                "dernière version : deux versions d'un même paramètre ne se chevauchent pas."
            )
            % {"date": formats.date_format(latest.effective_from, "SHORT_DATE_FORMAT")},
            "regulation.overlap",
        )
    elif any(v.effective_to is not None and v.effective_to >= effective_from for v in versions):
        add(
            "effective_from",
            _("Une version déjà close couvre cette date : les versions ne se chevauchent pas."),
            "regulation.overlap",
        )
    elif effective_from < today:
        add(
            "effective_from",
            _(
                "Une nouvelle version ne peut pas entrer en vigueur dans le passé : les actes "
                "déjà tarifés restent sous la version de leur date."
            ),
            "regulation.retroactive",
        )
    if errors:
        _refuse_all(by, errors)
    if latest is not None and latest.effective_to is None:
        latest.effective_to = effective_from - timedelta(days=1)
        latest.save(update_fields=["effective_to"])
    return RegulatoryParameter.objects.create(
        key=key,
        value=value.quantize(Decimal("0.01")),
        effective_from=effective_from,
        source=source.strip(),
        created_by=by.user,
    )


def _refuse(by: Membership, field: str, message: str, code: str) -> NoReturn:
    _refuse_all(by, {field: [ValidationError(message, code=code)]})


def _refuse_all(by: Membership, errors: dict[str, list[ValidationError]]) -> NoReturn:
    exc = ValidationError(errors)
    log_refusal(
        where="parameter_version_create",
        actor=by,
        codes=[item["code"] for item in error_items_from_validation(exc)],
    )
    raise exc
