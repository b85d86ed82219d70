"""Who may see and change professionals' files, diplomas and contracts.

The coordinator of a structure porteuse manages the professionals who work for it (an active
professional role there, or a contract with it); a professional manages their own profile and
diplomas; the ARS analyst reads diplomas (PSG-15); an administrator does everything.
"""

from uuid import UUID

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.permissions import acts_for, has_role, is_admin
from oncoparcours.accounts.roles import PSGAC_PROFESSIONAL_ROLES, OrgKind, RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.professionals.models import Contract, Diploma

PROFESSIONAL_ROLES = PSGAC_PROFESSIONAL_ROLES


def active_professional_memberships() -> Q:
    now = timezone.now()
    return Q(role__in=PROFESSIONAL_ROLES) & (Q(ended_at__isnull=True) | Q(ended_at__gt=now))


def works_for(user: User, organisation_id: int) -> bool:
    """A professional role there now, or a contract with it (past ones included: history)."""
    return (
        Membership.objects.filter(active_professional_memberships())
        .filter(user=user, organisation_id=organisation_id)
        .exists()
        or Contract.objects.filter(professional=user, structure_id=organisation_id).exists()
    )


def is_professional(actor: Membership | None) -> bool:
    return actor is not None and actor.role in PROFESSIONAL_ROLES


def is_self(actor: Membership | None, user: User) -> bool:
    return is_professional(actor) and actor is not None and actor.user_id == user.pk


def _coordinates(actor: Membership | None, user: User) -> bool:
    return has_role(actor, RoleCode.COORDINATOR) and works_for(user, actor.organisation_id)  # type: ignore[union-attr]


def can_view_professional(actor: Membership | None, user: User) -> bool:
    return is_admin(actor) or is_self(actor, user) or _coordinates(actor, user)


def can_edit_profile(actor: Membership | None, user: User) -> bool:
    return can_view_professional(actor, user)


def can_add_diploma(actor: Membership | None, user: User) -> bool:
    return can_view_professional(actor, user)


def can_archive_diploma(actor: Membership | None, diploma: Diploma) -> bool:
    return can_view_professional(actor, diploma.professional)


def _works_for_a_structure(user: User) -> bool:
    return (
        Membership.objects.filter(active_professional_memberships())
        .filter(user=user, organisation__kind=OrgKind.STRUCTURE_PORTEUSE)
        .exists()
        or Contract.objects.filter(professional=user).exists()
    )


def can_view_diploma(actor: Membership | None, diploma: Diploma) -> bool:
    """PSG-15: the ARS receives the training titles of the structures' professionals."""
    if has_role(actor, RoleCode.ARS_ANALYST):
        return _works_for_a_structure(diploma.professional)
    return can_view_professional(actor, diploma.professional)


def can_manage_contracts(actor: Membership | None, structure: Organisation) -> bool:
    if structure.kind != OrgKind.STRUCTURE_PORTEUSE:
        return False
    return is_admin(actor) or (
        has_role(actor, RoleCode.COORDINATOR) and acts_for(actor, structure.pk)
    )


def can_list_structure_diplomas(actor: Membership | None, structure: Organisation) -> bool:
    if structure.kind != OrgKind.STRUCTURE_PORTEUSE:
        return False
    return has_role(actor, RoleCode.ARS_ANALYST) or can_manage_contracts(actor, structure)


def can_list_structures_diplomas(actor: Membership | None) -> bool:
    return has_role(actor, RoleCode.ARS_ANALYST, RoleCode.ADMIN)


def access_professional(actor: Membership | None, public_id: UUID | str) -> User:
    user = User.objects.filter(public_id=public_id).first()
    if user is None or not can_view_professional(actor, user):
        raise Http404
    return user


def access_structure(actor: Membership | None, public_id: UUID | str) -> Organisation:
    """A structure porteuse whose contracts or diplomas the actor may read, else 404."""
    structure = Organisation.objects.filter(
        public_id=public_id, kind=OrgKind.STRUCTURE_PORTEUSE
    ).first()
    if structure is None or not can_list_structure_diplomas(actor, structure):
        raise Http404
    return structure


def access_diploma(actor: Membership | None, public_id: UUID | str) -> Diploma:
    diploma = Diploma.objects.select_related("professional").filter(public_id=public_id).first()
    if diploma is None or not can_view_diploma(actor, diploma):
        raise Http404
    return diploma


def access_contract(actor: Membership | None, public_id: UUID | str) -> Contract:
    contract = (
        Contract.objects.select_related("structure", "professional")
        .filter(public_id=public_id)
        .first()
    )
    if contract is None or not (
        can_manage_contracts(actor, contract.structure)
        or can_view_professional(actor, contract.professional)
    ):
        raise Http404
    return contract
