"""The monthly job: at the start of a month, every structure's drafts of the previous month."""

from datetime import date

from oncoparcours.payments.rules import first_of_month, previous_month
from oncoparcours.payments.services import statements_prepare
from oncoparcours.professionals.selectors import structure_porteuse_list


def prepare_previous_month(*, today: date) -> int:
    """Returns the number of drafts prepared. Run twice, it changes nothing the second time
    (no line is left unattached, the drafts are refreshed as they are)."""
    month = previous_month(first_of_month(today))
    count = 0
    for structure in structure_porteuse_list():
        count += len(statements_prepare(by=None, structure=structure, month=month))
    return count
