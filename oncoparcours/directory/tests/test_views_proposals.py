"""A provider proposes a change to its offer; an editor approves or rejects it."""

import pytest
from django.urls import reverse

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.testing import make_member
from oncoparcours.directory.models import Offer, OfferChangeProposal, ProposalStatus
from oncoparcours.directory.services import offer_form_initial
from oncoparcours.directory.tests.factories import make_offer

pytestmark = pytest.mark.django_db


def _url(name: str, obj: Offer | OfferChangeProposal) -> str:
    return reverse(f"directory:{name}", kwargs={"public_id": obj.public_id})


@pytest.fixture
def offer(geography, personas) -> Offer:
    return make_offer(
        "Groupe de parole",
        commune=geography["69123"],
        provider_organisation=personas.structure,
        phone="04 72 00 00 00",
    )


def _form_data(offer: Offer, **changes: object) -> dict[str, object]:
    current = offer_form_initial(offer)
    data = {
        name: value
        for name, value in current.items()
        if value not in (None, False) and not name.startswith("provider_")
    }
    data["provider_name"] = current["provider_name"]
    data.update(changes)
    return data


def test_provider_sees_the_proposal_button_and_proposes_a_change(client_as, personas, offer):
    # Any member of the provider organisation, whatever the role.
    client = client_as(personas.psychologist)
    page = client.get(_url("offer", offer)).content.decode()
    assert "Proposer une modification" in page
    form = client.get(_url("propose", offer)).context["form"]
    assert "source" not in form.fields
    assert "provider_organisation" not in form.fields
    data = _form_data(offer, phone="04 78 99 99 99", note="Nouveau numéro")
    response = client.post(_url("propose", offer), data)
    assert response.status_code == 302
    proposal = OfferChangeProposal.objects.get()
    assert proposal.changes == {"phone": "04 78 99 99 99"}
    assert proposal.note == "Nouveau numéro"
    offer.refresh_from_db()
    assert offer.phone == "04 72 00 00 00"


def test_a_proposal_without_any_change_is_refused(client_as, personas, offer):
    response = client_as(personas.coordinator).post(_url("propose", offer), _form_data(offer))
    assert response.status_code == 200
    assert "Vous n'avez rien modifié." in response.content.decode().replace("&#x27;", "'")
    assert not OfferChangeProposal.objects.exists()


def test_someone_who_does_not_provide_the_offer_cannot_propose(client_as, personas, offer):
    client = client_as(personas.other_coordinator)
    assert "Proposer une modification" not in client.get(_url("offer", offer)).content.decode()
    assert client.get(_url("propose", offer)).status_code == 403
    assert client.post(_url("propose", offer), _form_data(offer, title="X")).status_code == 403
    assert not OfferChangeProposal.objects.exists()


def test_the_provider_professional_may_propose(client_as, personas, geography):
    offer = make_offer(
        "Consultations diététiques",
        commune=geography["69123"],
        provider_professional=personas.psychologist.user,
    )
    assert client_as(personas.psychologist).get(_url("propose", offer)).status_code == 200
    colleague = make_member(personas.structure, RoleCode.DIETITIAN)
    assert client_as(colleague).get(_url("propose", offer)).status_code == 403


def test_editor_sees_the_queue_and_the_diff_then_approves(client_as, editor, personas, offer):
    client_as(personas.coordinator).post(
        _url("propose", offer), _form_data(offer, title="Groupe de parole du jeudi")
    )
    proposal = OfferChangeProposal.objects.get()
    client = client_as(editor)
    queue = client.get(reverse("directory:proposals")).content.decode()
    assert "Groupe de parole" in queue
    detail = client.get(_url("proposal", proposal))
    assert detail.context["diff"] == [
        {
            "label": "Intitulé de l'offre",
            "current": "Groupe de parole",
            "proposed": "Groupe de parole du jeudi",
        }
    ]
    response = client.post(_url("proposal-approve", proposal), {"note": "Merci"})
    assert response.status_code == 302
    offer.refresh_from_db()
    proposal.refresh_from_db()
    assert offer.title == "Groupe de parole du jeudi"
    assert proposal.status == ProposalStatus.APPROVED
    assert (
        "Aucune proposition en attente."
        in client.get(reverse("directory:proposals")).content.decode()
    )


def test_editor_rejects_with_a_note_and_a_rejection_without_note_is_refused(
    client_as, editor, personas, offer
):
    client_as(personas.coordinator).post(_url("propose", offer), _form_data(offer, title="Autre"))
    proposal = OfferChangeProposal.objects.get()
    client = client_as(editor)
    refused = client.post(_url("proposal-reject", proposal), {"note": ""})
    assert refused.status_code == 400
    assert refused.context["form"].errors["note"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    response = client.post(_url("proposal-reject", proposal), {"note": "Intitulé trop vague."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    offer.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == (
        ProposalStatus.REJECTED,
        "Intitulé trop vague.",
    )
    assert offer.title == "Groupe de parole"


def test_proposal_queue_refuses_non_editors(client_as, personas, offer):
    proposal = OfferChangeProposal.objects.create(
        offer=offer, proposed_by=personas.coordinator, changes={"title": "X"}
    )
    client = client_as(personas.coordinator)
    assert client.get(reverse("directory:proposals")).status_code == 403
    assert client.get(_url("proposal", proposal)).status_code == 403
    assert client.post(_url("proposal-approve", proposal)).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
