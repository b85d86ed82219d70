"""What the demo creates, as data: organisations, their staff, and the demo logins.

Every name is fictitious ("démo", "fictif", "de démonstration"); communes are real INSEE codes
(prefectures or main cities), used only to place the organisations on the map.
"""

from dataclasses import dataclass

from oncoparcours.accounts.models import MedicalSpecialty, Profession
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.organisations.models import StructureType

# Every demo organisation and user has an address in this reserved (.invalid) domain: it marks
# what `demo_load --reset` may delete, and can never reach a real mailbox.
DEMO_DOMAIN = "demo.oncoparcours.invalid"
DEMO_PASSWORD = "demo-oncoparcours-2026"  # noqa: S105 - well-known on purpose: demo logins only

AURA_DEPARTMENTS = ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74")
LYON = "69123"

# Cancer supportive-care pathways are used by more women than men (breast cancer first).
FEMALE_SHARE = 0.55
AJA_SHARE = 0.05
CHILD_SHARE = 0.02
# Share of adult women who use a name other than their birth name (married name).
USED_NAME_SHARE = 0.35


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: OrgKind
    departments: tuple[str, ...]
    commune: str | None = None
    structure_type: str = ""
    serves_adults: bool = True
    serves_aja: bool = False
    serves_children: bool = False
    # Regional organisations are created even when none of their departments is loaded.
    regional: bool = False
    finess: bool = False
    siret: bool = False

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"

    @property
    def is_structure(self) -> bool:
        return self.kind == OrgKind.STRUCTURE_PORTEUSE

    @property
    def is_adult_structure(self) -> bool:
        return self.is_structure and self.serves_adults


def _structure(key: str, name: str, dep: str, commune: str, kind: StructureType) -> OrgSpec:
    hospital_like = kind in (StructureType.HOSPITAL, StructureType.SMR, StructureType.HEALTH_CENTRE)
    return OrgSpec(
        key,
        name,
        OrgKind.STRUCTURE_PORTEUSE,
        (dep,),
        commune,
        kind.value,
        finess=hospital_like,
        siret=True,
    )


