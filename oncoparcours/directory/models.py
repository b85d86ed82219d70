"""The regional supportive-care directory: offers, providers' change proposals, and the trail.

Multi-valued vocabularies (audiences, group formats, delivery modes) are one boolean column per
code rather than a JSON list: SQLite's JSONField has no ``contains`` lookup, and a boolean is
the cheapest filter on both databases. The model exposes them as code lists (``audiences``…)
so that forms, the API and the CSV speak codes.

FHIR mapping, for the interoperability issue (not built here):
- ``Offer`` → ``HealthcareService`` (identifier = public_id; category/type = care_type;
  ``name`` = title; ``comment`` = description; ``providedBy`` → ``Organization`` from
  provider_organisation, or ``PractitionerRole`` for provider_professional;
  ``eligibility`` = audiences + requires_prescription; ``program`` = cost;
  ``serviceProvisionCode`` = cost (free / cost); ``communication`` = languages (BCP-47);
  ``telecom`` = phone / email / mssante_email / website; ``availabilityExceptions`` =
  opening_hours; ``appointmentRequired`` = requires_prescription; ``active`` = not archived;
  ``characteristic`` = group formats, delivery modes, moment, accessibility).
- The offer's place → ``Location`` (address, postal_code, commune INSEE as ``address.city``
  + district code extension, ``position`` = latitude/longitude; ``mode`` instance).
"""

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoparcours.directory.catalogue import (
    Audience,
    CareType,
    Cost,
    DeliveryMode,
    GroupFormat,
    Moment,
    Source,
)
from oncoparcours.directory.freshness import is_stale

# Code → column. Adding a code is a migration, as it is for any choices change.
AUDIENCE_FIELDS: dict[str, str] = {
    Audience.ADULTS.value: "audience_adults",
    Audience.CHILDREN.value: "audience_children",
    Audience.AJA.value: "audience_aja",
    Audience.CARERS.value: "audience_carers",
}
GROUP_FORMAT_FIELDS: dict[str, str] = {
    GroupFormat.INDIVIDUAL.value: "format_individual",
    GroupFormat.GROUP.value: "format_group",
}
DELIVERY_MODE_FIELDS: dict[str, str] = {
    DeliveryMode.IN_PERSON.value: "mode_in_person",
    DeliveryMode.REMOTE.value: "mode_remote",
    DeliveryMode.HOME.value: "mode_home",
}


class GeoPrecision(models.TextChoices):
    ADDRESS = "address", _("Adresse")
    # The commune's town hall (INSEE coordinates): the map shows an approximate position.
    COMMUNE = "commune", _("Commune (position approximative)")


def _any_of(fields: dict[str, str]) -> Q:
    condition = Q()
    for column in fields.values():
        condition |= Q(**{column: True})
    return condition


# An offer only reachable remotely serves the whole region: distance does not bound it.
REMOTE_ONLY = Q(remote_only=True)


