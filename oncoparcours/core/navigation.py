"""The main menu: each entry names the roles that see it (role-aware navigation)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import RoleCode

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

R = RoleCode
ALL_ROLES = frozenset(RoleCode)


@dataclass(frozen=True)
class NavEntry:
    label: "StrPromise"
    url_name: str
    roles: frozenset[RoleCode]


NAV: tuple[NavEntry, ...] = (
    NavEntry(_("Accueil"), "core:home", ALL_ROLES),
    NavEntry(
        _("Parcours"), "pathways:list", frozenset({R.COORDINATOR, R.DIRECTORY_EDITOR, R.ADMIN})
    ),
    NavEntry(
        _("Prescrire"),
        "pathways:prescribe",
        frozenset({R.PRESCRIBER, R.HOSPITAL_ONCOLOGIST}),
    ),
    NavEntry(
        _("Mes prescriptions"),
        "pathways:prescriptions",
        frozenset({R.PRESCRIBER, R.HOSPITAL_ONCOLOGIST}),
    ),
    NavEntry(
        _("Mon espace"),
        "professionals:workspace",
        frozenset({R.APA_PROFESSIONAL, R.DIETITIAN, R.PSYCHOLOGIST}),
    ),
    NavEntry(
        _("Mon agenda"),
        "pathways:agenda",
        frozenset({R.APA_PROFESSIONAL, R.DIETITIAN, R.PSYCHOLOGIST}),
    ),
    NavEntry(_("Patients"), "patients:list", frozenset({R.COORDINATOR})),
    NavEntry(_("Professionnels"), "professionals:list", frozenset({R.COORDINATOR})),
    NavEntry(
        _("Paiements"),
        "payments:list",
        frozenset({R.COORDINATOR, R.APA_PROFESSIONAL, R.DIETITIAN, R.PSYCHOLOGIST}),
    ),
    NavEntry(
        _("Mon profil professionnel"),
        "professionals:me",
        frozenset({R.APA_PROFESSIONAL, R.DIETITIAN, R.PSYCHOLOGIST}),
    ),
    NavEntry(_("Tâches"), "coordination:list", ALL_ROLES - {R.PATIENT, R.ARS_ANALYST}),
    NavEntry(
        _("Organisations"),
        "organisations:list",
        frozenset({R.ADMIN, R.ARS_ANALYST, R.DIRECTORY_EDITOR, R.COORDINATOR}),
    ),
    NavEntry(
        _("Territoires"),
        "territories:list",
        frozenset({R.ADMIN, R.ARS_ANALYST, R.DIRECTORY_EDITOR, R.COORDINATOR}),
    ),
    NavEntry(_("Communes"), "territories:commune-search", ALL_ROLES - {R.PATIENT}),
    NavEntry(_("Répertoire"), "directory:search", ALL_ROLES),
    NavEntry(
        _("Gestion du répertoire"),
        "directory:editor-list",
        frozenset({R.DIRECTORY_EDITOR, R.ADMIN}),
    ),
    NavEntry(
        _("Couverture"),
        "directory:coverage",
        frozenset({R.DIRECTORY_EDITOR, R.ADMIN, R.ARS_ANALYST}),
    ),
    # Funding (issue 6): the ARS manages it; a coordinator sees their structure's figures.
    NavEntry(_("Financement"), "funding:home", frozenset({R.ARS_ANALYST, R.COORDINATOR})),
    NavEntry(
        _("Indicateurs"),
        "evaluation:indicators",
        frozenset({R.ARS_ANALYST, R.DIRECTORY_EDITOR, R.COORDINATOR}),
    ),
    NavEntry(
        _("Tableau de bord"),
        "evaluation:dashboard",
        frozenset({R.ARS_ANALYST, R.DIRECTORY_EDITOR, R.COORDINATOR}),
    ),
    # Patient-level, even pseudonymised: the ARS analyst only (issue 6 §5).
    NavEntry(_("Exports"), "evaluation:exports", frozenset({R.ARS_ANALYST})),
    # PSG-17: the coordinator writes the structure's annual report; the ARS reads submitted ones.
    NavEntry(
        _("Rapports annuels"),
        "evaluation:annual-reports",
        frozenset({R.ARS_ANALYST, R.COORDINATOR}),
    ),
    NavEntry(
        _("Paramètres réglementaires"),
        "regulation:list",
        frozenset({R.ADMIN, R.ARS_ANALYST, R.COORDINATOR}),
    ),
)


def nav_for(membership: Membership | None, current_path: str) -> list[dict[str, object]]:
    if membership is None:
        return []
    items = []
    for entry in NAV:
        if RoleCode(membership.role) not in entry.roles:
            continue
        url = reverse(entry.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    # One current entry: the most specific one ("/repertoire/gestion/" over "/repertoire/").
    current = max((i for i in items if i["active"]), key=lambda i: len(str(i["url"])), default=None)
    for item in items:
        item["active"] = item is current
    return items
