"""The coordinator's worklist buckets, their counts, search and API (issue 3 §8)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoparcours.accounts.services import api_token_create
from oncoparcours.pathways.models import Act, Pathway, Prescription
from oncoparcours.pathways.selectors import (
    WORKLIST_BUCKETS,
    pathway_worklist_for,
    worklist_bucket_counts,
)
from oncoparcours.pathways.services.acts import pathway_engaged_reconcile
from oncoparcours.pathways.tests.factories import make_eligible_patient, receive

LIST = reverse("pathways:list")
API = "/api/v1/pathways"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def build(personas, geography, covered):
    """A pathway of the Lyon structure put straight into the wanted state (hand-built: the
    services' transitions are tested elsewhere)."""

    def make(status: str = "eligible", *, days_ago: int = 0, **fields) -> Pathway:
        patient = make_eligible_patient(personas.structure, geography["69123"])
        pathway = receive(personas.coordinator, patient)
        Pathway.objects.filter(pk=pathway.pk).update(status=status, **fields)
        if days_ago:
            Prescription.objects.filter(pk=pathway.prescription_id).update(
                received_at=timezone.now() - timedelta(days=days_ago)
            )
        pathway.refresh_from_db()
        return pathway

    return make


def add_act(pathway: Pathway, personas, amount: str, status: str = "booked") -> Act:
    # Written directly (any status, no guard): the engaged amount is reconciled from the acts.
    act = Act.objects.create(
        pathway=pathway,
        kind="psy_followup",
        professional=personas.psychologist.user,
        starts_at=timezone.now(),
        duration_minutes=30,
        mode="in_person",
        amount=Decimal(amount),
        status=status,
        booked_by=personas.coordinator,
    )
    pathway_engaged_reconcile(pathway=pathway)
    return act


@pytest.fixture
def world(build, personas, today):
    """One pathway per bucket, and one just outside each boundary."""
    w = {
        "new": build("eligible"),
        "old_eligible": build("eligible", days_ago=8),
        "received": build("received", days_ago=1),
        "waiting": build("contacted"),
        "active": build("active", deadline=today + timedelta(days=60)),
        "expiring_30": build("active", deadline=today + timedelta(days=30)),
        "expiring_31": build("active", deadline=today + timedelta(days=31)),
        "at_cap_80": build("active", deadline=today + timedelta(days=200)),
        "under_cap": build("contacted"),
        "refused": build("refused"),
        "completed": build("completed"),
    }
    # PSG-09 threshold 80 % of 180 EUR = 144 EUR: booked and done count, cancelled does not.
    for amount, status in [("45.00", "booked"), ("45.00", "done"), ("54.00", "done")]:
        add_act(w["at_cap_80"], personas, amount, status)
    add_act(w["at_cap_80"], personas, "22.50", "cancelled")
    add_act(w["under_cap"], personas, "45.00", "booked")
    add_act(w["under_cap"], personas, "98.99", "booked")
    return w


def bucket(personas, code, params, today):
    return set(pathway_worklist_for(personas.coordinator, bucket=code, params=params, today=today))


def test_each_bucket_holds_the_pathways_of_its_rule(personas, world, params, today):
    w = world
    assert bucket(personas, "new", params, today) == {w["new"], w["received"]}
    assert bucket(personas, "to_contact", params, today) == {w["new"], w["old_eligible"]}
    assert bucket(personas, "waiting_first_assessment", params, today) == {
        w["waiting"],
        w["under_cap"],
    }
    actives = {w["active"], w["expiring_30"], w["expiring_31"], w["at_cap_80"]}
    assert bucket(personas, "active", params, today) == actives
    assert bucket(personas, "refused", params, today) == {w["refused"]}


def test_a_deadline_exactly_30_days_ahead_is_expiring_and_31_is_not(personas, world, params, today):
    assert bucket(personas, "expiring", params, today) == {world["expiring_30"]}


def test_committed_plus_spent_exactly_at_80_percent_is_near_the_cap(personas, world, params, today):
    # 45 booked + 45 done + 54 done = 144.00 = 80 % of 180; under_cap is 143.99.
    assert bucket(personas, "near_cap", params, today) == {world["at_cap_80"]}


def test_a_contacted_pathway_with_a_done_act_is_not_waiting_for_its_first_assessment(
    personas, world, params, today
):
    add_act(world["waiting"], personas, "45.00", "done")
    assert world["waiting"] not in bucket(personas, "waiting_first_assessment", params, today)


def test_the_counts_match_the_buckets(personas, world, params, today):
    counts = worklist_bucket_counts(personas.coordinator, params=params, today=today)
    assert counts == {
        "new": 2,
        "to_contact": 2,
        "waiting_first_assessment": 2,
        "active": 4,
        "expiring": 1,
        "near_cap": 1,
        "refused": 1,
    }
    for code in WORKLIST_BUCKETS:
        assert counts[code] == len(bucket(personas, code, params, today)), code


def test_another_structure_counts_none_of_these_pathways(personas, world, params, today):
    counts = worklist_bucket_counts(personas.other_coordinator, params=params, today=today)
    assert set(counts.values()) == {0}
    assert worklist_bucket_counts(personas.ars_analyst, params=params) == dict.fromkeys(
        WORKLIST_BUCKETS, 0
    )


def test_the_counts_cost_one_query_whatever_the_number_of_pathways(
    personas, build, params, today, django_assert_num_queries
):
    def count() -> dict[str, int]:
        # One aggregate query: a conditional COUNT per bucket over the actor's pathways.
        with django_assert_num_queries(1):
            return worklist_bucket_counts(personas.coordinator, params=params, today=today)

    build("active", deadline=today + timedelta(days=10))
    assert count()["expiring"] == 1
    for _ in range(5):
        p = build("active", deadline=today + timedelta(days=10))
        add_act(p, personas, "150.00", "done")
    assert count()["expiring"] == 6
    assert count()["near_cap"] == 5


def test_the_search_ignores_spaces_in_the_ins(personas, build, params):
    pathway = build("eligible")
    pathway.patient.ins_matricule = "2600575123456"
    pathway.patient.save(update_fields=["ins_matricule"])
    build("eligible")
    assert list(pathway_worklist_for(personas.coordinator, q="2 60 05 75 123")) == [pathway]
    counts = worklist_bucket_counts(personas.coordinator, q="2 600 575", params=params)
    assert counts["to_contact"] == 1


def test_the_search_finds_a_commune_and_a_name_whatever_the_accents(personas, build, geography):
    pathway = build("eligible")
    patient = pathway.patient
    patient.commune = geography["42218"]
    patient.birth_name = "DUPRÉ-LÉGER"
    patient.save(update_fields=["commune", "birth_name"])
    build("eligible")
    for term in ("Saint-Étienne", "saint etienne", "ST ETIENNE", "dupre leger", "Léger"):
        assert list(pathway_worklist_for(personas.coordinator, q=term)) == [pathway], term
    assert list(pathway_worklist_for(personas.coordinator, q="Clermont")) == []


def test_the_page_shows_the_bucket_tags_with_their_counts_and_filters(client_as, personas, world):
    client = client_as(personas.coordinator)
    page = client.get(LIST).content.decode()
    assert "Échéance proche&nbsp;: 1" in page
    assert "Budget presque consommé&nbsp;: 1" in page
    page = client.get(LIST, {"bucket": "expiring"}).content.decode()
    assert world["expiring_30"].patient.display_name in page
    assert world["expiring_31"].patient.display_name not in page
    # An unknown bucket is ignored: the whole worklist.
    page = client.get(LIST, {"bucket": "nope"}).content.decode()
    assert world["completed"].patient.display_name in page


def test_the_page_costs_the_same_queries_for_few_or_many_pathways(
    client_as, personas, build, django_assert_num_queries
):
    client = client_as(personas.coordinator)

    def show() -> None:
        # Session, user, OTP device, membership; parameters in force; the bucket counts (one
        # aggregate); the page's count and its rows joined with patient, commune, structure
        # and prescription.
        with django_assert_num_queries(8):
            assert client.get(LIST, {"bucket": "to_contact", "q": "patient"}).status_code == 200

    build("eligible")
    show()
    for _ in range(6):
        build("eligible")
    show()


@pytest.mark.parametrize("who", ["outsider", "ars_analyst"])
def test_the_page_refuses_roles_without_pathways(client_as, personas, who):
    assert client_as(getattr(personas, who)).get(LIST, {"bucket": "new"}).status_code == 403


def bearer(personas, who: str) -> dict[str, str]:
    _token, key = api_token_create(membership=getattr(personas, who), name="test")
    return {"Authorization": f"Bearer {key}"}


def test_the_api_lists_one_bucket_and_counts_them_all(client, personas, world):
    headers = bearer(personas, "coordinator")
    data = client.get(API, {"bucket": "expiring"}, headers=headers).json()
    assert [item["id"] for item in data["items"]] == [str(world["expiring_30"].public_id)]
    counts = client.get(f"{API}/buckets", headers=headers).json()
    assert {c["code"]: c["count"] for c in counts}["near_cap"] == 1
    assert counts[0] == {"code": "new", "label": "Nouvelles prescriptions", "count": 2}


def test_the_bucket_counts_endpoint_costs_the_same_queries_for_any_size(
    client, personas, build, django_assert_num_queries
):
    headers = bearer(personas, "coordinator")

    def counts() -> None:
        # Token and its membership (with user and organisation), last-used stamp; then the
        # parameters in force and one aggregate.
        with django_assert_num_queries(QUERIES_BUCKETS):
            assert client.get(f"{API}/buckets", headers=headers).status_code == 200

    build("eligible")
    counts()
    for _ in range(5):
        build("active")
    counts()


QUERIES_BUCKETS = 4


@pytest.mark.parametrize("who", ["outsider", "ars_analyst"])
def test_the_bucket_counts_refuse_roles_without_pathways(client, personas, who):
    response = client.get(f"{API}/buckets", headers=bearer(personas, who))
    assert response.status_code == 403
