"""The ARS's funding of the demo structures (issue 6 §1), written through the funding services.

A signed convention per structure porteuse covering its territories, the AURA FIR envelope of the
current year split across the structures in proportion to their pathways (largest remainder, so
the split is deterministic and adds up to the cent), and a few payments: half of each of the
first structures' allocation, and their forfait due for the months already over.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.demo.base import LoaderBase
from oncoparcours.funding import services
from oncoparcours.funding.models import (
    Convention,
    FundingAllocation,
    FundingEnvelope,
    StructurePayment,
)
from oncoparcours.funding.rules import split_amount
from oncoparcours.funding.selectors import due_by_structure
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Pathway
from oncoparcours.territories.models import InterventionTerritory

# domain.md §2.5: "FIR 265,000 € for coordination, follow-up and evaluation" is a [MISSION DOC]
# figure (the ARS AURA page as summarised by the team), not confirmed by a primary source.
AURA_FIR_EUR = Decimal("265000.00")
AURA_FIR_SOURCE = (
    "[document de mission] Enveloppe FIR AURA de 265 000 € pour la coordination, le suivi et "
    "l'évaluation (domain.md §2.5) : montant à confirmer par la décision de l'ARS."
)
PAID_STRUCTURES = 3
EXPECTED_PATIENTS_MIN = 20


def funding_reset(organisations: QuerySet[Organisation]) -> None:
    """Deletes the funding rows of the demo organisations (ARS and structures)."""
    mine = Q(structure__in=organisations) | Q(ars__in=organisations)
    StructurePayment.objects.filter(mine).delete()
    FundingAllocation.objects.filter(
        Q(structure__in=organisations) | Q(envelope__ars__in=organisations)
    ).delete()
    FundingEnvelope.objects.filter(ars__in=organisations).delete()
    conventions = Convention.objects.filter(mine)
    # Amendments point at the conventions they amend: delete them first.
    conventions.filter(amends__isnull=False).delete()
    conventions.delete()


class FundingMixin(LoaderBase):
    def _create_funding(self) -> None:
        ars_org = self.organisations.get("ars")
        analyst = (
            Membership.objects.filter(organisation=ars_org, role=RoleCode.ARS_ANALYST)
            .select_related("organisation")
            .order_by("pk")
            .first()
            if ars_org
            else None
        )
        structures = sorted(
            (o for o in self.organisations.values() if o.kind == OrgKind.STRUCTURE_PORTEUSE),
            key=lambda o: (o.name, o.pk),
        )
        if analyst is None or not structures:
            return
        territories: dict[int, list[InterventionTerritory]] = {}
        for territory in InterventionTerritory.objects.filter(
            structure__in=structures, archived_at__isnull=True
        ).order_by("name", "pk"):
            territories.setdefault(territory.structure_id, []).append(territory)
        pathways = dict(
            Pathway.objects.filter(structure__in=structures)
            .order_by()
            .values_list("structure_id")
            .annotate(n=Count("pk"))
        )
        year = self.today.year
        conventions = 0
        for index, structure in enumerate(structures, start=1):
            if structure.pk not in territories:
                continue
            start = date(year - 1, 1, 1)
            convention = services.convention_create(
                by=analyst,
                structure=structure,
                reference=f"DEMO-ARS-ARA-PSGAC-{year - 1}-{index:03d}",
                start_date=start,
                end_date=date(year + 1, 12, 31),
                territories=territories[structure.pk],
                expected_patients_per_year=max(
                    EXPECTED_PATIENTS_MIN, pathways.get(structure.pk, 0)
                ),
                report_due_month=3,
                report_due_day=31,
                funding_terms=_(
                    "Forfait par patient dans la limite du plafond réglementaire en vigueur à la "
                    "date de la prescription, et part de l'enveloppe FIR pour la coordination."
                ),
                information_to_doctors=_(
                    "Comptes rendus des bilans et projet d'activité physique adaptée, avec "
                    "l'accord du patient."
                ),
                evaluation_data=_("Indicateurs annuels du parcours, données agrégées."),
            )
            services.convention_sign(
                by=analyst, convention=convention, signed_on=start - timedelta(days=15)
            )
            conventions += 1

        envelope = services.envelope_create(
            by=analyst,
            year=year,
            region="Auvergne-Rhône-Alpes",
            label=_("FIR — parcours de soins global après cancer"),
            amount=AURA_FIR_EUR,
            source_note=AURA_FIR_SOURCE,
        )
        shares = split_amount(AURA_FIR_EUR, [pathways.get(s.pk, 0) for s in structures])
        decided_on = date(year, 1, 15) if self.today >= date(year, 1, 15) else self.today
        allocations = []
        for structure, share in zip(structures, shares, strict=True):
            if share > 0:
                allocations.append(
                    services.allocation_create(
                        by=analyst,
                        envelope=envelope,
                        structure=structure,
                        amount=share,
                        decided_on=decided_on,
                    )
                )

        payments = 0
        last_month_end = date(year, self.today.month, 1) - timedelta(days=1)
        due = (
            due_by_structure(start=date(year, 1, 1), end=last_month_end)
            if last_month_end.year == year
            else {}
        )
        for number, allocation in enumerate(allocations[:PAID_STRUCTURES], start=1):
            structure = allocation.structure
            half = (allocation.amount / 2).quantize(Decimal("0.01"))
            services.payment_record(
                by=analyst,
                structure=structure,
                kind="coordination",
                amount=half,
                paid_on=decided_on,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                reference=f"DEMO-VIR-{year}-C{number:03d}",
                allocation=allocation,
            )
            payments += 1
            figures = due.get(structure.pk)
            if figures is not None and figures.due > 0 and structure.pk in territories:
                services.payment_record(
                    by=analyst,
                    structure=structure,
                    kind="forfait",
                    amount=figures.due,
                    paid_on=self.today,
                    period_start=date(year, 1, 1),
                    period_end=last_month_end,
                    reference=f"DEMO-VIR-{year}-F{number:03d}",
                )
                payments += 1
        self.result.counts.update(
            {
                "conventions": conventions,
                "funding_allocations": len(allocations),
                "funding_payments": payments,
            }
        )
