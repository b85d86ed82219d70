"""Demo organisations, placed on the loaded communes, and the territories of the structures."""

from django.utils.translation import gettext as _

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import AURA_DEPARTMENTS, ORGANISATIONS, OrgSpec
from oncoparcours.demo.coverage import CommuneRow, adult_territories
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import CommunePostalCode, Department, InterventionTerritory


class OrganisationsMixin(LoaderBase):
    def _place(self, spec: OrgSpec) -> tuple[bool, CommuneRow | None]:
        """Where an organisation sits: its own commune, else the most populated commune of
        its departments; (False, None) to skip it when none of its departments is loaded."""
        if spec.commune and spec.commune in self.communes:
            return True, self.communes[spec.commune]
        candidates = [c for dep in spec.departments for c in self.by_department.get(dep, [])]
        if candidates:
            return True, max(candidates, key=lambda c: (c.population, c.insee))
        return spec.regional, None

    def _create_organisations(self) -> None:
        placed = [
            (spec, commune) for spec in ORGANISATIONS for ok, commune in [self._place(spec)] if ok
        ]
        postal_codes: dict[str, str] = {}
        for commune_id, postal_code in (
            CommunePostalCode.objects.filter(
                commune_id__in={c.insee for _spec, c in placed if c is not None}
            )
            .order_by("-postal_code")
            .values_list("commune_id", "postal_code")
        ):
            postal_codes[commune_id] = postal_code  # the smallest code wins
        rows = []
        for spec, commune in placed:
            department = commune.department if commune else "69"
            rows.append(
                Organisation(
                    public_id=self._uuid(),
                    name=spec.name,
                    kind=spec.kind.value,
                    structure_type=spec.structure_type,
                    finess_ej=self.ids.finess(department) if spec.finess else "",
                    finess_et=self.ids.finess(department) if spec.finess else "",
                    siret=self.ids.siret() if spec.siret else "",
                    address=f"{self.rng.randint(1, 120)} rue de la Démonstration"
                    if commune
                    else "",
                    postal_code=postal_codes.get(commune.insee, "") if commune else "",
                    commune_id=commune.insee if commune else None,
                    email=spec.email,
                    serves_adults=spec.serves_adults,
                    serves_aja=spec.serves_aja,
                    serves_children=spec.serves_children,
                )
            )
        created = Organisation.objects.bulk_create(rows)
        self.organisations = {
            spec.key: org for (spec, _c), org in zip(placed, created, strict=True)
        }
        structures = [o for o in created if o.kind == OrgKind.STRUCTURE_PORTEUSE]
        self.result.counts.update(
            {
                "organisations": len(created),
                "structures": len(structures),
                "adult_structures": sum(1 for o in structures if o.serves_adults),
                "aja_schemes": sum(1 for o in structures if o.serves_aja),
                "paediatric_schemes": sum(1 for o in structures if o.serves_children),
                "health_establishments": sum(
                    1 for o in created if o.kind == OrgKind.HEALTH_ESTABLISHMENT
                ),
            }
        )

    # Territories ---------------------------------------------------------------------------

    def _create_territories(self) -> None:
        """Adult structures: 1-3 territories of whole EPCIs of their department, a few rural
        EPCIs left out. AJA and paediatric schemes: their departments, whole."""
        department_names = dict(
            Department.objects.filter(code__in=AURA_DEPARTMENTS).values_list("code", "name")
        )
        territories: list[tuple[InterventionTerritory, list[CommuneRow]]] = []
        for spec in ORGANISATIONS:
            org = self.organisations.get(spec.key)
            if org is None or not spec.is_structure:
                continue
            if spec.is_adult_structure:
                communes = self.by_department.get(spec.departments[0], [])
                for name, members in adult_territories(communes, org.commune_id, self.rng):
                    territories.append((self._territory(org, name, members), members))
                    for commune in members:
                        self.covering.setdefault(commune.insee, org.pk)
                continue
            deps = [d for d in spec.departments if self.by_department.get(d)]
            if spec.serves_children:
                name = _("Région Auvergne-Rhône-Alpes (pédiatrie)")
            else:
                name = _("Territoire AJA : %(departments)s") % {
                    "departments": ", ".join(department_names.get(d, d) for d in deps)
                }
            members = [c for dep in deps for c in self.by_department[dep]]
            territories.append((self._territory(org, name, members), members))
        created = InterventionTerritory.objects.bulk_create([t for t, _m in territories])
        through = InterventionTerritory.communes.through
        source = InterventionTerritory.communes.field.m2m_field_name()
        target = InterventionTerritory.communes.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": territory.pk, f"{target}_id": commune.insee})
                for territory, (_t, members) in zip(created, territories, strict=True)
                for commune in members
            ],
            batch_size=2000,
        )
        aura = [c for dep in AURA_DEPARTMENTS for c in self.by_department.get(dep, [])]
        self.result.counts.update(
            {
                "territories": len(created),
                "aura_communes": len(aura),
                "uncovered_communes": sum(1 for c in aura if c.insee not in self.covering),
            }
        )

    def _territory(
        self, org: Organisation, name: str, members: list[CommuneRow]
    ) -> InterventionTerritory:
        return InterventionTerritory(
            public_id=self._uuid(),
            name=name,
            description=_("Territoire fictif de démonstration : %(count)d communes.")
            % {"count": len(members)},
            structure=org,
        )

    # People --------------------------------------------------------------------------------
