"""/api/v1/funding: same rules as the pages (PSG-15, PSG-16), the common error shape."""

from datetime import date

import pytest

from oncoparcours.funding import services
from oncoparcours.funding.models import FundingAllocation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/funding"
AROUND_THE_ENDPOINT = 4  # session, user, OTP device, active membership


def test_the_ars_creates_and_signs_a_convention(personas, client_as, territories):
    client = client_as(personas.ars_analyst)
    body = {
        "reference": "CONV-API",
        "structure_id": str(personas.structure.public_id),
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "territory_ids": [str(territories["lyon"].public_id)],
        "expected_patients_per_year": 60,
        "report_due_month": 4,
        "report_due_day": 30,
    }
    response = client.post(f"{BASE}/conventions", body, content_type="application/json")
    assert response.status_code == 201, response.content
    convention = response.json()
    assert convention["status"] == "draft"
    url = f"{BASE}/conventions/{convention['id']}/sign"
    response = client.post(url, {"signed_on": "2025-12-01"}, content_type="application/json")
    assert response.json()["status"] == "signed"
    # A second one over the same days is refused at signature.
    body.update(reference="CONV-API-2", start_date="2027-06-01", end_date="2028-12-31")
    second = client.post(f"{BASE}/conventions", body, content_type="application/json").json()
    response = client.post(
        f"{BASE}/conventions/{second['id']}/sign",
        {"signed_on": "2025-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "convention.overlap"


def test_an_allocation_beyond_the_envelope_is_a_400(personas, client_as, envelope):
    client = client_as(personas.ars_analyst)
    response = client.post(
        f"{BASE}/envelopes/{envelope.public_id}/allocations",
        {
            "structure_id": str(personas.structure.public_id),
            "amount": "1000.01",
            "decided_on": "2026-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == ("allocation.exceeds_envelope", "amount")
    assert not FundingAllocation.objects.exists()


def test_the_balance_is_the_regional_table_for_the_ars_and_one_row_for_a_coordinator(
    personas, client_as, dataset, conventions
):
    response = client_as(personas.ars_analyst).get(f"{BASE}/balance", {"year": 2026})
    rows = {row["structure_name"]: row for row in response.json()["rows"]}
    assert rows["MSP des Volcans"]["due"] == "135.00"
    assert response.json()["totals"]["due"] == str(
        sum(float(r["due"]) for r in rows.values()).__format__(".2f")
    )
    client = client_as(personas.other_coordinator)
    response = client.get(f"{BASE}/balance", {"year": 2026})
    assert [row["structure_name"] for row in response.json()["rows"]] == ["MSP des Volcans"]
    own = client.get(f"{BASE}/structures/{personas.other_structure.public_id}/balance")
    assert own.status_code == 200
    other = client.get(f"{BASE}/structures/{personas.structure.public_id}/balance")
    assert other.status_code == 404
    lyon = conventions["lyon"].public_id
    assert client.get(f"{BASE}/conventions/{lyon}").status_code == 404
    assert client.post(f"{BASE}/envelopes", {}, content_type="application/json").status_code in (
        403,
        422,
    )


def test_a_coordinator_may_not_manage(personas, client_as, conventions, envelope):
    client = client_as(personas.coordinator)
    lyon = conventions["lyon"].public_id
    response = client.post(
        f"{BASE}/conventions/{lyon}/end",
        {"terminated_on": "2026-06-30", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get(f"{BASE}/envelopes").status_code == 403
    assert client.get(f"{BASE}/envelopes/{envelope.public_id}").status_code == 403


@pytest.mark.parametrize("extra", [0, 4])
def test_the_list_endpoints_query_count_does_not_grow_with_rows(
    personas, client_as, territories, conventions, envelope, django_assert_num_queries, extra
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
    # count, one page of conventions with structure and amended one, their territories
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 3):
        assert client.get(f"{BASE}/conventions").json()["count"] == 2
    # count, one page of payments with structure, convention, allocation and envelope
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 2):
        assert client.get(f"{BASE}/payments").json()["count"] == extra + 1
    # structures, conventions, due amounts, payments, allocations
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 5):
        client.get(f"{BASE}/balance", {"year": 2026})


def test_outsiders_are_refused(personas, client_as):
    client = client_as(personas.outsider)
    for path in ("/conventions", "/envelopes", "/payments", "/balance"):
        assert client.get(f"{BASE}{path}").status_code == 403, path
