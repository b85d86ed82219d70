from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from oncoparcours.accounts.roles import ROLES
from oncoparcours.accounts.selectors import membership_list_for_user
from oncoparcours.core.api import actor

router = Router(tags=["Comptes"])


class RoleOut(Schema):
    code: str
    label: str
    description: str
    staff: bool
    org_kinds: list[str]


class MembershipOut(Schema):
    id: UUID
    role: str
    role_label: str
    organisation_id: UUID
    organisation_name: str


class MeOut(Schema):
    id: UUID
    email: str
    first_name: str
    last_name: str
    active_membership: MembershipOut
    memberships: list[MembershipOut]


def _membership_out(m: object) -> MembershipOut:
    from oncoparcours.accounts.models import Membership

    assert isinstance(m, Membership)
    return MembershipOut(
        id=m.public_id,
        role=m.role,
        role_label=str(m.role_info.label),
        organisation_id=m.organisation.public_id,
        organisation_name=m.organisation.name,
    )


@router.get("/me", response=MeOut, summary="L'utilisateur connecté et son rôle actif")
def me(request: HttpRequest) -> MeOut:
    current = actor(request)
    user = current.user
    return MeOut(
        id=user.public_id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        active_membership=_membership_out(current),
        memberships=[_membership_out(m) for m in membership_list_for_user(user)],
    )


@router.get("/roles", response=list[RoleOut], summary="La table des rôles")
def roles(request: HttpRequest) -> list[RoleOut]:
    return [
        RoleOut(
            code=r.code.value,
            label=str(r.label),
            description=str(r.description),
            staff=r.staff,
            org_kinds=sorted(k.value for k in r.org_kinds),
        )
        for r in ROLES.values()
    ]