def _aja(key: str, name: str, deps: tuple[str, ...], commune: str) -> OrgSpec:
    return OrgSpec(
        key,
        name,
        OrgKind.STRUCTURE_PORTEUSE,
        deps,
        commune,
        StructureType.HOSPITAL.value,
        serves_adults=False,
        serves_aja=True,
        finess=True,
        siret=True,
    )


ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("ars", "ARS Auvergne-Rhône-Alpes", OrgKind.ARS, (), LYON, regional=True),
    OrgSpec("onco-aura", "ONCO AURA", OrgKind.DSRC, (), LYON, regional=True),
    # Structures porteuses for adults: one per department, varied legal forms (PSG-18).
    _structure("sp-01", "Association Après-Cancer Ain (démo)", "01", "01053", StructureType.ASSOCIATION),
    _structure("sp-03", "MSP fictive du Bocage bourbonnais (démo)", "03", "03190", StructureType.MSP),
    _structure("sp-07", "CPTS fictive Centre-Ardèche (démo)", "07", "07186", StructureType.CPTS),
    _structure("sp-15", "Centre de santé fictif du Cantal (démo)", "15", "15014", StructureType.HEALTH_CENTRE),
    _structure("sp-26", "SMR fictif Drôme-Provence (démo)", "26", "26362", StructureType.SMR),
    _structure("sp-38", "Association Après-Cancer Isère (démo)", "38", "38185", StructureType.ASSOCIATION),
    _structure("sp-42", "CPTS fictive Loire-Forez (démo)", "42", "42218", StructureType.CPTS),
    _structure("sp-43", "Hôpital fictif du Velay, soins de support (démo)", "43", "43157", StructureType.HOSPITAL),
    _structure("sp-63", "Maison de santé fictive des Dômes (démo)", "63", "63113", StructureType.MSP),
    _structure("sp-69", "Association Après-Cancer Rhône (démo)", "69", LYON, StructureType.ASSOCIATION),
    _structure("sp-73", "SMR fictif de Savoie (démo)", "73", "73065", StructureType.SMR),
    _structure("sp-74", "Centre de santé fictif de Haute-Savoie (démo)", "74", "74010", StructureType.HEALTH_CENTRE),
    # AJA schemes (15-25 years, PSG-19): the four regional centres split the departments.
    _aja("aja-lyon", "Dispositif AJA fictif Lyon-Rhône-Ain (démo)", ("69", "01"), LYON),
    _aja("aja-saint-etienne", "Dispositif AJA fictif Saint-Étienne-Velay (démo)", ("42", "43"), "42218"),
    _aja("aja-grenoble", "Dispositif AJA fictif Alpes-Dauphiné (démo)", ("38", "73", "74", "26", "07"), "38185"),
    _aja("aja-clermont", "Dispositif AJA fictif Auvergne (démo)", ("63", "03", "15"), "63113"),
    OrgSpec(
        "pediatrie",
        "Dispositif pédiatrique régional fictif (démo)",
        OrgKind.STRUCTURE_PORTEUSE,
        AURA_DEPARTMENTS,
        LYON,
        StructureType.HOSPITAL.value,
        serves_adults=False,
        serves_children=True,
        regional=True,
        finess=True,
        siret=True,
    ),
    OrgSpec("es-lyon", "Institut de cancérologie fictif de Lyon", OrgKind.HEALTH_ESTABLISHMENT, ("69",), LYON, finess=True),
    OrgSpec("es-clermont", "Centre hospitalier de démonstration de Clermont-Ferrand", OrgKind.HEALTH_ESTABLISHMENT, ("63",), "63113", finess=True),
    OrgSpec("es-saint-etienne", "Centre hospitalier de démonstration de Saint-Étienne", OrgKind.HEALTH_ESTABLISHMENT, ("42",), "42218", finess=True),
    OrgSpec("es-grenoble", "Centre hospitalier fictif de Grenoble", OrgKind.HEALTH_ESTABLISHMENT, ("38",), "38185", finess=True),
    OrgSpec("es-chambery", "CH fictif de Chambéry", OrgKind.HEALTH_ESTABLISHMENT, ("73",), "73065", finess=True),
    OrgSpec("dapap-rhone", "DAPAP fictif Rhône-Loire (démo)", OrgKind.DAPAP, ("69",), LYON, siret=True),
    OrgSpec("dapap-auvergne", "DAPAP fictif Auvergne (démo)", OrgKind.DAPAP, ("63",), "63113", siret=True),
    OrgSpec("association-patients", "Association fictive de patients Ensemble après le cancer (démo)", OrgKind.PATIENT_ASSOCIATION, ("69",), LYON, siret=True),
    OrgSpec("cabinet-lyon", "Cabinet médical de démonstration de Lyon", OrgKind.COMMUNITY_PRACTICE, ("69",), LYON, siret=True),
    OrgSpec("cabinet-infirmier-villeurbanne", "Cabinet infirmier de démonstration de Villeurbanne", OrgKind.COMMUNITY_PRACTICE, ("69",), "69266", siret=True),
    OrgSpec("cabinet-annecy", "Cabinet médical de démonstration d'Annecy", OrgKind.COMMUNITY_PRACTICE, ("74",), "74010", siret=True),
    OrgSpec("cabinet-aurillac", "Cabinet médical de démonstration d'Aurillac", OrgKind.COMMUNITY_PRACTICE, ("15",), "15014", siret=True),
    OrgSpec("cabinet-infirmier-clermont", "Cabinet infirmier de démonstration de Clermont-Ferrand", OrgKind.COMMUNITY_PRACTICE, ("63",), "63113", siret=True),
    OrgSpec("pharmacie-lyon", "Pharmacie de démonstration de Lyon", OrgKind.PHARMACY, ("69",), LYON, finess=True, siret=True),
    OrgSpec("pharmacie-saint-etienne", "Pharmacie de démonstration de Saint-Étienne", OrgKind.PHARMACY, ("42",), "42218", finess=True, siret=True),
    OrgSpec("pharmacie-annecy", "Pharmacie de démonstration d'Annecy", OrgKind.PHARMACY, ("74",), "74010", finess=True, siret=True),
    OrgSpec("pharmacie-grenoble", "Pharmacie de démonstration de Grenoble", OrgKind.PHARMACY, ("38",), "38185", finess=True, siret=True),
)  # fmt: skip
ORGANISATIONS_BY_KEY = {spec.key: spec for spec in ORGANISATIONS}

