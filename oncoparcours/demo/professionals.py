"""The files of the demo's PSGAC professionals (issue 4): profile, diploma, contract, written
THROUGH the professionals services by each structure's coordinator.

Run right after the people and before the pathways: with the contracts in force, every act the
scenarios complete gives its contracted professional a payable line, as in real use (PSG-14).
Most professionals are contracted (``contrat type``) at the regulatory maximum or a little
below, the others salaried; the rates come from ``psgac_parameters_at``, never from literals
(PSG-07, PSG-08). Their own random stream keeps the names and places of a seed unchanged.
"""

import io
import random
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from oncoparcours.accounts.models import Membership, Profession, User
from oncoparcours.accounts.roles import PSGAC_PROFESSIONAL_ROLES, OrgKind, RoleCode
from oncoparcours.assessments.models import ApaProject, Assessment, InstrumentRecord
from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import DEMO_ACCOUNTS
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.dates import add_months
from oncoparcours.pathways.rules.prestations import (
    APA_PROFESSIONS,
    DIET_PROFESSIONS,
    PSY_PROFESSIONS,
)
from oncoparcours.payments.models import PayableLine, Statement
from oncoparcours.professionals.models import (
    Contract,
    ContractKind,
    Diploma,
    ProfessionalEvent,
    ProfessionalProfile,
)
from oncoparcours.professionals.services import contract_create, diploma_add, profile_update
from oncoparcours.regulation.selectors import psgac_parameters_at
from oncoparcours.reports.models import RecipientAddress, Report, ReportDelivery

PSGAC_PROFESSIONS = APA_PROFESSIONS | DIET_PROFESSIONS | PSY_PROFESSIONS
CONTRACTED_SHARE = 0.7
VIDEO_SHARE = 0.35
# Below the maximum: what some professionals agreed with the structure (euros off the maximum).
RATE_DISCOUNTS = (Decimal("0.00"), Decimal("0.00"), Decimal("2.50"), Decimal("5.00"))
# Contracts start on the first of a month this many months before the load.
CONTRACT_AGE_MONTHS = (14, 30)
# D.1172-2 CSP: 1° for the health professions, 2° for the APA degrees (PSG-13).
QUALIFICATION = {
    Profession.PHYSIOTHERAPIST.value: "1",
    Profession.OCCUPATIONAL_THERAPIST.value: "1",
    Profession.PSYCHOMOTOR_THERAPIST.value: "1",
}
# Diploma titles and issuers are data (French titles as issued), not interface text.
DIPLOMAS = {
    "apa": (
        "Master STAPS mention activité physique adaptée et santé",
        "Université Claude Bernard Lyon 1",
    ),
    "diet": ("BTS Diététique", "Lycée public de Villeurbanne"),
    "psy": (
        "Master de psychologie clinique et psychopathologie",
        "Université Lumière Lyon 2",
    ),
}
# The named demo logins: contracted, so their workspace has statements; the APA professional
# at the maximum, the dietitian a little below, the psychologist at the maximum.
LOGIN_DISCOUNTS = {
    Profession.APA_TEACHER.value: Decimal("0.00"),
    Profession.DIETITIAN.value: Decimal("2.50"),
    Profession.PSYCHOLOGIST.value: Decimal("0.00"),
}


