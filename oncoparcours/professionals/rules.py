"""Pure rules on professionals and contracts: plain values in, plain values out (no database)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from oncoparcours.regulation.parameters import PsgacParameters

EVIDENCE_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class Failure:
    field: str
    code: str
    message: str


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",") + " €"


def check_contract_rates(
    *, assessment_rate: Decimal | None, followup_rate: Decimal | None, params: PsgacParameters
) -> list[Failure]:
    """PSG-07 and PSG-08: what the structure pays never exceeds the regulatory maximum.

    A rate given as None (unreadable, already reported) is left out."""
    failures = []
    for field, rate in (("assessment_rate", assessment_rate), ("followup_rate", followup_rate)):
        if rate is None:
            continue
        if rate < 0:
            failures.append(
                Failure(field, "contract.rate_negative", _("Le tarif ne peut pas être négatif."))
            )
        elif rate.as_tuple().exponent < -2:  # type: ignore[operator]
            failures.append(
                Failure(field, "contract.rate_invalid", _("Le tarif s'exprime au centime près."))
            )
    if assessment_rate is not None and assessment_rate > params.assessment_max_rate:
        failures.append(
            Failure(
                "assessment_rate",
                "PSG-07",
                _("Le tarif d'un bilan ne peut pas dépasser le maximum réglementaire de %s.")
                % _euros(params.assessment_max_rate),
            )
        )
    if followup_rate is not None and followup_rate > params.followup_max_rate:
        failures.append(
            Failure(
                "followup_rate",
                "PSG-08",
                _(
                    "Le tarif d'une consultation de suivi ne peut pas dépasser le maximum "
                    "réglementaire de %s."
                )
                % _euros(params.followup_max_rate),
            )
        )
    return failures


def periods_overlap(
    start: date, end: date | None, other_start: date, other_end: date | None
) -> bool:
    """Closed periods, an open end meaning "until further notice"."""
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)
