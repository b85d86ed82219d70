"""The /financement/ pages (PSG-15, PSG-16): the ARS manages, a coordinator reads their own
structure only."""

from datetime import date

import pytest
from django.urls import reverse

from oncoparcours.funding import services
from oncoparcours.funding.models import Convention, ConventionStatus, FundingAllocation
from oncoparcours.funding.tests.conftest import make_convention

pytestmark = pytest.mark.django_db
AROUND_THE_VIEW = 4  # session, user, OTP device, active membership


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_ars_table_shows_due_paid_and_balance_with_csv(
    personas, client_as, dataset, conventions, envelope
):
    ars = personas.ars_analyst
    services.allocation_create(
        by=ars,
        envelope=envelope,
        structure=personas.other_structure,
        amount="250.00",
        decided_on=date(2026, 2, 1),
    )
    services.payment_record(
        by=ars,
        structure=personas.other_structure,
        kind="forfait",
        amount="45.00",
        paid_on=date(2026, 5, 1),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        reference="VIR-V1",
    )
    client = client_as(ars)
    page = _html(client.get(reverse("funding:balance"), {"annee": 2026}))
    assert "MSP des Volcans" in page
    assert "CONV-VOLCANS" in page
    response = client.get(reverse("funding:balance-csv"), {"annee": 2026})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    volcans = next(line for line in lines if line.startswith("MSP des Volcans"))
    # 3 assessments of 45 in 2026; 45 paid; 250 allocated, nothing paid of it.
    assert volcans.split(";")[2:] == [
        "1",
        "135,00",
        "135,00",
        "45,00",
        "90,00",
        "250,00",
        "0,00",
        "250,00",
    ]
    assert lines[-1].startswith("Total régional;")


@pytest.mark.parametrize("extra", [0, 3])
def test_the_list_pages_query_count_does_not_grow_with_rows(
    personas, client_as, dataset, conventions, envelope, django_assert_num_queries, extra
):
    ars = personas.ars_analyst
    allocation = services.allocation_create(
        by=ars,
        envelope=envelope,
        structure=personas.structure,
        amount="500.00",
        decided_on=date(2026, 2, 1),
    )
    for i in range(extra + 1):
        services.payment_record(
            by=ars,
            structure=personas.structure,
            kind="coordination",
            amount="10.00",
            paid_on=date(2026, 5, 1),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            reference=f"VIR-{i}",
            allocation=allocation,
        )
    client = client_as(ars)
    # structures, conventions, due amounts, payments, allocations
    with django_assert_num_queries(AROUND_THE_VIEW + 5):
        _html(client.get(reverse("funding:balance"), {"annee": 2026}))
    # conventions with their structure and amended convention
    with django_assert_num_queries(AROUND_THE_VIEW + 1):
        _html(client.get(reverse("funding:conventions")))
    # envelopes with their allocated sums
    with django_assert_num_queries(AROUND_THE_VIEW + 1):
        _html(client.get(reverse("funding:envelopes")))
    # payments with structure, convention, allocation and envelope
    with django_assert_num_queries(AROUND_THE_VIEW + 1):
        page = _html(client.get(reverse("funding:payments"), {"annee": 2026}))
    assert page.count("VIR-") == extra + 1
    # envelope, allocations with their payments' sum, the form's structures
    with django_assert_num_queries(AROUND_THE_VIEW + 3):
        _html(client.get(reverse("funding:envelope-detail", args=[envelope.public_id])))


