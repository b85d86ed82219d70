"""Synthetic identifiers with valid check digits, never clashing with rows already stored."""

import random

from stdnum import luhn
from stdnum.fr import siren, siret

from oncoparcours.core.identifiers import clean_finess, clean_rpps


def with_luhn_key(prefix: str) -> str:
    return prefix + luhn.calc_check_digit(prefix)


class SyntheticIdentifiers:
    def __init__(
        self,
        rng: random.Random,
        *,
        taken_finess: set[str],
        taken_siret: set[str],
        taken_rpps: set[str],
    ) -> None:
        self.rng = rng
        self.taken_finess = taken_finess
        self.taken_siret = taken_siret
        self.taken_rpps = taken_rpps

    def finess(self, department: str) -> str:
        """FINESS: department, 6 digits, Luhn key (what clean_finess checks)."""
        while True:
            number = with_luhn_key(department + f"{self.rng.randrange(10**6):06d}")
            if number not in self.taken_finess:
                self.taken_finess.add(number)
                return clean_finess(number)

    def siret(self) -> str:
        """SIREN (8 digits + Luhn key) followed by a NIC whose last digit keys the 14 digits."""
        while True:
            siren_number = with_luhn_key(f"{self.rng.randrange(10**7, 10**8)}")
            number = with_luhn_key(siren_number + f"{self.rng.randrange(1, 1000):04d}")
            if number not in self.taken_siret:
                siren.validate(siren_number)
                self.taken_siret.add(number)
                return str(siret.validate(number))

    def rpps(self) -> str:
        """RPPS: 11 digits with a Luhn key. Issued numbers start with 1; demo ones all start
        with "99" so that no demo professional can carry a real person's RPPS."""
        while True:
            number = with_luhn_key("99" + f"{self.rng.randrange(10**8):08d}")
            if number not in self.taken_rpps:
                self.taken_rpps.add(number)
                return clean_rpps(number)
