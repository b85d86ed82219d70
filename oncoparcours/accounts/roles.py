"""The roles of OncoParcours, declared once.

A role is held through a membership in an organisation. Each row says what the role is, in
French for the UI, which kinds of organisation may hold it, whether it is a staff role (second
factor required) and which home page it lands on. Permission predicates read this table; no
other module lists roles.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class RoleCode(StrEnum):
    PRESCRIBER = "prescriber"
    COORDINATOR = "coordinator"
    APA_PROFESSIONAL = "apa_professional"
    DIETITIAN = "dietitian"
    PSYCHOLOGIST = "psychologist"
    HOSPITAL_ONCOLOGIST = "hospital_oncologist"
    HOSPITAL_PHARMACIST = "hospital_pharmacist"
    HOSPITAL_NURSE = "hospital_nurse"
    IDEC = "idec"
    COMMUNITY_PHARMACIST = "community_pharmacist"
    COMMUNITY_NURSE = "community_nurse"
    PATIENT = "patient"
    ARS_ANALYST = "ars_analyst"
    DIRECTORY_EDITOR = "directory_editor"
    ADMIN = "admin"


# Who carries out the PSGAC prestations (PSG-12/13): APA professionals, dietitians, psychologists.
PSGAC_PROFESSIONAL_ROLES = frozenset(
    {RoleCode.APA_PROFESSIONAL, RoleCode.DIETITIAN, RoleCode.PSYCHOLOGIST}
)


class OrgKind(StrEnum):
    STRUCTURE_PORTEUSE = "structure_porteuse"
    HEALTH_ESTABLISHMENT = "health_establishment"
    DAPAP = "dapap"
    PATIENT_ASSOCIATION = "patient_association"
    ARS = "ars"
    DSRC = "dsrc"
    COMMUNITY_PRACTICE = "community_practice"
    PHARMACY = "pharmacy"


ANY_KIND = frozenset(OrgKind)
CARE_PLACES = frozenset(
    {OrgKind.STRUCTURE_PORTEUSE, OrgKind.HEALTH_ESTABLISHMENT, OrgKind.COMMUNITY_PRACTICE}
)


@dataclass(frozen=True)
class Role:
    code: RoleCode
    label: "StrPromise"
    description: "StrPromise"
    org_kinds: frozenset[OrgKind]
    staff: bool
    home_template: str


ROLES: dict[RoleCode, Role] = {
    role.code: role
    for role in (
        Role(
            RoleCode.PRESCRIBER,
            _("Médecin prescripteur"),
            _(
                "Oncologue, médecin traitant ou pédiatre : prescrit le parcours de soins global "
                "après cancer et reçoit les comptes rendus."
            ),
            CARE_PLACES,
            True,
            "core/home/prescriber.html",
        ),
        Role(
            RoleCode.COORDINATOR,
            _("Coordinateur de structure"),
            _(
                "Organise les parcours de la structure porteuse : reçoit les prescriptions, "
                "contacte les patients, planifie les bilans, suit le budget et l'évaluation."
            ),
            frozenset({OrgKind.STRUCTURE_PORTEUSE}),
            True,
            "core/home/coordinator.html",
        ),
        Role(
            RoleCode.APA_PROFESSIONAL,
            _("Professionnel de l'activité physique adaptée"),
            _("Réalise les bilans fonctionnels et motivationnels et rédige le projet d'APA."),
            frozenset({OrgKind.STRUCTURE_PORTEUSE, OrgKind.DAPAP, OrgKind.HEALTH_ESTABLISHMENT}),
            True,
            "core/home/professional.html",
        ),
        Role(
            RoleCode.DIETITIAN,
            _("Diététicien"),
            _("Réalise les bilans et consultations de suivi diététiques."),
            CARE_PLACES,
            True,
            "core/home/professional.html",
        ),
        Role(
            RoleCode.PSYCHOLOGIST,
            _("Psychologue"),
            _("Réalise les bilans et consultations de suivi psychologiques."),
            CARE_PLACES,
            True,
            "core/home/professional.html",
        ),
        Role(
            RoleCode.HOSPITAL_ONCOLOGIST,
            _("Oncologue hospitalier"),
            _(
                "Primo-prescription des anticancéreux oraux, chirurgie ambulatoire, suivi hospitalier."
            ),
            frozenset({OrgKind.HEALTH_ESTABLISHMENT}),
            True,
            "core/home/hospital.html",
        ),
        Role(
            RoleCode.HOSPITAL_PHARMACIST,
            _("Pharmacien hospitalier"),
            _("Analyse pharmaceutique et entretiens de primo-prescription."),
            frozenset({OrgKind.HEALTH_ESTABLISHMENT}),
            True,
            "core/home/hospital.html",
        ),
        Role(
            RoleCode.HOSPITAL_NURSE,
            _("Infirmier hospitalier"),
            _("Consultations infirmières, appels pré et post-opératoires, suivi des effets."),
            frozenset({OrgKind.HEALTH_ESTABLISHMENT}),
            True,
            "core/home/hospital.html",
        ),
        Role(
            RoleCode.IDEC,
            _("Infirmier de coordination (IDEC)"),
            _("Coordonne les patients complexes entre l'hôpital et la ville sur une liste unique."),
            frozenset(
                {
                    OrgKind.HEALTH_ESTABLISHMENT,
                    OrgKind.STRUCTURE_PORTEUSE,
                    OrgKind.COMMUNITY_PRACTICE,
                }
            ),
            True,
            "core/home/idec.html",
        ),
        Role(
            RoleCode.COMMUNITY_PHARMACIST,
            _("Pharmacien d'officine"),
            _("Entretiens pharmaceutiques et suivi des anticancéreux oraux en ville."),
            frozenset({OrgKind.PHARMACY}),
            True,
            "core/home/community.html",
        ),
        Role(
            RoleCode.COMMUNITY_NURSE,
            _("Infirmier libéral"),
            _("Suivi à domicile des patients sous traitement oral et après chirurgie."),
            frozenset({OrgKind.COMMUNITY_PRACTICE}),
            True,
            "core/home/community.html",
        ),
        Role(
            RoleCode.PATIENT,
            _("Patient"),
            _("Consulte son parcours, ses rendez-vous et déclare ses symptômes."),
            frozenset({OrgKind.STRUCTURE_PORTEUSE, OrgKind.HEALTH_ESTABLISHMENT}),
            False,
            "core/home/patient.html",
        ),
        Role(
            RoleCode.ARS_ANALYST,
            _("Analyste ARS"),
            _(
                "Suit les indicateurs agrégés et l'équité territoriale ; ne voit aucune donnée "
                "nominative."
            ),
            frozenset({OrgKind.ARS, OrgKind.DSRC}),
            True,
            "core/home/ars.html",
        ),
        Role(
            RoleCode.DIRECTORY_EDITOR,
            _("Éditeur du répertoire régional"),
            _("Tient à jour le répertoire régional des soins oncologiques de support (ONCO AURA)."),
            frozenset({OrgKind.DSRC}),
            True,
            "core/home/directory_editor.html",
        ),
        Role(
            RoleCode.ADMIN,
            _("Administrateur"),
            _("Gère les organisations, les comptes, les rôles et le référentiel géographique."),
            ANY_KIND,
            True,
            "core/home/admin.html",
        ),
    )
}

ROLE_CHOICES = [(role.code.value, role.label) for role in ROLES.values()]
