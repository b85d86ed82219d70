"""The payments pages and endpoints: who sees what (other structure 404, professional their
own, other roles 403), validate and pay, void from the pathway page, CSV and PDF content,
constant query counts (issue 4 §6; PSG-14)."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from oncoparcours.accounts.services import api_token_create
from oncoparcours.pathways.models import Act
from oncoparcours.payments import services
from oncoparcours.payments.models import PayableLine, Statement
from oncoparcours.payments.tests.conftest import JUNE, at
from oncoparcours.payments.tests.test_services import june_followups, prepare

pytestmark = pytest.mark.django_db
API = "/api/v1/payments/statements"
TODAY = date(2026, 7, 5)


@pytest.fixture
def june(world):
    june_followups(world)
    (statement,) = prepare(world)
    return statement


@pytest.fixture(autouse=True)
def _july():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def api_client(membership) -> Client:
    _token, key = api_token_create(membership=membership, name="compta")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def detail(statement) -> str:
    return reverse("payments:detail", kwargs={"public_id": statement.public_id})


def test_the_coordinator_sees_the_months_statements_and_total(client_as, world, june):
    page = client_as(world.personas.coordinator).get(reverse("payments:list"), {"mois": "2026-06"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Relevés de juin 2026" in text
    assert "112,50" in text
    assert detail(june) in text
    assert "Préparer les relevés du mois" in text


def test_the_list_page_costs_the_same_queries_for_1_or_3_statements(
    client_as, world, june, django_assert_num_queries
):
    client = client_as(world.personas.coordinator)

    def show() -> int:
        # Session, user, OTP device, membership; the statements with their sums; the two month
        # totals; the done acts without a line, and the contracts of their professionals (none
        # here: no query).
        with django_assert_num_queries(8) as captured:
            assert client.get(reverse("payments:list"), {"mois": "2026-06"}).status_code == 200
        return len(captured.captured_queries)

    one = show()
    for membership in (world.team.dietitian, world.team.apa):
        Statement.objects.create(
            structure=world.personas.structure, professional=membership.user, month=JUNE
        )
    assert show() == one


def test_validate_and_mark_paid_from_the_page(client_as, world, june):
    client = client_as(world.personas.coordinator)
    response = client.post(reverse("payments:validate", kwargs={"public_id": june.public_id}))
    assert response.status_code == 302
    june.refresh_from_db()
    assert (june.status, june.total) == ("validated", Decimal("112.50"))
    url = reverse("payments:mark-paid", kwargs={"public_id": june.public_id})
    refused = client.post(url, {"paid_on": "2026-07-09", "reference": "VIR-1"})
    assert "La date du paiement ne peut pas être dans le futur." in refused.content.decode()
    client.post(url, {"paid_on": "2026-07-05", "reference": "VIR-1"})
    june.refresh_from_db()
    assert (june.status, june.payment_reference) == ("paid", "VIR-1")
    assert "le 05/07/2026, référence VIR-1" in client.get(detail(june)).content.decode()


def test_prepare_from_the_page(client_as, world):
    june_followups(world)
    response = client_as(world.personas.coordinator).post(
        reverse("payments:prepare"), {"month": "2026-06"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:list") + "?mois=2026-06"
    assert Statement.objects.get().lines.count() == 4


def test_who_sees_a_statement(client_as, world, june, personas):
    assert client_as(world.team.psychologist).get(detail(june)).status_code == 200
    # Another professional of the same structure, another structure's coordinator: 404.
    assert client_as(world.team.dietitian).get(detail(june)).status_code == 404
    assert client_as(personas.other_coordinator).get(detail(june)).status_code == 404
    # Roles without statements: 403 on the list.
    for membership in (personas.outsider, personas.ars_analyst, personas.admin):
        assert client_as(membership).get(reverse("payments:list")).status_code == 403
    # The professional reads but never validates.
    response = client_as(world.team.psychologist).post(
        reverse("payments:validate", kwargs={"public_id": june.public_id})
    )
    assert response.status_code == 403
    assert Statement.objects.get().status == "draft"


def test_a_professional_lists_their_own_statements_only(client_as, world, june):
    other = Statement.objects.create(
        structure=world.personas.structure, professional=world.team.dietitian.user, month=JUNE
    )
    page = client_as(world.team.psychologist).get(reverse("payments:list")).content.decode()
    assert "Mes relevés de paiement" in page
    assert detail(june) in page
    assert detail(other) not in page


def test_the_coordinator_voids_a_done_act_from_the_pathway_page(client_as, world, june):
    act = Act.objects.filter(kind="psy_followup").order_by("pk").first()
    assert act is not None
    client = client_as(world.personas.coordinator)
    page = client.get(reverse("pathways:detail", kwargs={"public_id": world.pathway.public_id}))
    assert "Annuler cette prestation réalisée" in page.content.decode()
    url = reverse("pathways:act-void", kwargs={"act_id": act.public_id})
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Act.objects.get(pk=act.pk).status == "done"
    client.post(url, {"reason": "Déclarée par erreur."})
    assert Act.objects.get(pk=act.pk).status == "cancelled"
    correction = PayableLine.objects.get(corrects__isnull=False)
    assert (correction.statement, correction.amount) == (june, Decimal("-22.50"))
    # The professional may not void it.
    act = Act.objects.filter(kind="psy_followup", status="done").order_by("pk").first()
    assert act is not None
    url = reverse("pathways:act-void", kwargs={"act_id": act.public_id})
    assert client_as(world.team.psychologist).post(url, {"reason": "X"}).status_code == 403


def test_the_csv_reads_in_a_french_spreadsheet(client_as, world, june):
    # A structure name starting like a formula is neutralised.
    world.personas.structure.name = "=HYPERLINK(1)"
    world.personas.structure.save()
    response = client_as(world.personas.coordinator).get(
        reverse("payments:csv", kwargs={"public_id": june.public_id})
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="releve-2026-06-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:3] == ["Structure", "Professionnel", "Mois"]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][2:5] == ["06/2026", "03/06/2026", "Bilan psychologique"]
    patient = world.pathway.patient
    # Initials only (a statement leaves the structure).
    assert rows[1][6] == f"{patient.first_given_name[0]}. {patient.birth_name[0]}."
    assert patient.birth_name not in text
    assert [row[7] for row in rows[1:]] == ["45,00", "22,50", "22,50", "22,50", "112,50"]
    assert rows[-1][4] == "Total"


def test_the_pdf_says_who_what_when_and_how_much(client_as, world, june):
    with time_machine.travel(at(TODAY), tick=False):
        services.statement_validate(by=world.personas.coordinator, statement=june)
    response = client_as(world.team.psychologist).get(
        reverse("payments:pdf", kwargs={"public_id": june.public_id})
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Relevé de paiement des prestations" in text
    assert "Structure porteuse : Association Après-Cancer Lyon" in text
    assert world.team.psychologist.user.get_full_name() in text
    assert "Mois : juin 2026" in text
    assert "Statut : Validé — validé le 05/07/2026" in text
    assert "Consultation de suivi psychologique" in text
    assert "112,50" in text
    assert "Document généré le 05/07/2026" in text


def test_the_api_lists_statements_with_constant_queries(world, june, django_assert_num_queries):
    client = api_client(world.personas.coordinator)
    Statement.objects.create(
        structure=world.personas.structure, professional=world.team.dietitian.user, month=JUNE
    )
    # Token (with its membership), its last-use update, the statements with their sums.
    with django_assert_num_queries(3):
        body = client.get(API, {"month": "2026-06"}).json()
    assert [(s["professional_id"], s["total"], s["line_count"]) for s in body] == [
        (str(world.team.dietitian.user.public_id), "0.00", 0),
        (str(world.team.psychologist.user.public_id), "112.50", 4),
    ]
    assert client.get(API, {"month": "2026-05"}).json() == []
    bad = client.get(API, {"month": "juin"})
    assert (bad.status_code, bad.json()["errors"][0]["code"]) == (422, "statement.month_invalid")


def test_the_api_flow_prepare_validate_pay_and_download(world):
    june_followups(world)
    client = api_client(world.personas.coordinator)
    post = lambda url, data=None: client.post(  # noqa: E731
        url, data=json.dumps(data or {}), content_type="application/json"
    )
    prepared = post(f"{API}/prepare", {"month": "2026-06"})
    assert prepared.status_code == 200
    (statement,) = prepared.json()
    assert (statement["total"], statement["status"]) == ("112.50", "draft")
    url = f"{API}/{statement['id']}"
    got = client.get(url).json()
    assert [line["amount"] for line in got["lines"]] == ["45.00", "22.50", "22.50", "22.50"]
    assert got["lines"][0]["prestation"] == "Bilan psychologique"
    # The professional's own list, through the API.
    mine = api_client(world.team.psychologist).get(API).json()
    assert [s["id"] for s in mine] == [statement["id"]]
    assert api_client(world.team.dietitian).get(API).json() == []
    assert api_client(world.team.psychologist).post(f"{url}/validate").status_code == 403
    validated = post(f"{url}/validate").json()
    assert (validated["status"], validated["total"]) == ("validated", "112.50")
    again = post(f"{url}/validate")
    assert (again.status_code, again.json()["errors"][0]["code"]) == (422, "statement.not_draft")
    paid = post(f"{url}/mark-paid", {"paid_on": "2026-07-05", "reference": "VIR-7"}).json()
    assert (paid["status"], paid["payment_reference"]) == ("paid", "VIR-7")
    assert client.get(f"{url}/csv").content.decode().startswith("\ufeffStructure;")
    assert client.get(f"{url}/pdf").content.startswith(b"%PDF")
    other = api_client(world.personas.other_coordinator)
    assert other.get(url).status_code == 404
    assert other.get(API).json() == []


def test_the_api_voids_a_done_act(world, june):
    act = Act.objects.filter(kind="psy_assessment").get()
    client = api_client(world.personas.coordinator)
    response = client.post(
        f"/api/v1/pathways/acts/{act.public_id}/void",
        data=json.dumps({"reason": "Erreur de saisie."}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    again = client.post(
        f"/api/v1/pathways/acts/{act.public_id}/void",
        data=json.dumps({"reason": "Encore."}),
        content_type="application/json",
    )
    assert (again.status_code, again.json()["errors"][0]["code"]) == (422, "act.not_done")
    assert PayableLine.objects.get(corrects__isnull=False).amount == Decimal("-45.00")


def test_the_booking_form_lists_the_contract_rates(client_as, world):
    page = client_as(world.personas.coordinator).get(
        reverse("pathways:detail", kwargs={"public_id": world.pathway.public_id})
    )
    name = world.team.psychologist.user.get_full_name()
    assert (
        f"Tarif du contrat de {name} : 45,00 € par bilan, 22,50 € par suivi."
        in page.content.decode()
    )


def test_booking_through_the_api_without_amount_takes_the_contract_rate(world):
    # The psychologist's contract: 45,00 / 22,50.
    client = api_client(world.personas.coordinator)
    response = client.post(
        f"/api/v1/pathways/{world.pathway.public_id}/acts",
        data=json.dumps(
            {
                "kind": "psy_followup",
                "professional_id": str(world.team.psychologist.user.public_id),
                "starts_at": "2026-07-20T10:00:00+02:00",
                "mode": "video",
            }
        ),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["amount"]) == (201, "22.50")
