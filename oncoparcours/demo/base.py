"""State shared by the steps of a demo load: the seeded random streams, what earlier steps
created, and the counts reported at the end. Each step is a mixin over this base
(organisations, people, patients, pathways)."""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from oncoparcours.accounts.models import User
from oncoparcours.demo.coverage import CommuneRow
from oncoparcours.demo.identifiers import SyntheticIdentifiers
from oncoparcours.demo.names import invented_surnames
from oncoparcours.organisations.models import Organisation


class DemoLoadError(Exception):
    """The demo cannot be loaded; the message is French and tells what to do."""


@dataclass
class DemoResult:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class LoaderBase:
    def __init__(self, communes: list[CommuneRow], *, seed: int, today: date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        # Public ids from their own stream: the same seed gives the same URLs.
        self.id_rng = random.Random(f"{seed}-public-ids")
        # Clinical data too, so that adding it left the names and places of a seed unchanged.
        self.clinical_rng = random.Random(f"{seed}-clinical")
        self.today = today
        self.communes = {c.insee: c for c in communes}
        self.by_department: dict[str, list[CommuneRow]] = defaultdict(list)
        for commune in communes:
            self.by_department[commune.department].append(commune)
        self.surnames = invented_surnames()
        self.result = DemoResult()
        self.organisations: dict[str, Organisation] = {}
        self.covering: dict[str, int] = {}  # commune -> adult structure whose territory has it
        self.emails: set[str] = set()
        finess = Organisation.objects.values_list("finess_ej", "finess_et")
        self.ids = SyntheticIdentifiers(
            self.rng,
            taken_finess={number for pair in finess for number in pair if number},
            taken_siret=set(Organisation.objects.exclude(siret="").values_list("siret", flat=True)),
            taken_rpps=set(
                User.objects.filter(rpps__startswith="99").values_list("rpps", flat=True)
            ),
        )

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.id_rng.getrandbits(128), version=4)
