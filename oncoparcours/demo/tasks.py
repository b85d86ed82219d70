"""A few manual follow-up tasks per structure, written through the coordination service, so
that each coordinator's task list is not empty on the first login."""

from django.utils.translation import gettext as _

from oncoparcours.coordination.services import task_create
from oncoparcours.demo.pathways import PathwaysMixin
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.states import PathwayStatus

TASKS_PER_STRUCTURE = 3


def _titles() -> list[tuple[str, str]]:
    return [
        (
            _("Appeler le patient pour fixer le bilan diététique"),
            _("Le patient préfère être appelé en fin de matinée."),
        ),
        (
            _("Transmettre le compte rendu du bilan au médecin traitant"),
            _("Compte rendu à envoyer par messagerie sécurisée."),
        ),
        (
            _("Vérifier les disponibilités de la psychologue pour le mois prochain"),
            "",
        ),
        (
            _("Préparer la réunion d'équipe mensuelle"),
            _("Faire le point sur les parcours proches de leur échéance."),
        ),
        (
            _("Relancer l'oncologue pour la date de fin de traitement"),
            _("Date nécessaire pour vérifier le délai de prescription."),
        ),
    ]


class TasksMixin(PathwaysMixin):
    def _create_tasks(self) -> None:
        titles = _titles()
        count = 0
        for structure_id, team in sorted(self.teams.items()):
            open_pathways = list(
                Pathway.objects.filter(
                    structure_id=structure_id,
                    status__in=[PathwayStatus.CONTACTED, PathwayStatus.ACTIVE],
                )
                .order_by("pk")
                .values_list("public_id", flat=True)[:TASKS_PER_STRUCTURE]
            )
            for index in range(TASKS_PER_STRUCTURE):
                title, description = titles[(structure_id + index) % len(titles)]
                task_create(
                    by=team.coordinator,
                    organisation=team.coordinator.organisation,
                    title=title,
                    description=description,
                    pathway_public_id=open_pathways[index] if index < len(open_pathways) else None,
                    assignee=team.coordinator.user if index % 2 == 0 else None,
                    due_date=self.today + self._days(1, 21),
                )
                count += 1
        self.result.counts["tasks"] = count
