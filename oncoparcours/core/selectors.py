"""What each role's home page shows. Reads only, through the other apps' selectors."""

from typing import Any

from django.db.models import Count

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.organisations.models import ORG_KIND_LABELS, Organisation
from oncoparcours.organisations.selectors import member_list
from oncoparcours.patients.selectors import patient_list_for
from oncoparcours.territories.selectors import coverage_summary, territory_list_for


def _structure_figures(membership: Membership) -> dict[str, Any]:
    territories = list(territory_list_for(membership))
    return {
        "territories": territories,
        "covered_communes": sum(t.commune_count for t in territories),  # type: ignore[attr-defined]
        "covered_population": sum(t.population for t in territories),  # type: ignore[attr-defined]
        "patient_count": patient_list_for(membership).count(),
        "team": [m for m in member_list(membership.organisation) if m.ended_at is None],
    }


def _regional_figures() -> dict[str, Any]:
    coverage = coverage_summary()
    structures = (
        Organisation.objects.filter(kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True)
        .order_by()
        .values("commune__department_id")
        .annotate(n=Count("pk"))
    )
    per_department = {row["commune__department_id"]: row["n"] for row in structures}
    rows = [
        {
            "department": d,
            "structures": per_department.get(d.code, 0),
            "covered_share": (d.covered_population / d.population) if d.population else None,
        }
        for d in coverage.departments
    ]
    return {"coverage": coverage, "department_rows": rows}


def _admin_figures() -> dict[str, Any]:
    by_kind = dict(
        Organisation.objects.filter(archived_at__isnull=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return {
        "organisation_counts": [
            {"label": label, "count": by_kind.get(kind.value, 0)}
            for kind, label in ORG_KIND_LABELS.items()
        ],
        "user_count": User.objects.filter(is_active=True).count(),
    }


def home_context(membership: Membership) -> dict[str, Any]:
    ctx: dict[str, Any] = {"membership": membership}
    role = RoleCode(membership.role)
    if role == RoleCode.COORDINATOR:
        ctx.update(_structure_figures(membership))
    if role in (RoleCode.ARS_ANALYST, RoleCode.ADMIN, RoleCode.DIRECTORY_EDITOR):
        ctx.update(_regional_figures())
    if role == RoleCode.ADMIN:
        ctx.update(_admin_figures())
    return ctx