class Offer(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    care_type = models.CharField(_("soin de support"), max_length=24, choices=CareType.choices)

    audience_adults = models.BooleanField(_("adultes"), default=False)
    audience_children = models.BooleanField(_("enfants"), default=False)
    audience_aja = models.BooleanField(_("adolescents et jeunes adultes"), default=False)
    audience_carers = models.BooleanField(_("proches et aidants"), default=False)
    moment = models.CharField(
        _("moment"), max_length=12, choices=Moment.choices, default=Moment.BOTH
    )
    format_individual = models.BooleanField(_("individuel"), default=False)
    format_group = models.BooleanField(_("collectif"), default=False)
    mode_in_person = models.BooleanField(_("sur place"), default=False)
    mode_remote = models.BooleanField(_("à distance"), default=False)
    mode_home = models.BooleanField(_("à domicile"), default=False)
    # Computed by the database: the search filters and ranks on one column, not three.
    remote_only = models.GeneratedField(
        expression=ExpressionWrapper(
            Q(mode_remote=True, mode_in_person=False, mode_home=False),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    cost = models.CharField(_("coût"), max_length=12, choices=Cost.choices)
    requires_prescription = models.BooleanField(_("sur prescription"), default=False)

    # The provider: an organisation, a professional, or only a name (an association without an
    # account). ``provider_name`` is always filled: it is what people read and search.
    provider_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_offers",
        verbose_name=_("structure"),
    )
    provider_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_offers",
        verbose_name=_("professionnel"),
    )
    provider_name = models.CharField(_("proposé par"), max_length=200)

    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        related_name="directory_offers",
        verbose_name=_("commune"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geo_precision = models.CharField(
        _("précision de la position"), max_length=8, choices=GeoPrecision.choices, blank=True
    )

    accessible = models.BooleanField(
        _("accessible aux personnes à mobilité réduite"), default=False
    )
    accessibility_notes = models.TextField(_("précisions sur l'accessibilité"), blank=True)
    # ISO 639-1 codes (FHIR ``communication`` takes BCP-47, of which they are a subset).
    languages = models.JSONField(_("langues"), default=list, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    mssante_email = models.EmailField(_("messagerie sécurisée de santé (MSSanté)"), blank=True)
    website = models.URLField(_("site internet"), max_length=300, blank=True)
    opening_hours = models.TextField(_("horaires"), blank=True)

    inclusion_criteria_met = models.BooleanField(
        _("critères nationaux d'inclusion remplis"), default=False
    )
    last_verified_at = models.DateField(_("vérifiée le"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)

    # fold(title + provider_name), kept by the services: accent-insensitive search on both
    # databases without a function over every row.
    search_text = models.CharField(max_length=420, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)

    if TYPE_CHECKING:
        commune_id: str
        provider_organisation_id: int | None
        provider_professional_id: int | None

    class Meta:
        verbose_name = _("offre de soins de support")
        verbose_name_plural = _("offres de soins de support")
        ordering = ["title", "pk"]
        indexes = [
            # The search's bounding-box prefilter on active offers.
            models.Index(
                fields=["latitude", "longitude"],
                name="offer_active_geo_idx",
                condition=Q(archived_at__isnull=True),
            ),
            models.Index(
                fields=["care_type", "title"],
                name="offer_active_type_idx",
                condition=Q(archived_at__isnull=True),
            ),
            models.Index(fields=["last_verified_at"], name="offer_verified_idx"),
            # Remote-only offers join every search around a place, whatever the radius.
            models.Index(
                fields=["title"],
                name="offer_active_remote_idx",
                condition=Q(archived_at__isnull=True, remote_only=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=_any_of(AUDIENCE_FIELDS), name="offer_has_audience"),
            models.CheckConstraint(
                condition=_any_of(GROUP_FORMAT_FIELDS), name="offer_has_group_format"
            ),
            models.CheckConstraint(
                condition=_any_of(DELIVERY_MODE_FIELDS), name="offer_has_delivery_mode"
            ),
            models.CheckConstraint(condition=~Q(provider_name=""), name="offer_has_provider"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="offer_coordinates_paired",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audiences(self) -> list[str]:
        return [code for code, column in AUDIENCE_FIELDS.items() if getattr(self, column)]

    @property
    def group_formats(self) -> list[str]:
        return [code for code, column in GROUP_FORMAT_FIELDS.items() if getattr(self, column)]

    @property
    def delivery_modes(self) -> list[str]:
        return [code for code, column in DELIVERY_MODE_FIELDS.items() if getattr(self, column)]

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(code).label) for code in self.audiences]

    @property
    def group_format_labels(self) -> list[str]:
        return [str(GroupFormat(code).label) for code in self.group_formats]

    @property
    def delivery_mode_labels(self) -> list[str]:
        return [str(DeliveryMode(code).label) for code in self.delivery_modes]

    @property
    def is_remote_only(self) -> bool:
        """From the modes, so that it is right before the row is saved (and refreshed)."""
        return self.mode_remote and not self.mode_in_person and not self.mode_home

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def is_stale(self, today: date | None = None) -> bool:
        """Not verified for ``DIRECTORY_VERIFICATION_MONTHS`` (never verified counts as stale)."""
        return is_stale(
            self.last_verified_at,
            today or timezone.localdate(),
            months=settings.DIRECTORY_VERIFICATION_MONTHS,
        )


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class OfferChangeProposal(models.Model):
    """A provider's proposed change to its offer, applied only when an editor approves it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="change_proposals")
    proposed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposée par"),
    )
    # Field name → proposed value, in the services' input vocabulary (codes, lists, ISO dates).
    changes = models.JSONField(_("modifications"))
    note = models.TextField(_("commentaire"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_note = models.TextField(_("motif de la décision"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposition de modification")
        verbose_name_plural = _("propositions de modification")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="proposal_status_idx")]

    def __str__(self) -> str:
        return f"{self.offer} ({self.status})"


class OfferEventKind(models.TextChoices):
    CREATED = "created", _("Offre créée")
    UPDATED = "updated", _("Offre modifiée")
    ARCHIVED = "archived", _("Offre archivée")
    VERIFIED = "verified", _("Offre vérifiée")
    CHANGE_PROPOSED = "change_proposed", _("Modification proposée")
    CHANGE_APPROVED = "change_approved", _("Modification acceptée")
    CHANGE_REJECTED = "change_rejected", _("Modification refusée")


class OfferEvent(models.Model):
    """Who changed what, when. ``fields`` lists field names; ``data`` holds ids and the channel
    (``{"via": "csv"}``, ``{"proposal": "<uuid>"}``), never values people typed."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=20, choices=OfferEventKind.choices)
    # Null: done by the system (demo load, data migration).
    actor = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    fields = models.JSONField(_("champs"), default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d'une offre")
        verbose_name_plural = _("événements des offres")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.kind