# APA teachers and sport educators are not health professionals: no RPPS.
NO_RPPS = frozenset({Profession.APA_TEACHER, Profession.SPORT_EDUCATOR, Profession.OTHER})
APA_PROFESSIONS = (
    Profession.PHYSIOTHERAPIST,
    Profession.APA_TEACHER,
    Profession.SPORT_EDUCATOR,
    Profession.OCCUPATIONAL_THERAPIST,
)


@dataclass(frozen=True)
class Post:
    """``count`` professionals holding ``role`` in an organisation; the profession is drawn
    from ``professions`` (first one if a single choice)."""

    role: RoleCode
    professions: tuple[Profession, ...]
    count: int = 1
    specialty: str = ""


_STRUCTURE_POSTS = (
    Post(RoleCode.COORDINATOR, (Profession.NURSE, Profession.OTHER)),
    Post(RoleCode.APA_PROFESSIONAL, APA_PROFESSIONS, 2),
    Post(RoleCode.DIETITIAN, (Profession.DIETITIAN,)),
    Post(RoleCode.PSYCHOLOGIST, (Profession.PSYCHOLOGIST,)),
)
_COMMUNITY_STRUCTURE_POSTS = (*_STRUCTURE_POSTS, Post(RoleCode.IDEC, (Profession.NURSE,)))
_AJA_POSTS = (
    Post(RoleCode.COORDINATOR, (Profession.NURSE, Profession.OTHER)),
    Post(RoleCode.APA_PROFESSIONAL, APA_PROFESSIONS),
    Post(RoleCode.PSYCHOLOGIST, (Profession.PSYCHOLOGIST,)),
)
_PAEDIATRIC_POSTS = (
    *_AJA_POSTS,
    Post(RoleCode.PRESCRIBER, (Profession.PHYSICIAN,), specialty=MedicalSpecialty.PAEDIATRICS),
)
_ESTABLISHMENT_POSTS = (
    Post(RoleCode.PRESCRIBER, (Profession.PHYSICIAN,), 2, MedicalSpecialty.ONCOLOGY),
    Post(RoleCode.HOSPITAL_ONCOLOGIST, (Profession.PHYSICIAN,), 1, MedicalSpecialty.ONCOLOGY),
    Post(RoleCode.HOSPITAL_PHARMACIST, (Profession.PHARMACIST,)),
    Post(RoleCode.HOSPITAL_NURSE, (Profession.NURSE,), 2),
    Post(RoleCode.IDEC, (Profession.NURSE,)),
)
_MEDICAL_PRACTICE_POSTS = (
    Post(RoleCode.PRESCRIBER, (Profession.PHYSICIAN,), 2, MedicalSpecialty.GENERAL_PRACTICE),
)
_NURSING_PRACTICE_POSTS = (
    Post(RoleCode.COMMUNITY_NURSE, (Profession.NURSE,), 2),
    Post(RoleCode.IDEC, (Profession.NURSE,)),
)
_PHARMACY_POSTS = (Post(RoleCode.COMMUNITY_PHARMACIST, (Profession.PHARMACIST,), 2),)
_DAPAP_POSTS = (Post(RoleCode.APA_PROFESSIONAL, APA_PROFESSIONS, 2),)


def posts_for(spec: OrgSpec) -> tuple[Post, ...]:
    """The staff the demo gives an organisation (the demo logins come on top)."""
    if spec.kind == OrgKind.STRUCTURE_PORTEUSE:
        if spec.serves_children:
            return _PAEDIATRIC_POSTS
        if spec.serves_aja:
            return _AJA_POSTS
        if spec.structure_type in (
            StructureType.MSP,
            StructureType.CPTS,
            StructureType.HEALTH_CENTRE,
        ):
            return _COMMUNITY_STRUCTURE_POSTS
        return _STRUCTURE_POSTS
    if spec.kind == OrgKind.HEALTH_ESTABLISHMENT:
        extra: tuple[Post, ...] = ()
        if spec.key == "es-lyon":
            extra = (
                Post(
                    RoleCode.PRESCRIBER,
                    (Profession.PHYSICIAN,),
                    specialty=MedicalSpecialty.PAEDIATRICS,
                ),
            )
        return (*_ESTABLISHMENT_POSTS, *extra)
    if spec.kind == OrgKind.COMMUNITY_PRACTICE:
        return _NURSING_PRACTICE_POSTS if "infirmier" in spec.key else _MEDICAL_PRACTICE_POSTS
    if spec.kind == OrgKind.PHARMACY:
        return _PHARMACY_POSTS
    if spec.kind == OrgKind.DAPAP:
        return _DAPAP_POSTS
    return ()


