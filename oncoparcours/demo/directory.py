"""The demo's supportive-care directory: some 450 fictitious offers over AURA, written through
the directory's services (so every demo offer passes the same checks as a real one).

Communes are drawn by population, so cities hold most offers and the rural coverage gaps show
on the coverage page. Every care type is offered to every audience at least once; APA
sessions come from the DAPAP, sport-health clubs and associations; about one offer in ten is
stale (not verified for more than 12 months) and a few are archived. Deterministic: a stream
of its own (``{seed}-directory``), so the rest of the demo is unchanged by it.
"""

import random
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, Profession, User
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import DEMO_DOMAIN, LYON
from oncoparcours.demo.coverage import CommuneRow
from oncoparcours.directory.catalogue import Audience, CareType, Cost, Source
from oncoparcours.directory.models import Offer
from oncoparcours.directory.services import (
    offer_archive,
    offer_change_propose,
    offer_create,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import CommunePostalCode

RANDOM_OFFERS = 420
STALE_SHARE = 0.10
ARCHIVED = 8
REMOTE_ONLY_SHARE = 0.05
# The browser test looks for it: a free psychological support offer for AJA in Lyon.
AJA_ANCHOR_TITLE = "Soutien psychologique jeunes adultes — Lyon (démo)"

_TITLES: dict[str, tuple[str, ...]] = {
    CareType.PAIN: ("Consultation douleur", "Hypnose et gestion de la douleur", "Atelier douleur chronique"),
    CareType.NUTRITION: ("Consultation diététique", "Atelier cuisine et nutrition", "Bilan nutritionnel"),
    CareType.PSYCHOLOGICAL: ("Soutien psychologique individuel", "Groupe de parole", "Sophrologie", "Consultation de psycho-oncologie"),
    CareType.SOCIAL: ("Permanence sociale", "Accompagnement au retour à l'emploi", "Aide aux démarches administratives"),
    CareType.APA: ("Activité physique adaptée en groupe", "Marche nordique santé", "Gym douce après cancer", "Aquagym adaptée", "Yoga adapté"),
    CareType.LIFESTYLE: ("Consultation d'aide à l'arrêt du tabac", "Atelier sommeil et fatigue", "Consultation d'addictologie"),
    CareType.CARERS: ("Groupe de parole des proches", "Soutien aux aidants", "Café des aidants"),
    CareType.FERTILITY: ("Consultation de préservation de la fertilité", "Information fertilité et cancer"),
    CareType.SEXUAL_HEALTH: ("Consultation de santé sexuelle", "Atelier vie intime après cancer"),
    CareType.SOCIO_ESTHETICS: ("Soins socio-esthétiques", "Atelier image de soi", "Conseil en image et prothèses capillaires"),
}  # fmt: skip
# How often each type appears among the random offers (APA and psychological support lead,
# as in the AURA survey's answers).
_TYPE_WEIGHTS: dict[str, int] = {
    CareType.APA: 22,
    CareType.PSYCHOLOGICAL: 18,
    CareType.NUTRITION: 14,
    CareType.SOCIAL: 9,
    CareType.SOCIO_ESTHETICS: 9,
    CareType.CARERS: 8,
    CareType.PAIN: 7,
    CareType.LIFESTYLE: 6,
    CareType.SEXUAL_HEALTH: 4,
    CareType.FERTILITY: 3,
}
_HOSPITAL_TYPES = {CareType.PAIN, CareType.FERTILITY, CareType.SEXUAL_HEALTH}
_PSGAC_TYPES = {CareType.PSYCHOLOGICAL, CareType.NUTRITION, CareType.APA}
_PROFESSIONS: dict[str, Profession] = {
    CareType.PSYCHOLOGICAL: Profession.PSYCHOLOGIST,
    CareType.CARERS: Profession.PSYCHOLOGIST,
    CareType.NUTRITION: Profession.DIETITIAN,
    CareType.APA: Profession.APA_TEACHER,
}
_DAPAP_DEPARTMENTS = {"dapap-rhone": ("69", "42"), "dapap-auvergne": ("63", "03", "15", "43")}


class DirectoryMixin(LoaderBase):
    def _create_directory(self) -> None:
        editor = (
            Membership.objects.filter(role=RoleCode.DIRECTORY_EDITOR, ended_at__isnull=True)
            .filter(user__email__iendswith=f"@{DEMO_DOMAIN}")
            .select_related("organisation")
            .first()
        )
        located = [c for c in self.communes.values() if c.latitude is not None]
        if editor is None or not located:
            self.result.warnings.append(
                _("Répertoire : aucun compte éditeur de démonstration, offres non créées.")
            )
            return
        self.directory_rng = random.Random(f"{self.seed}-directory")
        self.directory_ids = random.Random(f"{self.seed}-directory-ids")
        self.directory_editor = editor
        self._postal_codes = self._first_postal_codes()
        self._professionals = self._directory_professionals()
        self._taken: set[tuple[str, str]] = set()
        offers: list[Offer] = [self._aja_anchor()]
        # Every care type for every audience, then a population-weighted spread.
        for care_type in CareType.values:
            for audience in Audience.values:
                offers.append(self._offer(care_type, [audience], self._commune(located)))
        types = list(_TYPE_WEIGHTS)
        weights = list(_TYPE_WEIGHTS.values())
        for _index in range(RANDOM_OFFERS):
            care_type = self.directory_rng.choices(types, weights)[0]
            offers.append(self._offer(care_type, self._audiences(), self._commune(located)))
        for offer in self.directory_rng.sample(offers[1:], ARCHIVED):
            offer_archive(by=editor, offer=offer)
        self._renumber(offers)
        self._proposals(offers)
        self.result.counts["directory_offers"] = len(offers)
        self.result.counts["directory_archived"] = ARCHIVED

    # Reference data -------------------------------------------------------------------------

    def _first_postal_codes(self) -> dict[str, str]:
        codes: dict[str, str] = {}
        for insee, postal in CommunePostalCode.objects.order_by("-postal_code").values_list(
            "commune_id", "postal_code"
        ):
            codes[insee] = postal  # the smallest code wins
        return codes

    def _directory_professionals(self) -> dict[str, list[User]]:
        found: dict[str, list[User]] = {}
        for user in User.objects.filter(
            email__iendswith=f"@pro.{DEMO_DOMAIN}",
            profession__in=[p.value for p in set(_PROFESSIONS.values())],
        ).order_by("email"):
            found.setdefault(user.profession, []).append(user)
        return found

    def _commune(self, located: Sequence[CommuneRow]) -> CommuneRow:
        weights = [max(c.population, 1) for c in located]
        return self.directory_rng.choices(located, weights)[0]

    def _audiences(self) -> list[str]:
        rng = self.directory_rng
        audiences = ["adults"] if rng.random() < 0.85 else []
        for code, share in (("aja", 0.15), ("carers", 0.15), ("children", 0.05)):
            if rng.random() < share:
                audiences.append(code)
        return audiences or ["adults"]

    # Offers ---------------------------------------------------------------------------------

    def _organisation(self, key: str) -> Organisation | None:
        return self.organisations.get(key)

    def _provider(self, care_type: str, commune: CommuneRow) -> dict[str, Any]:
        """Who provides it, and what it costs: the kind of provider decides the cost."""
        rng = self.directory_rng
        dep = commune.department
        if care_type == CareType.APA:
            for key, departments in _DAPAP_DEPARTMENTS.items():
                dapap = self._organisation(key)
                if dep in departments and dapap is not None and rng.random() < 0.4:
                    return {"provider_organisation": dapap, "cost": Cost.FREE}
            if rng.random() < 0.6:
                name = f"Club sport-santé fictif de {commune.name} (démo)"
                return {"provider_name": name, "cost": Cost.MEMBERSHIP}
        if care_type in _HOSPITAL_TYPES:
            hospital = next(
                (o for k, o in self.organisations.items() if k.startswith("es-") and o.commune_id and o.commune_id[:2] == dep),
                None,
            )  # fmt: skip
            if hospital is not None and rng.random() < 0.7:
                return {
                    "provider_organisation": hospital,
                    "cost": Cost.FREE,
                    "requires_prescription": True,
                }
            return {
                "provider_name": f"Centre hospitalier fictif de {commune.name} (démo)",
                "cost": Cost.FREE,
            }
        structure = self._organisation(f"sp-{dep}")
        if care_type in _PSGAC_TYPES and structure is not None and rng.random() < 0.35:
            return {
                "provider_organisation": structure,
                "cost": Cost.PSGAC,
                "requires_prescription": True,
            }
        profession = _PROFESSIONS.get(care_type)
        people = self._professionals.get(profession.value, []) if profession else []
        if people and rng.random() < 0.3:
            return {"provider_professional": rng.choice(people), "cost": Cost.COPAYMENT}
        association = self._organisation("association-patients")
        if dep == "69" and association is not None and rng.random() < 0.3:
            return {"provider_organisation": association, "cost": Cost.FREE}
        name = rng.choice(
            (
                f"Association fictive Ensemble à {commune.name} (démo)",
                f"Comité départemental fictif de lutte contre le cancer ({dep}) (démo)",
                f"Espace fictif de rencontres et d'information de {commune.name} (démo)",
            )
        )
        return {"provider_name": name, "cost": rng.choice((Cost.FREE, Cost.FREE, Cost.MEMBERSHIP))}

    def _offer(self, care_type: str, audiences: list[str], commune: CommuneRow) -> Offer:
        rng = self.directory_rng
        provider = self._provider(care_type, commune)
        base = rng.choice(_TITLES[care_type])
        if "aja" in audiences and rng.random() < 0.5:
            base += " jeunes adultes"
        title = f"{base} — {commune.name} (démo)"
        suffix = 2
        while (title, commune.insee) in self._taken:
            title = f"{base} ({suffix}) — {commune.name} (démo)"
            suffix += 1
        self._taken.add((title, commune.insee))
        remote_only = rng.random() < REMOTE_ONLY_SHARE
        modes = ["remote"] if remote_only else ["in_person"]
        if (
            not remote_only
            and care_type in (CareType.SOCIO_ESTHETICS, CareType.NUTRITION, CareType.SOCIAL)
            and rng.random() < 0.3
        ):
            modes.append("home")
        if not remote_only and rng.random() < 0.15:
            modes.append("remote")
        formats = rng.choice((["individual"], ["group"], ["individual", "group"]))
        if care_type == CareType.APA:
            formats = ["group"] if rng.random() < 0.8 else ["individual", "group"]
        verified = None if rng.random() < 0.03 else self.today - timedelta(days=rng.randint(5, 340))
        if rng.random() < STALE_SHARE:
            verified = self.today - timedelta(days=rng.randint(380, 900))
        at_address = (
            rng.random() < 0.6 and commune.latitude is not None and commune.longitude is not None
        )
        fields: dict[str, Any] = {
            "title": title,
            "description": _("Offre fictive de démonstration : %(type)s.") % {"type": CareType(care_type).label},
            "care_type": care_type,
            "audiences": audiences,
            "moment": rng.choice(("during", "after", "both", "both")),
            "group_formats": formats,
            "delivery_modes": modes,
            "address": f"{rng.randint(1, 120)} rue fictive de la Démonstration",
            "postal_code": self._postal_codes.get(commune.insee, ""),
            "commune_insee": commune.insee,
            "accessible": rng.random() < 0.7,
            "languages": ["fr"] + (["en"] if rng.random() < 0.15 else []) + (["ar"] if rng.random() < 0.05 else []),
            "phone": f"04 99 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "email": f"offre-{len(self._taken)}@{DEMO_DOMAIN}",
            "opening_hours": rng.choice(("Lundi au vendredi, 9 h - 17 h", "Mardi et jeudi, 14 h - 18 h", "Sur rendez-vous")),
            "inclusion_criteria_met": rng.random() < 0.85,
            "last_verified_at": verified,
            "source": rng.choice((Source.SURVEY, Source.SURVEY, Source.SELF_DECLARATION, Source.DSRC_VERIFICATION)),
            **provider,
        }  # fmt: skip
        if at_address:
            assert commune.latitude is not None
            assert commune.longitude is not None
            # A street of the commune: within about a kilometre of the town hall.
            fields["latitude"] = round(commune.latitude + rng.uniform(-0.008, 0.008), 5)
            fields["longitude"] = round(commune.longitude + rng.uniform(-0.011, 0.011), 5)
        return offer_create(by=self.directory_editor, **fields)

    def _aja_anchor(self) -> Offer:
        """Always in Lyon, always free and for AJA: what the browser test searches for."""
        lyon = self.communes.get(LYON)
        provider = self._organisation("aja-lyon")
        fields: dict[str, Any] = {
            "title": AJA_ANCHOR_TITLE,
            "description": _(
                "Entretiens et groupe de parole avec une psychologue pour les 15-25 ans pendant "
                "et après les traitements. Offre fictive de démonstration."
            ),
            "care_type": CareType.PSYCHOLOGICAL,
            "audiences": [Audience.AJA],
            "group_formats": ["individual", "group"],
            "delivery_modes": ["in_person"],
            "cost": Cost.FREE,
            "provider_name": "Espace jeunes adultes fictif de Lyon (démo)",
            "provider_organisation": provider,
            "address": "8 rue fictive des Jeunes",
            "postal_code": "69003",
            "commune_insee": LYON if lyon else next(iter(self.communes)),
            "accessible": True,
            "languages": ["fr", "en"],
            "phone": "04 99 00 15 25",
            "email": f"aja-psy@{DEMO_DOMAIN}",
            "opening_hours": "Mercredi 13 h - 19 h, samedi 10 h - 13 h",
            "inclusion_criteria_met": True,
            "last_verified_at": self.today - timedelta(days=30),
            "source": Source.DSRC_VERIFICATION,
        }
        if lyon is None:
            fields["postal_code"] = ""
        self._taken.add((AJA_ANCHOR_TITLE, LYON))
        return offer_create(by=self.directory_editor, **fields)

    def _renumber(self, offers: list[Offer]) -> None:
        """Public ids from the seed, so that a seed always gives the same offer URLs."""
        for offer in offers:
            offer.public_id = uuid.UUID(int=self.directory_ids.getrandbits(128), version=4)
        Offer.objects.bulk_update(offers, ["public_id"], batch_size=200)

    def _proposals(self, offers: list[Offer]) -> None:
        """A few pending proposals from providers, so the editors' queue is not empty."""
        made = 0
        for offer in offers:
            if made >= 3 or offer.archived_at is not None or offer.provider_organisation_id is None:
                continue
            member = (
                Membership.objects.filter(organisation_id=offer.provider_organisation_id, ended_at__isnull=True)
                .order_by("pk")
                .first()
            )  # fmt: skip
            if member is None:
                continue
            offer_change_propose(
                by=member,
                offer=offer,
                changes={"opening_hours": "Lundi, mercredi et vendredi, 9 h - 12 h"},
                note=_("Nos horaires changent à la rentrée."),
            )
            made += 1
        self.result.counts["directory_proposals"] = made
