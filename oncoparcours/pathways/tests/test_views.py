from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoparcours.pathways.models import Pathway, Prescription
from oncoparcours.pathways.tests.factories import (
    RPPS,
    make_directory_editor,
    make_eligible_patient,
    make_prescriber,
    receive,
)

LIST = reverse("pathways:list")
# Session, user, OTP device, membership; parameters in force, bucket counts, count, one page.
QUERIES = 8


def detail(pathway: Pathway) -> str:
    return reverse("pathways:detail", kwargs={"public_id": pathway.public_id})


def action(name: str, pathway: Pathway) -> str:
    return reverse(f"pathways:{name}", kwargs={"public_id": pathway.public_id})


def test_the_coordinator_worklist_filters_and_searches(client_as, personas, patient):
    pathway = receive(personas.coordinator, patient)
    client = client_as(personas.coordinator)
    page = client.get(LIST).content.decode()
    assert patient.display_name in page
    assert detail(pathway) in page
    assert patient.display_name not in client.get(LIST, {"status": "refused"}).content.decode()
    assert patient.display_name in client.get(LIST, {"q": "Villeurbanne"}).content.decode()
    assert patient.display_name not in client.get(LIST, {"q": "Aurillac"}).content.decode()


def test_the_worklist_page_costs_the_same_queries_for_1_or_5_rows(
    client_as, personas, geography, patient, django_assert_num_queries
):
    client = client_as(personas.coordinator)
    receive(personas.coordinator, patient)

    def show() -> None:
        # Session, user, OTP device, active membership; the parameters in force and the bucket
        # counts (one aggregate); then the count and one page of pathways joined with patient,
        # commune, structure and prescription: the same for 1 or 5 rows.
        with django_assert_num_queries(QUERIES):
            assert client.get(LIST).status_code == 200

    show()
    for _ in range(4):
        receive(personas.coordinator, make_eligible_patient(personas.structure, geography["69123"]))
    show()


@pytest.mark.parametrize("who", ["ars_analyst", "outsider", "psychologist"])
def test_roles_without_pathways_get_403_on_the_list(client_as, personas, who):
    assert client_as(getattr(personas, who)).get(LIST).status_code == 403


def test_the_pathway_page_shows_eligibility_orientation_and_timeline(client_as, personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    page = client_as(personas.coordinator).get(detail(pathway)).content.decode()
    assert "Non éligible" in page
    assert "PSG-01" in page
    assert "Accorder une dérogation" in page
    assert "3.6 km" in page or "3,6 km" in page
    assert "Prescription reçue" in page
    assert "Association Après-Cancer Lyon" in page


@pytest.mark.parametrize("who", ["other_coordinator", "ars_analyst", "outsider"])
def test_others_cannot_open_or_act_on_the_pathway(client_as, personas, patient, who):
    pathway = receive(personas.coordinator, patient)
    client = client_as(getattr(personas, who))
    assert client.get(detail(pathway)).status_code in (403, 404)
    for name in ("contacted", "close", "override"):
        assert client.post(action(name, pathway), {"reason": "x"}).status_code in (403, 404)
    pathway.refresh_from_db()
    assert pathway.status == "eligible"


def test_the_prescriber_reads_his_pathway_without_action_buttons(client_as, personas, patient):
    prescriber = make_prescriber(personas)
    pathway = receive(personas.coordinator, patient, prescriber=prescriber.user)
    client = client_as(prescriber)
    page = client.get(detail(pathway)).content.decode()
    assert "Patient contacté" not in page.split("Chronologie")[0]
    assert client.post(action("contacted", pathway)).status_code == 403
    assert patient.display_name in client.get(LIST).content.decode()


def test_the_dsrc_sees_uncovered_pathways(client_as, personas, geography, covered):
    patient = make_eligible_patient(personas.structure, geography["15014"])
    pathway = receive(personas.coordinator, patient)
    client = client_as(make_directory_editor(personas))
    assert "Territoire non couvert" in client.get(LIST).content.decode()
    assert client.get(detail(pathway)).status_code == 200


def test_override_with_a_short_justification_shows_the_french_error(client_as, personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    client = client_as(personas.coordinator)
    response = client.post(action("override", pathway), {"justification": "trop court"})
    assert response.status_code == 200
    assert "au moins 20 caractères" in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.status == "refused"
    response = client.post(
        action("override", pathway),
        {"justification": "ALD en cours d'ouverture, confirmée par téléphone."},
    )
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.status == "eligible"


def test_contact_then_close_from_the_page(client_as, personas, patient):
    pathway = receive(personas.coordinator, patient)
    client = client_as(personas.coordinator)
    assert client.post(action("contacted", pathway)).status_code == 302
    response = client.post(action("close", pathway), {"outcome": "withdrawn", "reason": ""})
    assert "Indiquez le motif de la clôture." in response.content.decode()
    response = client.post(action("close", pathway), {"outcome": "lost", "reason": "Injoignable."})
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert (pathway.status, pathway.closure_reason) == ("lost", "Injoignable.")


def test_a_coordinator_keys_in_a_paper_prescription_with_its_scan(
    client_as, personas, patient, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(personas.coordinator)
    url = reverse("pathways:prescription-create")
    page = client.get(url).content.decode()
    assert patient.display_name in page
    response = client.post(
        url,
        {
            "patient": str(patient.public_id),
            "prescriber_name": "Dr Alice Martin",
            "prescriber_rpps": RPPS,
            "prescriber_specialty": "general_practice",
            "prescription_date": "2026-05-01",
            "items": ["diet_assessment", "diet_followup"],
            "document": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nimage"),
        },
    )
    assert response.status_code == 302
    pathway = Pathway.objects.get()
    assert response["Location"] == detail(pathway)
    assert pathway.prescription.channel == "paper"
    assert pathway.prescription.document


def test_a_bad_scan_is_refused_in_french_and_nothing_saved(
    client_as, personas, patient, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = client_as(personas.coordinator).post(
        reverse("pathways:prescription-create"),
        {
            "patient": str(patient.public_id),
            "prescriber_name": "Dr Alice Martin",
            "prescriber_specialty": "oncology",
            "prescription_date": date(2026, 5, 1).isoformat(),
            "items": ["psy_assessment"],
            "document": SimpleUploadedFile("scan.pdf", b"GIF89a not accepted"),
        },
    )
    assert response.status_code == 200
    assert "PDF, une image JPEG ou PNG" in response.content.decode()
    assert not Prescription.objects.exists()


def test_only_coordinators_key_in_paper_prescriptions(client_as, personas):
    url = reverse("pathways:prescription-create")
    assert client_as(make_prescriber(personas)).get(url).status_code == 403
    assert client_as(personas.outsider).get(url).status_code == 403
