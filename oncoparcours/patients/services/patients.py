"""Creating and changing patients.

Permission checks are the caller's (views and API use ``permissions.py``); these functions hold
the rules that must hold whoever calls them. Every error is collected before anything is
written, so a form shows them all at once; a refusal is logged with its codes only.

Duplicates (issue 3, item 1: propose the existing patient rather than create a twin):

- the same matricule INS is always refused: an INS designates one person (INS-01). The search
  covers every structure; a candidate the actor may not see is described without any name;
- the same strict traits are refused unless the actor confirms it is another person. Only
  candidates the actor may see count: telling a coordinator that a person with these traits is
  followed elsewhere would reveal a health fact about someone they may not know at all, while
  the INS check already catches the same person across structures.
"""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.errors import Errors
from oncoparcours.organisations.models import Organisation
from oncoparcours.patients.models import IdentityStatus, Patient
from oncoparcours.patients.permissions import can_view_patient
from oncoparcours.patients.selectors import IdentityTraits, patient_duplicates
from oncoparcours.patients.services.fields import EDITABLE_FIELDS, clean_patient_fields

STRICT_TRAITS = ("birth_name", "first_given_name", "birth_date", "sex", "birth_place_insee_code")


@transaction.atomic
def patient_create(
    *,
    by: Membership,
    structure: Organisation | None,
    birth_name: str,
    first_given_name: str,
    birth_date: date | None,
    sex: str,
    commune_insee: str,
    birth_given_names: str = "",
    used_name: str = "",
    birth_place_insee_code: str = "",
    ins_matricule: str = "",
    ins_kind: str = "",
    identity_status: str = IdentityStatus.PROVISIONAL,
    phone: str = "",
    email: str = "",
    address: str = "",
    gp_name: str = "",
    gp_rpps: str = "",
    ald_cancer: bool = False,
    ald_start_date: date | None = None,
    cancer_site: str = "",
    diagnosis_date: date | None = None,
    active_treatment_end_date: date | None = None,
    treatment_types: list[str] | tuple[str, ...] = (),
    confirm_not_duplicate: bool = False,
) -> Patient:
    # Every keyword but the actor, the structure and the confirmation is a patient field.
    data = {name: value for name, value in locals().items() if name in EDITABLE_FIELDS}
    errors = Errors()
    # None: nobody follows the patient yet (a prescriber's patient, until orientation).
    if structure is not None and (
        structure.kind != OrgKind.STRUCTURE_PORTEUSE or structure.archived_at is not None
    ):
        errors.new(
            NON_FIELD_ERRORS,
            _("Seule une structure porteuse en activité peut suivre un patient."),
            "patient.structure.invalid",
        )
    values = clean_patient_fields(errors, data)
    if not errors.by_field:
        _check_duplicates(errors, values, by=by, instance=None, confirmed=confirm_not_duplicate)
    errors.raise_if_any(where="patient_create", by=by)
    patient = Patient(structure=structure, **values)
    _save(patient, by=by, where="patient_create")
    return patient


@transaction.atomic
def patient_update(
    *, by: Membership, patient: Patient, confirm_not_duplicate: bool = False, **fields: Any
) -> Patient:
    """Changes the given fields; the patient is validated again as they would become."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"patient_update() got unexpected fields: {sorted(unknown)}")
    current = {name: getattr(patient, name) for name in EDITABLE_FIELDS if name != "commune_insee"}
    current["commune_insee"] = patient.commune_id
    errors = Errors()
    if patient.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Ce patient est archivé : sa fiche ne peut plus être modifiée."),
            "patient.archived",
        )
    values = clean_patient_fields(errors, {**current, **fields})
    if not errors.by_field:
        traits_changed = any(values[name] != current[name] for name in STRICT_TRAITS)
        _check_duplicates(
            errors,
            values,
            by=by,
            instance=patient,
            confirmed=confirm_not_duplicate or not traits_changed,
        )
    errors.raise_if_any(where="patient_update", by=by)
    for name, value in values.items():
        setattr(patient, name, value)
    _save(patient, by=by, where="patient_update")
    return patient


def _describe(patient: Patient) -> str:
    return _("%(name)s, né(e) le %(birth_date)s (identifiant %(id)s)") % {
        "name": patient.display_name,
        "birth_date": f"{patient.birth_date:%d/%m/%Y}",
        "id": patient.public_id,
    }


def _check_duplicates(
    errors: Errors,
    values: dict[str, Any],
    *,
    by: Membership,
    instance: Patient | None,
    confirmed: bool,
) -> None:
    traits = IdentityTraits(
        birth_name=values["birth_name"],
        first_given_name=values["first_given_name"],
        birth_date=values["birth_date"],
        sex=values["sex"],
        birth_place_insee_code=values["birth_place_insee_code"],
        ins_matricule=values["ins_matricule"],
    )
    candidates = patient_duplicates(traits, exclude_pk=instance.pk if instance else None)
    same_ins = [
        p for p in candidates if traits.ins_matricule and p.ins_matricule == traits.ins_matricule
    ]
    for other in same_ins:
        if can_view_patient(by, other):
            errors.new(
                "ins_matricule",
                _(
                    "Un patient porte déjà ce matricule INS : %(patient)s. Ouvrez sa fiche "
                    "plutôt que d'en créer une seconde."
                ),
                "patient.duplicate_ins",
                patient=_describe(other),
                patient_id=str(other.public_id),
            )
        else:
            errors.new(
                "ins_matricule",
                _(
                    "Un patient portant ce matricule INS est déjà suivi par une autre structure. "
                    "Un matricule INS désigne une seule personne : rapprochez-vous de cette "
                    "structure ou de la coordination régionale."
                ),
                "patient.duplicate_ins",
            )
    if same_ins or confirmed:
        return
    look_alikes = [p for p in candidates if p not in same_ins and can_view_patient(by, p)]
    if look_alikes:
        errors.new(
            NON_FIELD_ERRORS,
            _(
                "Un patient ayant les mêmes traits d'identité (nom et premier prénom de "
                "naissance, date de naissance, sexe, lieu de naissance) existe déjà : "
                "%(patients)s. S'il s'agit bien d'une autre personne, confirmez-le."
            ),
            "patient.possible_duplicate",
            patients="; ".join(_describe(p) for p in look_alikes),
            patient_ids=[str(p.public_id) for p in look_alikes],
        )


def _save(patient: Patient, *, by: Membership, where: str) -> None:
    """Saves; a concurrent twin with the same INS, caught by the database, is refused too."""
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        if not patient.ins_matricule:
            raise
        errors = Errors()
        errors.new(
            "ins_matricule",
            _("Un patient portant ce matricule INS vient d'être enregistré."),
            "patient.duplicate_ins",
        )
        errors.raise_if_any(where=where, by=by)
