from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from oncoparcours.accounts.models import Membership
from oncoparcours.core.text import Folded, fold
from oncoparcours.patients.models import Patient
from oncoparcours.patients.permissions import can_list_patients


def patient_list_for(actor: Membership | None, *, q: str | None = None) -> QuerySet[Patient]:
    """The actor's patients, by name (accents and case ignored), archived ones included.

    Every word of ``q`` must appear in the birth name, the used name or the first given name.
    """
    if actor is None or not can_list_patients(actor):
        return Patient.objects.none()
    patients = (
        Patient.objects.filter(structure_id=actor.organisation_id)
        .select_related("commune", "structure")
        .alias(
            name_key=Folded(Coalesce(NullIf("used_name", Value("")), "birth_name")),
            birth_name_key=Folded("birth_name"),
            used_name_key=Folded("used_name"),
            given_name_key=Folded("first_given_name"),
        )
    )
    for word in fold(q or "").split():
        patients = patients.filter(
            Q(birth_name_key__contains=word)
            | Q(used_name_key__contains=word)
            | Q(given_name_key__contains=word)
        )
    return patients.order_by("name_key", "given_name_key", "birth_date", "pk")