@dataclass(frozen=True)
class DemoAccount:
    """A demo login: one row of the table `demo_accounts` prints (one per role, plus multi)."""

    email: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[RoleCode, str], ...]  # (role, organisation key)
    profession: str = ""
    specialty: str = ""
    is_superuser: bool = False


def _account(
    local: str,
    first_name: str,
    last_name: str,
    role: RoleCode,
    org: str,
    profession: Profession | None = None,
    specialty: MedicalSpecialty | None = None,
) -> DemoAccount:
    return DemoAccount(
        email=f"{local}@{DEMO_DOMAIN}",
        first_name=first_name,
        last_name=last_name,
        memberships=((role, org),),
        profession=profession.value if profession else "",
        specialty=specialty.value if specialty else "",
    )


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    _account("prescripteur", "Alix", "Bravemont", RoleCode.PRESCRIBER, "es-lyon", Profession.PHYSICIAN, MedicalSpecialty.ONCOLOGY),
    _account("coordination", "Camille", "Tilaloux", RoleCode.COORDINATOR, "sp-69", Profession.NURSE),
    _account("apa", "Hugo", "Quenzovac", RoleCode.APA_PROFESSIONAL, "sp-69", Profession.APA_TEACHER),
    _account("dietetique", "Inès", "Falrieu", RoleCode.DIETITIAN, "sp-69", Profession.DIETITIAN),
    _account("psychologue", "Claire", "Sorgnac", RoleCode.PSYCHOLOGIST, "sp-69", Profession.PSYCHOLOGIST),
    _account("oncologue", "Marc", "Vorlène", RoleCode.HOSPITAL_ONCOLOGIST, "es-lyon", Profession.PHYSICIAN, MedicalSpecialty.ONCOLOGY),
    _account("pharmacie-hospitaliere", "Sophie", "Gralmière", RoleCode.HOSPITAL_PHARMACIST, "es-lyon", Profession.PHARMACIST),
    _account("infirmier-hospitalier", "Julien", "Pralouze", RoleCode.HOSPITAL_NURSE, "es-lyon", Profession.NURSE),
    _account("idec", "Manon", "Clamdrot", RoleCode.IDEC, "es-lyon", Profession.NURSE),
    _account("officine", "Paul", "Helseuil", RoleCode.COMMUNITY_PHARMACIST, "pharmacie-lyon", Profession.PHARMACIST),
    _account("infirmier-liberal", "Louise", "Kerbrac", RoleCode.COMMUNITY_NURSE, "cabinet-infirmier-villeurbanne", Profession.NURSE),
    _account("patient", "Jeanne", "Mavcoux", RoleCode.PATIENT, "sp-69"),
    _account("ars", "Éric", "Nervrand", RoleCode.ARS_ANALYST, "ars"),
    _account("repertoire", "Zoé", "Plodieu", RoleCode.DIRECTORY_EDITOR, "onco-aura"),
    DemoAccount(
        email=f"admin@{DEMO_DOMAIN}",
        first_name="Yves",
        last_name="Tamgrin",
        memberships=((RoleCode.ADMIN, "onco-aura"),),
        is_superuser=True,
    ),
    DemoAccount(
        email=f"multi@{DEMO_DOMAIN}",
        first_name="Nicole",
        last_name="Urbchal",
        memberships=((RoleCode.COORDINATOR, "sp-42"), (RoleCode.PSYCHOLOGIST, "sp-63")),
        profession=Profession.PSYCHOLOGIST.value,
    ),
)  # fmt: skip