def evidence_pdf(title: str) -> io.BytesIO:
    """A tiny valid PDF standing for a scanned diploma (synthetic: no real document)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    out.seek(0)
    return out


def professionals_reset(
    organisations: QuerySet[Organisation], pathways: QuerySet[Pathway], users: QuerySet[User]
) -> None:
    """Deletes the issue-4 rows of the demo, in the order their PROTECT keys require: payment
    lines (corrections first) and statements, report deliveries and reports, APA projects,
    instrument records and assessments (replacements unlinked first), then the professionals'
    contracts, diplomas, audit events and profiles. Stored files (reports, diploma evidence)
    are removed with their rows."""
    lines = PayableLine.objects.filter(structure__in=organisations)
    lines.filter(corrects__isnull=False).delete()
    lines.delete()
    Statement.objects.filter(structure__in=organisations).delete()
    reports = Report.objects.filter(pathway__in=pathways)
    ReportDelivery.objects.filter(report__in=reports).delete()
    for report in reports.only("pk", "file"):
        report.file.delete(save=False)
    reports.delete()
    RecipientAddress.objects.filter(patient__structure__in=organisations).delete()
    ApaProject.objects.filter(pathway__in=pathways).delete()
    assessments = Assessment.objects.filter(pathway__in=pathways)
    InstrumentRecord.objects.filter(assessment__in=assessments).delete()
    assessments.filter(superseded_by__isnull=False).update(superseded_by=None)
    assessments.delete()
    Contract.objects.filter(Q(structure__in=organisations) | Q(professional__in=users)).delete()
    diplomas = Diploma.objects.filter(professional__in=users)
    for diploma in diplomas.only("pk", "evidence"):
        diploma.evidence.delete(save=False)
    diplomas.delete()
    ProfessionalEvent.objects.filter(professional__in=users).delete()
    ProfessionalProfile.objects.filter(user__in=users).delete()


def _family(profession: str) -> str:
    if profession in DIET_PROFESSIONS:
        return "diet"
    if profession in PSY_PROFESSIONS:
        return "psy"
    return "apa"


class ProfessionalsMixin(LoaderBase):
    def _create_professionals(self) -> None:
        """Profile, diploma and contract of every PSGAC professional of the structures."""
        rng = random.Random(f"{self.seed}-professionals")
        logins = {account.email for account in DEMO_ACCOUNTS}
        structures = sorted(
            (o for o in self.organisations.values() if o.kind == OrgKind.STRUCTURE_PORTEUSE),
            key=lambda o: o.pk,
        )
        memberships = list(
            Membership.objects.filter(organisation__in=structures)
            .select_related("user", "organisation__commune")
            .order_by("organisation_id", "pk")
        )
        coordinators: dict[int, Membership] = {}
        for membership in sorted(
            (m for m in memberships if m.role == RoleCode.COORDINATOR),
            key=lambda m: (m.user.email not in logins, m.pk),
        ):
            coordinators.setdefault(membership.organisation_id, membership)
        adeli_taken: set[str] = set(
            ProfessionalProfile.objects.exclude(adeli="").values_list("adeli", flat=True)
        )
        profiled: set[int] = set()
        contracted_with: set[tuple[int, int]] = set()
        counts = {"profiles": 0, "diplomas": 0, "contracts_contracted": 0, "contracts_salaried": 0}
        for membership in memberships:
            user, structure = membership.user, membership.organisation
            coordinator = coordinators.get(structure.pk)
            if (
                coordinator is None
                or membership.role not in PSGAC_PROFESSIONAL_ROLES
                or user.profession not in PSGAC_PROFESSIONS
                or (user.pk, structure.pk) in contracted_with
            ):
                continue
            # One contract at a time per structure (PSG-14), whatever the roles held there.
            contracted_with.add((user.pk, structure.pk))
            commune = structure.commune
            department = commune.department_id[:2] if commune is not None else "69"
            if user.pk not in profiled:
                profiled.add(user.pk)
                adeli = ""
                if user.profession in DIET_PROFESSIONS | PSY_PROFESSIONS:
                    adeli = f"{department}{rng.randrange(10**7):07d}"
                    while adeli in adeli_taken:
                        adeli = f"{department}{rng.randrange(10**7):07d}"
                    adeli_taken.add(adeli)
                profile_update(
                    by=coordinator,
                    professional=user,
                    adeli=adeli,
                    qualification_code=QUALIFICATION.get(user.profession, "2")
                    if user.profession in APA_PROFESSIONS
                    else "",
                    commune_insee=commune.insee_code if commune is not None else "",
                    practice_address=structure.address,
                    video_consultations=rng.random() < VIDEO_SHARE,
                )
                counts["profiles"] += 1
                title, issuer = DIPLOMAS[_family(user.profession)]
                obtained = date(self.today.year - rng.randint(2, 18), rng.choice((6, 7, 9)), 30)
                diploma_add(
                    by=coordinator,
                    professional=user,
                    title=str(title),
                    issuer=str(issuer),
                    obtained_on=obtained,
                    evidence=evidence_pdf(str(title)),
                    today=self.today,
                )
                counts["diplomas"] += 1
            start = add_months(self.today.replace(day=1), -rng.randint(*CONTRACT_AGE_MONTHS))
            params = psgac_parameters_at(start)
            is_login = user.email in logins
            contracted = is_login or rng.random() < CONTRACTED_SHARE
            discount = (
                LOGIN_DISCOUNTS.get(user.profession, Decimal("0.00"))
                if is_login
                else rng.choice(RATE_DISCOUNTS)
            )
            contract_create(
                by=coordinator,
                structure=structure,
                professional=user,
                kind=ContractKind.CONTRACTED if contracted else ContractKind.SALARIED,
                start_date=start,
                assessment_rate=params.assessment_max_rate - discount,
                followup_rate=params.followup_max_rate - discount / 2,
            )
            counts["contracts_contracted" if contracted else "contracts_salaried"] += 1
        self.result.counts.update(counts)
        self.result.counts["diplomas"] = Diploma.objects.filter(
            professional_id__in=profiled
        ).count()
