"""The APA project (PSG-11: APA sessions are oriented, not funded): validation, revision, the
patient's PDF, the nearby offers, pages and API."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from oncoparcours.assessments.apa_project.selectors import apa_offer_choices
from oncoparcours.assessments.apa_project.services import apa_project_write
from oncoparcours.assessments.models import ApaProject
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.reports.services import report_issue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

# Villeurbanne's town hall is 3.6 km from Lyon's (45.7667, 4.8803 → 45.7676, 4.8345).
VALID = {
    "goals": "Marcher 30 minutes sans s'arrêter d'ici 3 mois.",
    "activity_types": ["endurance", "strength"],
    "sessions_per_week": 3,
    "intensity": "moderate",
    "session_minutes": 45,
    "precautions": "Éviter le port de charges lourdes du côté opéré.",
    "other_suggestions": "Trajets à pied jusqu'au marché.",
}


@pytest.fixture
def offers(geography, personas):
    near = make_offer(
        "Marche nordique santé",
        commune=geography["69123"],
        care_type="apa",
        provider_name="Club Lyon Sport Santé",
        address="12 quai Rambaud",
        postal_code="69002",
        phone="04 78 00 00 00",
    )
    home = make_offer(
        "Gym douce",
        commune=geography["69266"],
        care_type="apa",
        provider_name="Association Villeurbanne Bouge",
    )
    make_offer("Soutien psy", commune=geography["69123"], care_type="psychological")
    make_offer("Sport à Clermont", commune=geography["63113"], care_type="apa")
    make_offer("Pour enfants", commune=geography["69123"], care_type="apa", audiences=("children",))
    return {"near": near, "home": home}


def write(by, pathway, assessment, **overrides):
    return apa_project_write(
        by=by,
        pathway=pathway,
        assessment=assessment,
        **{**VALID, "suggested_offers": [], **overrides},
    )


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [str(e.code) for e in errors] for field, errors in exc.error_dict.items()}


def test_the_nearby_apa_offers_for_the_patients_age_group(pathway, offers):
    choices = apa_offer_choices(pathway)
    assert [c.offer.title for c in choices] == ["Gym douce", "Marche nordique santé"]
    assert choices[0].distance_km == pytest.approx(0.0, abs=0.01)
    assert choices[1].distance_km == pytest.approx(3.6, abs=0.05)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"sessions_per_week": 0},
            {"sessions_per_week": ["apa_project.sessions_per_week.out_of_range"]},
        ),
        (
            {"sessions_per_week": 8},
            {"sessions_per_week": ["apa_project.sessions_per_week.out_of_range"]},
        ),
        ({"session_minutes": 9}, {"session_minutes": ["apa_project.session_minutes.out_of_range"]}),
        (
            {"session_minutes": 181},
            {"session_minutes": ["apa_project.session_minutes.out_of_range"]},
        ),
        ({"activity_types": []}, {"activity_types": ["apa_project.activity_types.required"]}),
        (
            {"activity_types": ["karate"]},
            {"activity_types": ["apa_project.activity_types.unknown"]},
        ),
        ({"goals": "   "}, {"goals": ["apa_project.goals.required"]}),
        ({"intensity": "extreme"}, {"intensity": ["apa_project.intensity.invalid"]}),
    ],
)
def test_invalid_projects_are_refused(team, apa_assessment, overrides, expected):
    with pytest.raises(ValidationError) as refused:
        write(team.apa, apa_assessment.pathway, apa_assessment, **overrides)
    assert codes(refused.value) == expected
    assert not ApaProject.objects.exists()


def test_the_bounds_are_inclusive(team, apa_assessment):
    write(team.apa, apa_assessment.pathway, apa_assessment, sessions_per_week=1, session_minutes=10)
    write(
        team.apa, apa_assessment.pathway, apa_assessment, sessions_per_week=7, session_minutes=180
    )


def test_a_french_message_names_the_bounds(team, apa_assessment):
    with pytest.raises(ValidationError) as refused:
        write(team.apa, apa_assessment.pathway, apa_assessment, session_minutes=5)
    (error,) = refused.value.error_dict["session_minutes"]
    assert error.message % error.params == (
        "La durée d'une séance doit être comprise entre 10 et 180 minutes."
    )


def test_only_the_author_or_the_coordinator_writes_it(personas, team, apa_assessment, offers):
    pathway = apa_assessment.pathway
    with pytest.raises(ValidationError) as refused:
        write(team.dietitian, pathway, apa_assessment)
    assert codes(refused.value) == {"__all__": ["apa_project.not_allowed"]}
    with pytest.raises(ValidationError):
        write(personas.other_coordinator, pathway, apa_assessment)
    with pytest.raises(ValidationError) as refused:
        write(team.apa, pathway, apa_assessment, suggested_offers=[offers["near"], *_psy(offers)])
    assert codes(refused.value) == {"suggested_offers": ["apa_project.offer.invalid"]}
    assert write(personas.coordinator, pathway, None).written_by == personas.coordinator


def _psy(offers):
    from oncoparcours.directory.models import Offer

    return list(Offer.objects.filter(care_type="psychological"))


def test_a_revision_supersedes_the_current_project(personas, team, apa_assessment, offers):
    pathway = apa_assessment.pathway
    first = write(team.apa, pathway, apa_assessment, suggested_offers=[offers["near"]])
    second = write(team.apa, pathway, apa_assessment, sessions_per_week=2)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.superseded_at is None
    assert ApaProject.objects.filter(pathway=pathway, superseded_at__isnull=True).get() == second
    events = list(pathway.events.filter(kind="apa_project_written"))
    assert [e.data["apa_project"] for e in events] == [str(first.public_id), str(second.public_id)]
    assert events[1].data["supersedes"] == [str(first.public_id)]


def test_the_patients_pdf_in_plain_french_with_the_offers(team, apa_assessment, offers):
    from oncoparcours.assessments.apa_project.documents import apa_project_pdf

    project = write(
        team.apa,
        apa_assessment.pathway,
        apa_assessment,
        suggested_offers=[offers["near"], offers["home"]],
    )
    from oncoparcours.assessments.apa_project.selectors import apa_project_detail

    stored = apa_project_detail(project.public_id)
    assert stored is not None
    pdf = apa_project_pdf(stored)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Votre projet d'activité physique adaptée" in text
    assert "LEFÈVRE Camille" in text
    assert str(VALID["goals"]) in text
    assert "Endurance (marche, vélo, natation…)" in text
    assert "Renforcement musculaire" in text
    assert "3 séances par semaine, de 45 minutes, à intensité modérée" in text
    assert "Éviter le port de charges lourdes du côté opéré." in text
    assert "Marche nordique santé — Club Lyon Sport Santé" in text
    assert "12 quai Rambaud, 69002 Lyon · Tél. 04 78 00 00 00 · à 3,6 km" in text
    assert "Villeurbanne · à 0 km" in text
    assert text.index("Gym douce") < text.index("Marche nordique santé")  # nearest first
    assert "Trajets à pied jusqu'au marché." in text
    assert "Paul Mercier" in text
    assert "Document médical confidentiel" in text


def test_the_apa_report_quotes_the_current_project(personas, team, apa_assessment, offers):
    write(team.apa, apa_assessment.pathway, apa_assessment, suggested_offers=[offers["near"]])
    report = report_issue(by=team.apa, assessment=apa_assessment)
    with report.file.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(handle.read())).pages)
    assert "Projet d'activité physique adaptée" in text
    assert "3 séances par semaine" in text
    assert "Marche nordique santé (Club Lyon Sport Santé)" in text


# --- Pages and API ---------------------------------------------------------------------------


def test_the_author_writes_it_through_the_form(client_as, team, apa_assessment, offers):
    pathway = apa_assessment.pathway
    client = client_as(team.apa)
    form_url = reverse("reports:apa-project-write", kwargs={"public_id": pathway.public_id})
    page = client.get(form_url).content.decode()
    assert "Marche nordique santé" in page
    assert "3,6 km" in page
    assert "Sport à Clermont" not in page
    assert "Pour enfants" not in page
    refused = client.post(form_url, {**VALID, "sessions_per_week": 9})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Indiquez entre 1 et 7 séances par semaine." in html
    data = {
        **VALID,
        "assessment": str(apa_assessment.public_id),
        "suggested_offers": [str(offers["near"].public_id)],
    }
    done = client.post(form_url, data)
    project = ApaProject.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "reports:apa-project", kwargs={"public_id": project.public_id}
    )
    assert project.assessment == apa_assessment
    assert list(project.suggested_offers.all()) == [offers["near"]]
    detail = client.get(done["Location"]).content.decode()
    assert "Marche nordique santé" in detail
    pdf = client.get(reverse("reports:apa-project-pdf", kwargs={"public_id": project.public_id}))
    assert pdf.status_code == 200
    assert pdf.content[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_coordinator", 404), ("ars_analyst", 403), ("outsider", 403), ("dietitian", 403)],
)
def test_others_cannot_write_read_or_download(
    client_as, personas, team, apa_assessment, who, status
):
    project = write(team.apa, apa_assessment.pathway, apa_assessment)
    client = client_as(getattr(team, who, None) or getattr(personas, who))
    form_url = reverse(
        "reports:apa-project-write", kwargs={"public_id": apa_assessment.pathway.public_id}
    )
    assert client.get(form_url).status_code == status
    assert client.post(form_url, VALID).status_code == status
    for name in ("apa-project", "apa-project-pdf"):
        page = reverse(f"reports:{name}", kwargs={"public_id": project.public_id})
        assert client.get(page).status_code == status
    assert ApaProject.objects.count() == 1


def test_api_writes_reads_and_downloads(client_as, personas, team, apa_assessment, offers):
    client = client_as(team.apa)
    endpoint = f"/api/v1/pathways/{apa_assessment.pathway.public_id}/apa-project"
    body = {
        **VALID,
        "assessment_id": str(apa_assessment.public_id),
        "suggested_offer_ids": [str(offers["near"].public_id)],
    }
    refused = client.post(
        endpoint, {**body, "session_minutes": 200}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "code": "apa_project.session_minutes.out_of_range",
            "message": "La durée d'une séance doit être comprise entre 10 et 180 minutes.",
            "field": "session_minutes",
        }
    ]
    created = client.post(endpoint, body, content_type="application/json")
    assert created.status_code == 201
    project = created.json()
    assert project["sessions_per_week"] == 3
    assert project["suggested_offers"][0]["title"] == "Marche nordique santé"
    assert project["suggested_offers"][0]["distance_km"] == pytest.approx(3.6, abs=0.05)
    read = client.get(f"/api/v1/apa-projects/{project['id']}")
    assert read.json()["goals"] == VALID["goals"]
    pdf = client.get(f"/api/v1/apa-projects/{project['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.content[:5] == b"%PDF-"
    unknown = client.post(
        endpoint,
        {**body, "suggested_offer_ids": [str(apa_assessment.public_id)]},
        content_type="application/json",
    )
    assert unknown.json()["errors"][0]["code"] == "apa_project.offer.unknown"


@pytest.mark.parametrize(
    ("who", "status"), [("other_coordinator", 404), ("ars_analyst", 403), ("outsider", 403)]
)
def test_api_refuses_others(client_as, personas, team, apa_assessment, who, status):
    project = write(team.apa, apa_assessment.pathway, apa_assessment)
    client = client_as(getattr(personas, who))
    endpoint = f"/api/v1/pathways/{apa_assessment.pathway.public_id}/apa-project"
    assert client.post(endpoint, VALID, content_type="application/json").status_code == status
    assert client.get(f"/api/v1/apa-projects/{project.public_id}").status_code == status
    assert client.get(f"/api/v1/apa-projects/{project.public_id}/pdf").status_code == status
