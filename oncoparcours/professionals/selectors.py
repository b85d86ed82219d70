from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.organisations.models import Organisation
from oncoparcours.professionals.models import (
    Contract,
    Diploma,
    ProfessionalProfile,
    QualificationCategory,
)
from oncoparcours.professionals.permissions import active_professional_memberships


def _professionals_of(structure: Organisation) -> Q:
    members = Membership.objects.filter(active_professional_memberships(), organisation=structure)
    contracted = Contract.objects.filter(structure=structure)
    return Q(pk__in=members.values("user")) | Q(pk__in=contracted.values("professional"))


@dataclass(frozen=True)
class ProfessionalRow:
    user: User
    profile: ProfessionalProfile | None
    current_contract: Contract | None


def structure_professional_list(structure: Organisation, *, today: date) -> list[ProfessionalRow]:
    """The structure's professionals with their contract in force today (two queries)."""
    users = (
        User.objects.filter(_professionals_of(structure))
        .select_related("professional_profile__qualification_category")
        .prefetch_related(
            Prefetch(
                "contracts",
                queryset=Contract.objects.filter(structure=structure),
                to_attr="structure_contracts",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    rows = []
    for user in users:
        contracts: list[Contract] = user.structure_contracts
        current = next((c for c in contracts if c.in_force_on(today)), None)
        rows.append(ProfessionalRow(user, profile_of(user), current))
    return rows


def profile_of(user: User) -> ProfessionalProfile | None:
    try:
        return user.professional_profile
    except ProfessionalProfile.DoesNotExist:
        return None


def contract_list(structure: Organisation) -> QuerySet[Contract]:
    """Every contract of the structure, current and past (history)."""
    return (
        Contract.objects.filter(structure=structure)
        .select_related("professional", "structure")
        .order_by("-start_date", "pk")
    )


def professional_contract_list(user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(professional=user).select_related("structure", "professional")


def diploma_list(user: User, *, include_archived: bool = False) -> QuerySet[Diploma]:
    diplomas = Diploma.objects.filter(professional=user).select_related("professional")
    if not include_archived:
        diplomas = diplomas.filter(archived_at__isnull=True)
    return diplomas.order_by("-obtained_on", "pk")


def structure_diploma_list(structure: Organisation) -> QuerySet[Diploma]:
    """Current diplomas of the structure's professionals (PSG-15: what the ARS receives)."""
    return (
        Diploma.objects.filter(archived_at__isnull=True)
        .filter(professional__in=User.objects.filter(_professionals_of(structure)))
        .select_related("professional")
        .order_by("professional__last_name", "professional__first_name", "-obtained_on", "pk")
    )


def structure_porteuse_list() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True
    ).order_by("name", "pk")


def qualification_category_list() -> QuerySet[QualificationCategory]:
    return QualificationCategory.objects.filter(active=True).order_by("code")


def structure_member_professional_list(structure: Organisation) -> list[User]:
    """Who may get a contract: the people holding a professional role there now."""
    members = Membership.objects.filter(active_professional_memberships(), organisation=structure)
    return list(
        User.objects.filter(pk__in=members.values("user")).order_by("last_name", "first_name", "pk")
    )


def professional_event_count(user: User) -> int:
    return user.professional_events.count()
