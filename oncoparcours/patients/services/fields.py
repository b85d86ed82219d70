"""The fields of a patient, checked one by one and against each other.

``clean_patient_fields`` turns what a form or a JSON body holds into model values and files
every problem under its field; the create and update services then look for duplicates.
"""

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
from oncoparcours.core.identifiers import clean_nir, clean_rpps
from oncoparcours.core.text import fold
from oncoparcours.patients.models import IdentityStatus, InsKind, Sex, TreatmentType
from oncoparcours.patients.rules import (
    clean_birth_place_code,
    clean_cancer_site,
    nir_trait_mismatches,
)
from oncoparcours.territories.models import Commune

EDITABLE_FIELDS = (
    "birth_name",
    "first_given_name",
    "birth_given_names",
    "used_name",
    "birth_date",
    "sex",
    "birth_place_insee_code",
    "ins_matricule",
    "ins_kind",
    "identity_status",
    "phone",
    "email",
    "address",
    "commune_insee",
    "gp_name",
    "gp_rpps",
    "ald_cancer",
    "ald_start_date",
    "cancer_site",
    "diagnosis_date",
    "active_treatment_end_date",
    "treatment_types",
)
# INS-07: "récupérée" and "qualifiée" both mean the identity was retrieved through INSi, which
# returns the matricule; an identity in either status without one is a contradiction (INS-06).
_STATUSES_WITH_INS = frozenset({IdentityStatus.RECOVERED, IdentityStatus.QUALIFIED})
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,20}$")
_OLDEST_BIRTH_DATE = date(1900, 1, 1)
# A planned end of active treatment may be ahead, not years ahead (a typing error).
_PLANNED_TREATMENT_END = timedelta(days=366)
_LENGTHS = {
    "birth_name": 100,
    "first_given_name": 100,
    "birth_given_names": 200,
    "used_name": 100,
    "address": 250,
    "gp_name": 200,
}


def _text(data: dict[str, Any], name: str, errors: Errors, *, required_message: str = "") -> str:
    value = " ".join(str(data.get(name) or "").split())
    if not value and required_message:
        errors.new(name, required_message, f"patient.{name}.required")
    elif len(value) > _LENGTHS.get(name, 250):
        errors.new(
            name,
            _("Ce champ ne peut pas dépasser %(max)d caractères."),
            f"patient.{name}.too_long",
            max=_LENGTHS.get(name, 250),
        )
    return value


def clean_patient_fields(errors: Errors, data: dict[str, Any]) -> dict[str, Any]:
    """The model values for ``data``; every problem is added to ``errors``."""
    today = timezone.localdate()
    values: dict[str, Any] = {}

    values["birth_name"] = _text(
        data, "birth_name", errors, required_message=_("Indiquez le nom de naissance.")
    )
    values["first_given_name"] = _text(
        data,
        "first_given_name",
        errors,
        required_message=_("Indiquez le premier prénom de naissance."),
    )
    values["birth_given_names"] = _text(data, "birth_given_names", errors)
    if (
        values["birth_given_names"]
        and values["first_given_name"]
        and not fold(values["birth_given_names"]).startswith(fold(values["first_given_name"]))
    ):
        errors.new(
            "birth_given_names",
            _(
                "La liste des prénoms de naissance doit commencer par le premier prénom "
                "(%(first)s)."
            ),
            "patient.birth_given_names.first_mismatch",
            first=values["first_given_name"],
        )
    values["used_name"] = _text(data, "used_name", errors)

    birth_date = data.get("birth_date")
    if birth_date is None:
        errors.new("birth_date", _("Indiquez la date de naissance."), "patient.birth_date.required")
    elif birth_date > today:
        errors.new(
            "birth_date",
            _("La date de naissance ne peut pas être dans le futur."),
            "patient.birth_date.future",
        )
    elif birth_date < _OLDEST_BIRTH_DATE:
        errors.new(
            "birth_date",
            _("La date de naissance doit être postérieure au 1er janvier 1900."),
            "patient.birth_date.too_old",
        )
    values["birth_date"] = birth_date

    sex = str(data.get("sex") or "")
    if sex not in Sex.values:
        errors.new(
            "sex", _("Choisissez le sexe : féminin, masculin ou inconnu."), "patient.sex.invalid"
        )
    values["sex"] = sex

    raw_place = str(data.get("birth_place_insee_code") or "").strip()
    place = (
        errors.clean("birth_place_insee_code", clean_birth_place_code, raw_place)
        if raw_place
        else ""
    )
    values["birth_place_insee_code"] = place if place is not None else raw_place

    _clean_ins(errors, data, values)
    _clean_contact(errors, data, values)

    commune_insee = str(data.get("commune_insee") or "").strip().upper()
    values["commune"] = None
    if not commune_insee:
        errors.new(
            "commune_insee",
            _("Indiquez la commune de résidence (code INSEE)."),
            "patient.commune.required",
        )
    else:
        values["commune"] = Commune.objects.filter(insee_code=commune_insee).first()
        if values["commune"] is None:
            errors.new(
                "commune_insee",
                _("Aucune commune d'Auvergne-Rhône-Alpes n'a le code INSEE %(value)s."),
                "patient.commune.unknown",
                value=commune_insee,
            )

    values["gp_name"] = _text(data, "gp_name", errors)
    raw_rpps = str(data.get("gp_rpps") or "").strip()
    values["gp_rpps"] = (
        (errors.clean("gp_rpps", clean_rpps, raw_rpps) or raw_rpps) if raw_rpps else ""
    )
    if values["gp_rpps"] and not values["gp_name"]:
        errors.new(
            "gp_name",
            _("Indiquez le nom du médecin traitant dont vous donnez le RPPS."),
            "patient.gp_name.required",
        )

    _clean_clinical(errors, data, values, today=today)
    return values


