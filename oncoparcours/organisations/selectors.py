from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import is_regional
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.identifiers import clean_finess, clean_siret
from oncoparcours.core.text import Folded, fold
from oncoparcours.organisations.models import Organisation


def organisation_list_for(
    actor: Membership | None,
    *,
    kind: str | None = None,
    department: str | None = None,
    q: str | None = None,
) -> QuerySet[Organisation]:
    """Regional roles: every organisation in use; anyone else: only their own."""
    if actor is None:
        return Organisation.objects.none()
    organisations = Organisation.objects.select_related("commune__department")
    if is_regional(actor):
        organisations = organisations.filter(archived_at__isnull=True)
    else:
        organisations = organisations.filter(pk=actor.organisation_id)
    if kind:
        organisations = organisations.filter(kind=kind)
    if department:
        organisations = organisations.filter(commune__department_id=department)
    if q and q.strip():
        organisations = organisations.alias(name_key=Folded("name")).filter(_matches(q))
    return organisations.order_by(Folded("name"), "pk")


def _matches(q: str) -> Q:
    """Every word of the query is in the name (accents ignored), or the query is an identifier."""
    by_name = Q()
    for word in fold(q).split():
        by_name &= Q(name_key__contains=word)
    for clean, fields in ((clean_finess, ("finess_ej", "finess_et")), (clean_siret, ("siret",))):
        try:
            identifier = clean(q)
        except ValidationError:
            continue
        for field in fields:
            by_name |= Q(**{field: identifier})
    return by_name


def member_list(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's staff memberships, current first; ended ones stay as history.

    Patient accounts are left out: listing them would tell who is a patient of the structure.
    """
    return (
        Membership.objects.filter(organisation=organisation)
        .exclude(role=RoleCode.PATIENT)
        .select_related("user")
        .order_by(
            F("ended_at").desc(nulls_first=True), "user__last_name", "user__first_name", "role"
        )
    )
