"""The directory's vocabularies (domain.md §6.2, §6.3): codes are stable, labels are French.

The 9 supportive-care types of the INCa 2016 basket plus AURA's socio-esthetics (§6.2, item
list unconfirmed: OQ-8). The pathway's referrals use the same codes (PSG-11: APA sessions are
an orientation towards an ``APA`` offer, never a prestation of the forfait).
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class CareType(models.TextChoices):
    PAIN = "pain", _("Prise en charge de la douleur")
    NUTRITION = "nutrition", _("Diététique et nutrition")
    PSYCHOLOGICAL = "psychological", _("Soutien psychologique")
    SOCIAL = "social", _("Accompagnement social, familial et professionnel")
    APA = "apa", _("Activité physique adaptée")
    LIFESTYLE = "lifestyle", _("Conseils d'hygiène de vie")
    CARERS = "carers", _("Soutien psychologique des proches et aidants")
    FERTILITY = "fertility", _("Préservation de la fertilité")
    SEXUAL_HEALTH = "sexual_health", _("Prise en charge de la sexualité")
    SOCIO_ESTHETICS = "socio_esthetics", _("Socio-esthétique")


class Audience(models.TextChoices):
    ADULTS = "adults", _("Adultes")
    CHILDREN = "children", _("Enfants")
    AJA = "aja", _("Adolescents et jeunes adultes (AJA)")
    CARERS = "carers", _("Proches et aidants")


class Moment(models.TextChoices):
    DURING = "during", _("Pendant les traitements")
    AFTER = "after", _("Après les traitements")
    BOTH = "both", _("Pendant et après les traitements")


class GroupFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuel")
    GROUP = "group", _("Collectif")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("Sur place")
    REMOTE = "remote", _("À distance")
    HOME = "home", _("À domicile")


class Cost(models.TextChoices):
    FREE = "free", _("Gratuit")
    PSGAC = "psgac", _("Pris en charge par le parcours de soins global")
    COPAYMENT = "copayment", _("Reste à charge")
    MEMBERSHIP = "membership", _("Adhésion")


class Source(models.TextChoices):
    SURVEY = "survey", _("Enquête régionale")
    SELF_DECLARATION = "self_declaration", _("Déclaration du fournisseur")
    DSRC_VERIFICATION = "dsrc_verification", _("Vérification par le DSRC")


# Languages an offer is available in: ISO 639 codes (FHIR ``communication`` takes BCP-47,
# which accepts them). French Sign Language is ISO 639-3 ``fsl``.
LANGUAGES: dict[str, "StrPromise"] = {
    "fr": _("français"),
    "en": _("anglais"),
    "ar": _("arabe"),
    "es": _("espagnol"),
    "it": _("italien"),
    "pt": _("portugais"),
    "de": _("allemand"),
    "tr": _("turc"),
    "ru": _("russe"),
    "ro": _("roumain"),
    "zh": _("chinois"),
    "fsl": _("langue des signes française"),
}


def language_label(code: str) -> str:
    return str(LANGUAGES.get(code, code))
