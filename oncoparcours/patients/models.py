"""Patients: identity (INS traits, domain §8.1), contact, residence, the clinical data the PSGAC
eligibility needs (§2.3), consents, and API idempotency keys.

Rules on these fields live in ``services`` and ``rules``; model validators only repeat the
format of identifiers, so that ``full_clean`` cannot store a malformed one.
"""

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoparcours.core.identifiers import validate_nir, validate_rpps
from oncoparcours.core.text import fold

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


SEARCH_KEY_FIELDS = ("name_key", "birth_name_key", "used_name_key", "given_name_key")


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")
    UNKNOWN = "U", _("Inconnu")


class InsKind(models.TextChoices):
    """What the matricule INS is (INS-01): the NIR, or the NIA of a person born abroad."""

    NIR = "nir", _("NIR")
    NIA = "nia", _("NIA")


# INS-05: the OID that goes with the matricule when the INS is sent (the NIA one is unconfirmed).
INS_OIDS = {InsKind.NIR: "1.2.250.1.213.1.4.8", InsKind.NIA: "1.2.250.1.213.1.4.9"}


class IdentityStatus(models.TextChoices):
    """INS-07 (référentiel national d'identitovigilance)."""

    PROVISIONAL = "provisional", _("provisoire")
    RECOVERED = "recovered", _("récupérée")
    VALIDATED = "validated", _("validée")
    QUALIFIED = "qualified", _("qualifiée")


class TreatmentType(models.TextChoices):
    """Cancer treatments (domain §2.3); PSG-03 counts from the end of the active ones."""

    SURGERY = "surgery", _("Chirurgie")
    CHEMOTHERAPY = "chemotherapy", _("Chimiothérapie")
    RADIOTHERAPY = "radiotherapy", _("Radiothérapie")
    TARGETED_IMMUNOTHERAPY = "targeted_immunotherapy", _("Thérapie ciblée ou immunothérapie")
    HORMONE_THERAPY = "hormone_therapy", _("Hormonothérapie")
    OTHER = "other", _("Autre traitement")


