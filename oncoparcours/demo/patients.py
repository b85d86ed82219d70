"""Demo patients: where they live, their age group's structure and the clinical data the
PSGAC eligibility rules read."""

from datetime import date, timedelta
from itertools import accumulate

from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import (
    AJA_SHARE,
    AURA_DEPARTMENTS,
    CHILD_SHARE,
    FEMALE_SHARE,
    ORGANISATIONS,
    USED_NAME_SHARE,
)
from oncoparcours.demo.coverage import CommuneRow
from oncoparcours.demo.names import first_name
from oncoparcours.patients.models import Patient, Sex, TreatmentType


class PatientsMixin(LoaderBase):
    def _create_patients(self, count: int) -> None:
        adult: dict[str, int] = {}
        aja: dict[str, int] = {}
        paediatric: int | None = None
        for spec in ORGANISATIONS:
            org = self.organisations.get(spec.key)
            if org is None or not spec.is_structure:
                continue
            if spec.serves_children:
                paediatric = org.pk
            for dep in spec.departments:
                if spec.serves_aja:
                    aja.setdefault(dep, org.pk)
                elif spec.serves_adults:
                    adult.setdefault(dep, org.pk)
        eligible = [c for dep in AURA_DEPARTMENTS if dep in adult for c in self.by_department[dep]]
        rows: list[Patient] = []
        if eligible and count > 0:
            weights = [c.population for c in eligible]
            if not any(weights):
                weights = [1] * len(eligible)
            drawn = self.rng.choices(eligible, cum_weights=list(accumulate(weights)), k=count)
            rows = [self._patient(c, adult, aja, paediatric) for c in drawn]
            for row in rows:
                row.refresh_search_keys()
            Patient.objects.bulk_create(rows, batch_size=500)
        self.result.counts["patients"] = len(rows)

    def _patient(
        self,
        commune: CommuneRow,
        adult: dict[str, int],
        aja: dict[str, int],
        paediatric: int | None,
    ) -> Patient:
        draw = self.rng.random()
        if draw < CHILD_SHARE and paediatric is not None:
            age, female_share, structure = self.rng.randint(1, 14), 0.5, paediatric
        elif draw < CHILD_SHARE + AJA_SHARE and commune.department in aja:
            age, female_share, structure = self.rng.randint(15, 24), 0.5, aja[commune.department]
        else:
            # Cancer is mostly a disease of later life: adult ages peak in the late sixties.
            age, female_share = int(self.rng.triangular(18, 90, 67)), FEMALE_SHARE
            structure = self.covering.get(commune.insee, adult[commune.department])
        sex = Sex.FEMALE if self.rng.random() < female_share else Sex.MALE
        birth_name = self.rng.choice(self.surnames)
        used_name = ""
        if sex == Sex.FEMALE and age >= 25 and self.rng.random() < USED_NAME_SHARE:
            used_name = self.rng.choice(self.surnames)
        birth_date = self.today - timedelta(days=int(age * 365.25) + self.rng.randint(1, 364))
        return Patient(
            public_id=self._uuid(),
            birth_name=birth_name,
            first_given_name=first_name(self.rng, sex),
            used_name=used_name,
            birth_date=birth_date,
            sex=sex.value,
            commune_id=commune.insee,
            structure_id=structure,
            **self._clinical(birth_date, age, sex),
        )

    def _clinical(self, birth_date: date, age: int, sex: Sex) -> dict[str, object]:
        """ALD, cancer site and treatment dates that the PSGAC eligibility rules can read: most
        patients ended active treatment within the last year (PSG-03), a few still in it or
        past the window. No INS: a synthetic NIR could be a real person's; identities stay
        provisional."""
        rng = self.clinical_rng
        group = "child" if age < 15 else "aja" if age <= 25 else sex.value
        sites, treatments = _DEMO_CANCERS[group]
        site = rng.choice(sites)
        end = self.today - timedelta(days=rng.randint(-60, 420))
        diagnosis = max(end - timedelta(days=rng.randint(90, 365)), birth_date + timedelta(30))
        end = max(end, diagnosis)
        ald = rng.random() < 0.95
        return {
            "ald_cancer": ald,
            "ald_start_date": min(diagnosis + timedelta(days=rng.randint(7, 60)), self.today)
            if ald
            else None,
            "cancer_site": site,
            "diagnosis_date": diagnosis,
            "active_treatment_end_date": end,
            "treatment_types": [
                t.value for t in TreatmentType if t in treatments and rng.random() < 0.8
            ]
            or [treatments[0].value],
        }


_T = TreatmentType
# ICD-10 sites frequent at each age, and the treatments they usually get (illustrative only).
_DEMO_CANCERS: dict[str, tuple[list[str], list[TreatmentType]]] = {
    "child": (["C91.0", "C71.9", "C64", "C74.9"], [_T.CHEMOTHERAPY, _T.SURGERY, _T.RADIOTHERAPY]),
    "aja": (["C81.9", "C73", "C43.9", "C40.2"], [_T.CHEMOTHERAPY, _T.SURGERY, _T.RADIOTHERAPY]),
    "F": (
        ["C50.9", "C50.4", "C18.7", "C34.1", "C54.1", "C56"],
        [_T.SURGERY, _T.CHEMOTHERAPY, _T.RADIOTHERAPY, _T.HORMONE_THERAPY],
    ),
    "M": (
        ["C61", "C34.1", "C18.7", "C67.9", "C43.5", "C20"],
        [_T.SURGERY, _T.RADIOTHERAPY, _T.CHEMOTHERAPY, _T.TARGETED_IMMUNOTHERAPY],
    ),
}
