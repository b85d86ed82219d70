"""Writes on a professional's profile: profession, identifiers, qualification, practice place.

Permission checks are the caller's (``permissions.py``); the rules here hold whoever calls.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, Profession, User
from oncoparcours.core.errors import Errors
from oncoparcours.core.identifiers import clean_adeli, clean_rpps
from oncoparcours.pathways.rules.prestations import APA_PROFESSIONS
from oncoparcours.professionals.models import EventKind, ProfessionalProfile, QualificationCategory
from oncoparcours.professionals.services._events import record_event
from oncoparcours.territories.selectors import commune_get

PROFILE_FIELDS = (
    "profession",
    "rpps",
    "adeli",
    "qualification_code",
    "commune_insee",
    "practice_address",
    "video_consultations",
)


def _current(user: User, profile: ProfessionalProfile) -> dict[str, Any]:
    return {
        "profession": user.profession,
        "rpps": user.rpps,
        "adeli": profile.adeli,
        "qualification_code": profile.qualification_category.code
        if profile.qualification_category
        else "",
        "commune_insee": profile.practice_commune_id or "",
        "practice_address": profile.practice_address,
        "video_consultations": profile.video_consultations,
    }


@transaction.atomic
def profile_update(*, by: Membership, professional: User, **fields: Any) -> ProfessionalProfile:
    """Changes the given fields; the whole profile is validated again as it would become."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"profile_update() got unexpected fields: {sorted(unknown)}")
    profile = (
        ProfessionalProfile.objects.select_for_update(of=("self",))
        .select_related("qualification_category")
        .filter(user=professional)
        .first()
    ) or ProfessionalProfile(user=professional)
    before = _current(professional, profile)
    values = {**before, **{k: v if v is not None else before[k] for k, v in fields.items()}}
    errors = Errors()

    profession = str(values["profession"] or "").strip()
    if profession and profession not in Profession.values:
        errors.new("profession", _("Profession inconnue."), "profile.profession_invalid")
    rpps = str(values["rpps"] or "").strip()
    if rpps:
        rpps = errors.clean("rpps", clean_rpps, rpps) or ""
        if rpps and User.objects.filter(rpps=rpps).exclude(pk=professional.pk).exists():
            errors.new("rpps", _("Ce numéro RPPS est déjà utilisé."), "profile.rpps_taken")
    adeli = str(values["adeli"] or "").strip()
    if adeli:
        adeli = errors.clean("adeli", clean_adeli, adeli) or ""

    category: QualificationCategory | None = None
    code = str(values["qualification_code"] or "").strip()
    if code:
        category = QualificationCategory.objects.filter(code=code).first()
        if category is None or (not category.active and code != before["qualification_code"]):
            errors.new(
                "qualification_code",
                _("Catégorie de qualification inconnue."),
                "profile.qualification_invalid",
            )
        elif profession not in APA_PROFESSIONS:
            # PSG-13: the D.1172-2 categories qualify APA professionals only.
            errors.new(
                "qualification_code",
                _(
                    "Seuls les professionnels de l'activité physique adaptée ont une catégorie "
                    "de qualification (art. D.1172-2 CSP)."
                ),
                "profile.qualification_not_apa",
            )

    commune = None
    insee = str(values["commune_insee"] or "").strip()
    if insee:
        commune = commune_get(insee)
        if commune is None:
            errors.new(
                "commune_insee",
                _("Aucune commune ne porte le code INSEE %(insee)s."),
                "profile.commune_unknown",
                insee=insee,
            )
    address = str(values["practice_address"] or "").strip()
    if len(address) > 250:
        errors.new(
            "practice_address",
            _("L'adresse ne peut pas dépasser 250 caractères."),
            "profile.address_too_long",
        )
    errors.raise_if_any(where="profile_update", by=by)

    professional.profession = profession
    professional.rpps = rpps
    profile.adeli = adeli
    profile.qualification_category = category
    profile.practice_commune = commune
    profile.practice_address = address
    profile.video_consultations = bool(values["video_consultations"])
    try:
        with transaction.atomic():
            professional.save(update_fields=["profession", "rpps"])
    except IntegrityError:
        errors.new("rpps", _("Ce numéro RPPS est déjà utilisé."), "profile.rpps_taken")
        errors.raise_if_any(where="profile_update", by=by)
    profile.save()
    after = _current(professional, profile)
    changed = sorted(k for k in PROFILE_FIELDS if after[k] != before[k])
    if changed:
        record_event(
            professional=professional, kind=EventKind.PROFILE_UPDATED, by=by, fields=changed
        )
    return profile