class Patient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Identity: the five INS strict traits (INS-01), the used name, the matricule and its status.
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    first_given_name = models.CharField(_("premier prénom de naissance"), max_length=100)
    birth_given_names = models.CharField(
        _("prénoms de naissance"),
        max_length=200,
        blank=True,
        help_text=_("Tous les prénoms de l'acte de naissance, dans l'ordre."),
    )
    used_name = models.CharField(_("nom utilisé"), max_length=100, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_place_insee_code = models.CharField(
        _("code INSEE du lieu de naissance"), max_length=5, blank=True
    )
    ins_matricule = models.CharField(
        _("matricule INS"), max_length=15, blank=True, validators=[validate_nir]
    )
    ins_kind = models.CharField(
        _("type de matricule INS"), max_length=3, choices=InsKind.choices, blank=True
    )
    identity_status = models.CharField(
        _("statut de l'identité"),
        max_length=12,
        choices=IdentityStatus.choices,
        default=IdentityStatus.PROVISIONAL,
    )

    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        related_name="patients",
        verbose_name=_("commune de résidence"),
    )
    # Null while no structure follows the patient: a prescriber's patient living where no
    # structure porteuse intervenes ("territoire non couvert", PSG-20).
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patients",
        verbose_name=_("structure qui suit le patient"),
    )
    # The médecin traitant by name and optional RPPS, not a user: most GPs have no account here.
    gp_name = models.CharField(_("médecin traitant"), max_length=200, blank=True)
    gp_rpps = models.CharField(
        _("RPPS du médecin traitant"), max_length=11, blank=True, validators=[validate_rpps]
    )

    # Clinical data read by the PSGAC eligibility rules (PSG-01, PSG-03).
    ald_cancer = models.BooleanField(_("ALD cancer"), default=False)
    ald_start_date = models.DateField(_("début de l'ALD"), null=True, blank=True)
    cancer_site = models.CharField(_("localisation du cancer (CIM-10)"), max_length=5, blank=True)
    diagnosis_date = models.DateField(_("date du diagnostic"), null=True, blank=True)
    active_treatment_end_date = models.DateField(
        _("fin du traitement actif"), null=True, blank=True
    )
    treatment_types = models.JSONField(_("traitements reçus"), default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    # Search keys (core.text.fold of the names), stored so that searching and sorting read an
    # index instead of folding every row; kept in step by save() (refresh_search_keys).
    name_key = models.CharField(max_length=100, editable=False, default="")
    birth_name_key = models.CharField(max_length=100, editable=False, default="", db_index=True)
    used_name_key = models.CharField(max_length=100, editable=False, default="", db_index=True)
    given_name_key = models.CharField(max_length=100, editable=False, default="")

    class Meta:
        verbose_name = _("patient")
        ordering = ["name_key", "given_name_key"]
        indexes = [
            # The structure's patient list, in name order (selectors.patient_list_for).
            models.Index(fields=["structure", "name_key", "given_name_key"]),
            models.Index(fields=["birth_date"]),
        ]
        constraints = [
            # An INS designates one person, whichever structure follows them.
            models.UniqueConstraint(
                fields=["ins_matricule"],
                condition=~models.Q(ins_matricule=""),
                name="patient_ins_matricule_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.birth_date:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *SEARCH_KEY_FIELDS}
        super().save(*args, **kwargs)

    def refresh_search_keys(self) -> None:
        self.birth_name_key = fold(self.birth_name)
        self.used_name_key = fold(self.used_name)
        self.name_key = self.used_name_key or self.birth_name_key
        self.given_name_key = fold(self.first_given_name)

    @property
    def display_name(self) -> str:
        return f"{(self.used_name or self.birth_name).upper()} {self.first_given_name}"

    @property
    def ins_oid(self) -> str:
        return INS_OIDS[InsKind(self.ins_kind)] if self.ins_matricule and self.ins_kind else ""

    @property
    def ins_is_qualified(self) -> bool:
        """INS-06: only a qualified identity's matricule may be sent to others."""
        return bool(self.ins_matricule) and self.identity_status == IdentityStatus.QUALIFIED

    @property
    def treatment_labels(self) -> list["StrPromise"]:
        labels = dict(TreatmentType.choices)
        return [labels[code] for code in self.treatment_types if code in labels]


class ConsentScope(models.TextChoices):
    """What a patient agrees to (domain §2.3, §8.6; PSG-14/16 for the reports)."""

    SHARE_REPORTS_PRESCRIBER = (
        "share_reports_prescriber",
        _("Partage des comptes rendus avec le médecin prescripteur"),
    )
    SHARE_REPORTS_GP = "share_reports_gp", _("Partage des comptes rendus avec le médecin traitant")
    EVALUATION_DATA = (
        "evaluation_data",
        _("Utilisation de ses données pour l'évaluation du parcours"),
    )
    RESEARCH_REUSE = "research_reuse", _("Réutilisation de ses données pour la recherche")


class ConsentGiver(models.TextChoices):
    PATIENT = "patient", _("le patient")
    LEGAL_REPRESENTATIVE = "legal_representative", _("son représentant légal")


class Consent(models.Model):
    """A consent given on a date and, maybe, withdrawn on a later one. Rows are never deleted:
    the history of what the patient agreed to, and when, is the evidence."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="consents", verbose_name=_("patient")
    )
    scope = models.CharField(_("objet"), max_length=32, choices=ConsentScope.choices)
    given_at = models.DateField(_("recueilli le"))
    given_by = models.CharField(
        _("donné par"), max_length=24, choices=ConsentGiver.choices, default=ConsentGiver.PATIENT
    )
    representative_name = models.CharField(
        _("nom du représentant légal"), max_length=200, blank=True
    )
    note = models.TextField(_("remarque"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    withdrawn_at = models.DateField(_("retiré le"), null=True, blank=True)
    withdrawal_note = models.TextField(_("motif du retrait"), blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("retrait enregistré par"),
    )
    withdrawal_recorded_at = models.DateTimeField(_("retrait enregistré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["patient", "scope"])]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.given_at:%d/%m/%Y})"

    def is_active_on(self, day: date) -> bool:
        return self.given_at <= day and (self.withdrawn_at is None or self.withdrawn_at > day)


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` on ``POST /api/v1/patients``: a retried request with the
    same key, from the same membership, gets the patient the first one created."""

    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    # SHA-256 of the request body: the same key with another body is a client bug, refused.
    request_fingerprint = models.CharField(max_length=64)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "key"], name="patient_idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.key