def test_the_ars_prepares_signs_and_ends_a_convention_through_the_pages(
    personas, client_as, territories
):
    client = client_as(personas.ars_analyst)
    response = client.post(
        reverse("funding:convention-create"),
        {
            "reference": "CONV-NEW",
            "structure": personas.structure.pk,
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "territories": [territories["lyon"].pk],
            "expected_patients_per_year": "80",
            "report_due_day": "31",
            "report_due_month": "3",
        },
    )
    convention = Convention.objects.get(reference="CONV-NEW")
    assert response.status_code == 302
    response = client.post(
        reverse("funding:convention-sign", args=[convention.public_id]), {"signed_on": "2025-12-20"}
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.SIGNED
    # Signing again: the service's French refusal on the form.
    page = _html(
        client.post(
            reverse("funding:convention-sign", args=[convention.public_id]),
            {"signed_on": "2025-12-20"},
        )
    )
    assert "Seul un projet de convention peut être signé." in page
    response = client.post(
        reverse("funding:convention-end", args=[convention.public_id]),
        {"terminated_on": "2026-06-30", "reason": "Cessation d'activité."},
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert (convention.status, convention.terminated_on) == ("ended", date(2026, 6, 30))


def test_an_allocation_beyond_the_envelope_shows_the_french_refusal(personas, client_as, envelope):
    client = client_as(personas.ars_analyst)
    response = client.post(
        reverse("funding:allocation-create", args=[envelope.public_id]),
        {"structure": personas.structure.pk, "amount": "1000.01", "decided_on": "2026-02-01"},
    )
    assert response.status_code == 400
    assert "dépasse ce qui reste à allouer" in response.content.decode()
    assert not FundingAllocation.objects.exists()


def test_a_coordinator_sees_only_their_own_structure(personas, client_as, dataset, conventions):
    client = client_as(personas.coordinator)
    home = _html(client.get(reverse("funding:home"), {"annee": 2026}))
    own = reverse("funding:structure", args=[personas.structure.public_id])
    page = _html(client.get(own, {"annee": 2026}))
    assert "CONV-LYON" in home
    assert "CONV-LYON" in page
    assert "CONV-VOLCANS" not in page
    other = personas.other_structure.public_id
    assert client.get(reverse("funding:structure", args=[other])).status_code == 404
    volcans = conventions["volcans"].public_id
    assert client.get(reverse("funding:convention-detail", args=[volcans])).status_code == 404
    lyon = conventions["lyon"].public_id
    assert "CONV-LYON" in _html(client.get(reverse("funding:convention-detail", args=[lyon])))
    # Reading is not managing.
    assert client.get(reverse("funding:convention-sign", args=[lyon])).status_code == 403
    assert client.get(reverse("funding:balance")).status_code == 403
    assert client.get(reverse("funding:payment-create")).status_code == 403
    page = _html(client.get(reverse("funding:conventions")))
    assert "CONV-LYON" in page
    assert "CONV-VOLCANS" not in page


def test_a_draft_stays_with_the_ars(personas, client_as, territories):
    draft = make_convention(
        personas.ars_analyst,
        personas.structure,
        territories["lyon"],
        reference="C-DRAFT",
        signed_on=None,
    )
    client = client_as(personas.coordinator)
    url = reverse("funding:convention-detail", args=[draft.public_id])
    assert client.get(url).status_code == 404
    assert "C-DRAFT" not in _html(client.get(reverse("funding:conventions")))


@pytest.mark.parametrize("who", ["outsider", "psychologist", "admin"])
def test_other_roles_are_refused(personas, client_as, who):
    client = client_as(getattr(personas, who))
    for name in ("funding:home", "funding:balance", "funding:conventions", "funding:envelopes"):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_ars_opens_every_form(personas, client_as, conventions, envelope):
    client = client_as(personas.ars_analyst)
    lyon = conventions["lyon"].public_id
    for url in (
        reverse("funding:convention-create"),
        reverse("funding:convention-create") + f"?avenant={lyon}",
        reverse("funding:convention-end", args=[lyon]),
        reverse("funding:envelope-create"),
        reverse("funding:payment-create"),
        reverse("funding:convention-detail", args=[lyon]),
        reverse("funding:structure", args=[personas.structure.public_id]),
    ):
        _html(client.get(url))
    page = _html(client.get(reverse("funding:convention-create") + f"?avenant={lyon}"))
    # An amendment keeps to the amended convention's structure.
    assert "Avenant à la convention CONV-LYON" in page
    assert "MSP des Volcans" not in page
    # Someone else's ARS convention or a malformed id: not found.
    assert client.get(reverse("funding:convention-create") + "?avenant=xyz").status_code == 404
