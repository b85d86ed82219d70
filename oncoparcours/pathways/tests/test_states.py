import pytest
from django.core.exceptions import ValidationError

from oncoparcours.pathways.states import (
    FINAL_STATUSES,
    STATUS_LABELS,
    TRANSITIONS,
    EventKind,
    PathwayStatus,
    allowed_next,
    transition,
)

ALL_PAIRS = [(a, b) for a in PathwayStatus for b in PathwayStatus]
ILLEGAL = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]
LEGAL = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused(current, target):
    with pytest.raises(ValidationError) as exc:
        transition(current, target)
    assert exc.value.code == "pathway.transition_not_allowed"


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_every_legal_transition_names_its_event(current, target):
    assert transition(current, target) in EventKind


def test_the_table_follows_the_issue():
    assert allowed_next("received") == {"eligible", "refused"}
    assert allowed_next("refused") == {"eligible"}
    assert allowed_next("eligible") == {"contacted", "withdrawn", "lost", "deceased"}
    assert allowed_next("contacted") == {"active", "withdrawn", "lost", "deceased"}
    assert allowed_next("active") == {"completed", "expired", "withdrawn", "lost", "deceased"}
    assert transition("refused", "eligible") == EventKind.OVERRIDDEN
    assert transition("contacted", "active") == EventKind.ACTIVATED


def test_final_states_have_no_way_out():
    assert {"completed", "expired", "withdrawn", "lost", "deceased"} == FINAL_STATUSES
    for status in FINAL_STATUSES:
        assert allowed_next(status) == frozenset()


def test_every_status_has_a_french_label():
    assert set(STATUS_LABELS) == set(PathwayStatus)
    assert str(STATUS_LABELS[PathwayStatus.REFUSED]) == "Non éligible"
