"""Reference rows the checks read (communes and their postal codes)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from oncoparcours.territories.models import Commune, CommunePostalCode


@dataclass
class Lookups:
    """Reference rows the checks need, fetched once: the CSV import preloads them for the
    whole file, a single service call fetches as it goes."""

    communes: dict[str, Commune | None] = field(default_factory=dict)
    postal_codes: dict[str, set[str]] = field(default_factory=dict)

    def preload_communes(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c and c not in self.communes}
        if not wanted:
            return
        found = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=wanted)}
        for code in wanted:
            self.communes[code] = found.get(code)
            self.postal_codes.setdefault(code, set())
        for insee, postal in CommunePostalCode.objects.filter(commune_id__in=found).values_list(
            "commune_id", "postal_code"
        ):
            self.postal_codes[insee].add(postal)

    def commune(self, code: str) -> Commune | None:
        self.preload_communes([code])
        return self.communes.get(code)