def _clean_ins(errors: Errors, data: dict[str, Any], values: dict[str, Any]) -> None:
    raw = str(data.get("ins_matricule") or "").strip()
    matricule = errors.clean("ins_matricule", clean_nir, raw) if raw else ""
    values["ins_matricule"] = matricule if matricule is not None else raw
    if matricule:
        mismatches = nir_trait_mismatches(
            matricule, sex=values["sex"], birth_date=values["birth_date"]
        )
        if mismatches:
            labels = {
                "sex": _("le sexe"),
                "birth_year": _("l'année de naissance"),
                "birth_month": _("le mois de naissance"),
            }
            errors.new(
                "ins_matricule",
                _(
                    "Le matricule INS ne correspond pas à l'identité saisie (%(traits)s). "
                    "Vérifiez le matricule et les traits d'identité."
                ),
                "patient.ins_matricule.traits_mismatch",
                traits=", ".join(str(labels[m]) for m in mismatches),
            )

    kind = str(data.get("ins_kind") or "")
    if not raw:
        kind = ""  # a type without a matricule means nothing: the form's default is dropped
    elif not kind:
        errors.new(
            "ins_kind",
            _("Indiquez si le matricule INS est un NIR ou un NIA."),
            "patient.ins_kind.required",
        )
    elif kind not in InsKind.values:
        errors.new("ins_kind", _("Type de matricule INS inconnu."), "patient.ins_kind.invalid")
    values["ins_kind"] = kind

    status = str(data.get("identity_status") or IdentityStatus.PROVISIONAL)
    if status not in IdentityStatus.values:
        errors.new(
            "identity_status",
            _("Statut de l'identité inconnu."),
            "patient.identity_status.invalid",
        )
    elif status in _STATUSES_WITH_INS and not raw:
        errors.new(
            "identity_status",
            _(
                "Une identité « %(status)s » a été obtenue par le téléservice INSi : "
                "indiquez son matricule INS."
            ),
            "patient.identity_status.requires_ins",
            status=IdentityStatus(status).label,
        )
    values["identity_status"] = status


def _clean_contact(errors: Errors, data: dict[str, Any], values: dict[str, Any]) -> None:
    phone = str(data.get("phone") or "").strip()
    if phone and not _PHONE.match(phone):
        errors.new(
            "phone",
            _("Le numéro de téléphone n'est pas valide (ex. 06 12 34 56 78)."),
            "patient.phone.invalid",
        )
    values["phone"] = phone
    email = str(data.get("email") or "").strip().lower()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.new(
                "email",
                _("L'adresse électronique n'est pas valide (ex. prenom.nom@exemple.fr)."),
                "patient.email.invalid",
            )
    values["email"] = email
    values["address"] = _text(data, "address", errors)


def _clean_clinical(
    errors: Errors, data: dict[str, Any], values: dict[str, Any], *, today: date
) -> None:
    birth_date: date | None = values["birth_date"]

    def not_future_nor_before_birth(name: str, label: str) -> date | None:
        day: date | None = data.get(name)
        if day is None:
            return None
        if day > today:
            errors.new(
                name,
                _("La %(label)s ne peut pas être dans le futur."),
                f"patient.{name}.future",
                label=label,
            )
        elif birth_date is not None and day < birth_date:
            errors.new(
                name,
                _("La %(label)s ne peut pas précéder la naissance."),
                f"patient.{name}.before_birth",
                label=label,
            )
        return day

    values["ald_cancer"] = bool(data.get("ald_cancer"))
    values["ald_start_date"] = not_future_nor_before_birth(
        "ald_start_date", _("date de début de l'ALD")
    )
    if values["ald_start_date"] is not None and not values["ald_cancer"]:
        errors.new(
            "ald_start_date",
            _("Une date de début d'ALD n'a de sens que si le patient est en ALD cancer."),
            "patient.ald_start_date.without_ald",
        )

    raw_site = str(data.get("cancer_site") or "").strip()
    site = errors.clean("cancer_site", clean_cancer_site, raw_site) if raw_site else ""
    values["cancer_site"] = site if site is not None else raw_site
    values["diagnosis_date"] = not_future_nor_before_birth(
        "diagnosis_date", _("date du diagnostic")
    )

    end: date | None = data.get("active_treatment_end_date")
    if end is not None:
        if end > today + _PLANNED_TREATMENT_END:
            errors.new(
                "active_treatment_end_date",
                _("La fin du traitement actif prévue doit être dans moins d'un an."),
                "patient.active_treatment_end_date.too_far",
            )
        diagnosis = values["diagnosis_date"]
        if diagnosis is not None and end < diagnosis:
            errors.new(
                "active_treatment_end_date",
                _("La fin du traitement actif ne peut pas précéder le diagnostic."),
                "patient.active_treatment_end_date.before_diagnosis",
            )
        elif birth_date is not None and end < birth_date:
            errors.new(
                "active_treatment_end_date",
                _("La fin du traitement actif ne peut pas précéder la naissance."),
                "patient.active_treatment_end_date.before_birth",
            )
    values["active_treatment_end_date"] = end

    raw_types = data.get("treatment_types") or []
    codes = [raw_types] if isinstance(raw_types, str) else list(raw_types)
    unknown = [str(code) for code in codes if code not in TreatmentType.values]
    if unknown:
        errors.new(
            "treatment_types",
            _("Type de traitement inconnu : %(codes)s."),
            "patient.treatment_types.invalid",
            codes=", ".join(unknown),
        )
    values["treatment_types"] = [code for code in TreatmentType.values if code in codes]
