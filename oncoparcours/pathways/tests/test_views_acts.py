"""The acts on the pathway page (table, booking form, budget gauge) and the professional's
agenda (issue 3 §8)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from oncoparcours.pathways.models import Act, PathwayEvent
from oncoparcours.pathways.services import act_complete
from oncoparcours.pathways.tests.factories import make_eligible_patient
from oncoparcours.pathways.tests.factories import open_pathway as open_new_pathway
from oncoparcours.pathways.tests.test_acts import FIRST_DAY, book

AGENDA = reverse("pathways:agenda")


def detail(pathway) -> str:
    return reverse("pathways:detail", kwargs={"public_id": pathway.public_id})


def act_url(name: str, act: Act) -> str:
    return reverse(f"pathways:{name}", kwargs={"act_id": act.public_id})


def book_url(pathway) -> str:
    return reverse("pathways:act-book", kwargs={"public_id": pathway.public_id})


def form_data(team, **overrides):
    data = {
        "kind": "diet_assessment",
        "professional": str(team.dietitian.user.public_id),
        "starts_at": "2026-06-10T10:00",
        "mode": "in_person",
        "place": "Maison des patients, Lyon",
        "amount": "45.00",
    }
    data.update(overrides)
    return data


def test_the_pathway_page_shows_acts_budget_and_a_booking_form(
    client_as, personas, team, open_pathway
):
    first = book(personas, team, open_pathway, "apa_assessment")
    act_complete(by=personas.coordinator, act=first, done_on=FIRST_DAY)
    book(personas, team, open_pathway, "diet_assessment", Decimal("40.00"))
    page = client_as(personas.coordinator).get(detail(open_pathway)).content.decode()
    assert "85,00 € engagés et dépensés sur 180,00 €" in page
    assert '<progress class="fr-mb-1w" max="100" value="47"' in page
    assert "Jours restants avant" in page
    assert "Bilan fonctionnel et motivationnel" in page
    assert "Réalisé" in page
    assert "Patient absent" in page
    # PSG-07/08: left empty, the amount is the contract's rate, else the maximum (payments).
    assert "Laissé vide : le tarif du contrat du professionnel" in page
    assert "Au plus 45,00 € par bilan et 22,50 € par consultation de suivi." in page
    # Only qualified members of the structure are offered (PSG-12/13).
    assert "Sophie Bernard (Diététicien)" in page
    assert "Paul Mercier (Enseignant en APA)" in page
    form = page.split("Réserver un rendez-vous")[1].split("Chronologie")[0]
    assert personas.coordinator.user.get_full_name() not in form


def test_the_booking_form_only_offers_prescribed_prestations(client_as, personas, team, patient):
    pathway = open_new_pathway(personas.coordinator, patient, items=["psy_followup"])
    page = client_as(personas.coordinator).get(detail(pathway)).content.decode()
    form = page.split("Réserver un rendez-vous")[1]
    assert 'value="psy_followup"' in form
    assert 'value="diet_assessment"' not in form
    assert "22,50 € par consultation de suivi" in form  # PSG-08
    assert "Sophie Bernard" not in form


def test_booking_from_the_page(client_as, personas, team, open_pathway):
    response = client_as(personas.coordinator).post(book_url(open_pathway), form_data(team))
    assert response.status_code == 302
    act = Act.objects.get()
    assert (act.kind, act.amount, act.professional) == (
        "diet_assessment",
        Decimal("45.00"),
        team.dietitian.user,
    )


def test_a_refused_booking_shows_the_french_reason_and_saves_nothing(
    client_as, personas, team, open_pathway
):
    events = PathwayEvent.objects.count()
    response = client_as(personas.coordinator).post(
        book_url(open_pathway), form_data(team, amount="45.01")
    )
    assert response.status_code == 200
    assert "Le tarif dépasse le maximum de 45,00 € pour cette prestation." in (
        response.content.decode()
    )
    assert not Act.objects.exists()
    assert PathwayEvent.objects.count() == events


def test_complete_no_show_and_cancel_from_the_page(client_as, personas, team, open_pathway):
    client = client_as(personas.coordinator)
    done = book(personas, team, open_pathway, "psy_assessment")
    missed = book(personas, team, open_pathway, "psy_followup")
    cancelled = book(personas, team, open_pathway, "diet_followup")
    assert client.post(act_url("act-complete", done)).status_code == 302
    assert client.post(act_url("act-no-show", missed)).status_code == 302
    client.post(act_url("act-cancel", cancelled), {"reason": ""})
    cancelled.refresh_from_db()
    assert cancelled.status == "booked"  # a reason is required
    response = client.post(act_url("act-cancel", cancelled), {"reason": "Patient hospitalisé."})
    assert response["Location"] == detail(open_pathway)
    statuses = dict(Act.objects.values_list("public_id", "status"))
    assert statuses == {
        done.public_id: "done",
        missed.public_id: "no_show",
        cancelled.public_id: "cancelled",
    }
    open_pathway.refresh_from_db()
    assert open_pathway.status == "active"  # the first assessment done


def test_the_agenda_lists_the_professionals_booked_acts_with_little_identity(
    client_as, personas, team, open_pathway
):
    act = book(personas, team, open_pathway, "psy_assessment", place="Cabinet, 3 rue Neuve")
    book(personas, team, open_pathway, "diet_assessment")  # someone else's
    patient = open_pathway.patient
    client = client_as(team.psychologist)
    page = client.get(AGENDA).content.decode()
    assert "Bilan psychologique" in page
    assert "Cabinet, 3 rue Neuve" in page
    assert "Association Après-Cancer Lyon" in page
    assert f"{patient.first_given_name} {patient.birth_name[0]}." in page
    assert patient.birth_name not in page
    assert "Bilan diététique" not in page
    response = client.post(act_url("act-complete", act))
    assert response["Location"] == AGENDA
    act.refresh_from_db()
    assert (act.status, act.completed_by) == ("done", team.psychologist)
    assert "Bilan psychologique" not in client.get(AGENDA).content.decode()


@pytest.mark.parametrize("who", ["coordinator", "outsider", "ars_analyst"])
def test_the_agenda_is_for_professionals_only(client_as, personas, who):
    assert client_as(getattr(personas, who)).get(AGENDA).status_code == 403


@pytest.mark.parametrize("who", ["other_coordinator", "outsider", "ars_analyst"])
def test_others_cannot_book_or_close_acts(client_as, personas, team, open_pathway, who):
    act = book(personas, team, open_pathway, "psy_assessment")
    client = client_as(getattr(personas, who))
    assert client.post(book_url(open_pathway), form_data(team)).status_code in (403, 404)
    for name in ("act-complete", "act-no-show", "act-cancel"):
        assert client.post(act_url(name, act), {"reason": "x"}).status_code in (403, 404)
    act.refresh_from_db()
    assert act.status == "booked"
    assert Act.objects.count() == 1


def test_the_professional_may_not_cancel_or_book(client_as, personas, team, open_pathway):
    act = book(personas, team, open_pathway, "psy_assessment")
    client = client_as(team.psychologist)
    assert client.post(act_url("act-cancel", act), {"reason": "x"}).status_code == 403
    assert client.post(book_url(open_pathway), form_data(team)).status_code == 403
    assert client.post(act_url("act-complete", act)).status_code == 302
    # Another professional of the structure does not see the act at all.
    assert client_as(team.dietitian).post(act_url("act-no-show", act)).status_code == 404


def test_the_pathway_page_costs_the_same_queries_for_1_or_5_acts(
    client_as, personas, team, open_pathway, django_assert_num_queries
):
    client = client_as(personas.coordinator)
    book(personas, team, open_pathway, "diet_assessment")

    def show() -> int:
        with django_assert_num_queries(16) as captured:
            assert client.get(detail(open_pathway)).status_code == 200
        return len(captured.captured_queries)

    one = show()
    for i in range(4):
        book(personas, team, open_pathway, "psy_followup", day=FIRST_DAY + timedelta(days=i + 1))
    # 16 both times. Session, user, OTP device, membership; the pathway joined with patient,
    # commune, structure, prescription; its events with authors; its acts with professionals
    # (the budget gauge reads them too); its referrals with offers; the orientation candidates;
    # the parameters (booking form), the qualified professionals, their contract rates and the
    # structures it may be reassigned to; the current assessments (their results are one more
    # prefetch once there is one: assessments' test_views_assessments); the reports (their
    # deliveries are one more prefetch once there is one: reports' test_pages_and_api) and the
    # current APA project.
    assert show() == one


def test_the_agenda_costs_the_same_queries_for_1_or_5_acts(
    client_as, personas, geography, team, open_pathway, django_assert_num_queries
):
    client = client_as(team.psychologist)
    book(personas, team, open_pathway, "psy_assessment")

    def show() -> None:
        # Session, user, OTP device, membership; the count and one page of acts joined with
        # pathway, patient and structure: the same for 1 or 5 rows.
        with django_assert_num_queries(6):
            assert client.get(AGENDA).status_code == 200

    show()
    for _ in range(4):
        other = open_new_pathway(
            personas.coordinator, make_eligible_patient(personas.structure, geography["69123"])
        )
        book(personas, team, other, "psy_assessment")
    show()


def test_booking_on_a_pathway_not_contacted_says_why(client_as, personas, team, patient):
    from oncoparcours.pathways.tests.factories import receive

    pathway = receive(personas.coordinator, patient)
    client = client_as(personas.coordinator)
    data = form_data(
        team,
        kind="psy_followup",
        professional=str(team.psychologist.user.public_id),
        amount="22.50",
    )
    response = client.post(book_url(pathway), data, follow=True)
    assert "une fois le patient contacté" in response.content.decode()
    assert not Act.objects.exists()
