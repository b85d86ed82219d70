from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.errors import Errors
from oncoparcours.organisations.models import Organisation


def euros(amount: Decimal) -> str:
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €"


def parse_amount(
    errors: Errors, field: str, value: Decimal | str | int | None, prefix: str
) -> Decimal | None:
    """A positive amount to the cent, else an error ``<prefix>.amount_*`` (and None)."""
    if value is None or value == "":
        errors.new(field, _("Indiquez le montant."), f"{prefix}.amount_required")
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        errors.new(
            field, _("Le montant doit être en euros, au centime près."), f"{prefix}.amount_invalid"
        )
        return None
    if amount <= 0:
        errors.new(
            field, _("Le montant doit être supérieur à zéro."), f"{prefix}.amount_not_positive"
        )
        return None
    return amount


def check_structure(errors: Errors, structure: Organisation | None, prefix: str) -> None:
    if (
        structure is None
        or structure.kind != OrgKind.STRUCTURE_PORTEUSE
        or structure.archived_at is not None
    ):
        errors.new(
            "structure",
            _("Choisissez une structure porteuse en activité."),
            f"{prefix}.structure_invalid",
        )


def required_text(errors: Errors, field: str, value: str | None, message: str, code: str) -> str:
    text = (value or "").strip()
    if not text:
        errors.new(field, message, code)
    return text
