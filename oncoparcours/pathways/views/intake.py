"""Prescription intake pages: the prescriber's form and the coordinator's paper entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.pathways import services
from oncoparcours.pathways.forms import PaperPrescriptionForm, PrescribeForm
from oncoparcours.pathways.models import Channel
from oncoparcours.pathways.permissions import can_prescribe
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.pathways.views.base import acting_member, add_errors
from oncoparcours.patients.selectors import patient_list_for


@login_required
def prescription_create(request: HttpRequest) -> HttpResponse:
    """A coordinator keys in a paper prescription for one of the structure's patients."""
    actor = acting_member(request)
    if not has_role(actor, RoleCode.COORDINATOR):
        raise PermissionDenied
    form = PaperPrescriptionForm(
        request.POST or None,
        request.FILES or None,
        patients=patient_list_for(actor).filter(archived_at__isnull=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pathway = services.prescription_receive(
                by=actor,
                patient=data["patient"],
                prescriber=None,
                prescriber_name=data["prescriber_name"],
                prescriber_rpps=data["prescriber_rpps"],
                prescriber_specialty=data["prescriber_specialty"],
                prescription_date=data["prescription_date"],
                items=list(data["items"]),
                channel=Channel.PAPER,
                document=data["document"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if pathway.status == PathwayStatus.REFUSED:
                messages.warning(
                    request,
                    _("Prescription enregistrée mais non éligible : voir les motifs ci-dessous."),
                )
            else:
                messages.success(request, _("Prescription enregistrée : le parcours est ouvert."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render(request, "pathways/prescription_form.html", {"form": form})


@login_required
def prescription_prescribe(request: HttpRequest) -> HttpResponse:
    """The prescriber's own form (channel "form"): the patient as they know them, then the
    prescription. A patient already known is found by the service, never twinned."""
    membership: Membership | None = getattr(request, "membership", None)
    if not can_prescribe(membership):
        raise PermissionDenied
    assert membership is not None  # for mypy: can_prescribe(None) is False
    form = PrescribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pathway = services.prescription_prescribe(
                by=membership,
                patient=form.patient_fields,
                prescription_date=form.cleaned_data["prescription_date"],
                items=list(form.cleaned_data["items"]),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if pathway.status == PathwayStatus.REFUSED:
                messages.warning(
                    request,
                    _(
                        "Prescription enregistrée mais non éligible : les motifs sont indiqués "
                        "ci-dessous et la structure porteuse peut accorder une dérogation."
                    ),
                )
            elif pathway.uncovered:
                messages.warning(
                    request,
                    _(
                        "Prescription enregistrée. Aucune structure porteuse ne couvre encore la "
                        "commune du patient : la coordination régionale recherche une solution."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Prescription transmise à %(structure)s, qui va contacter le patient.")
                    % {"structure": pathway.structure.name if pathway.structure else ""},
                )
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render(request, "pathways/prescribe_form.html", {"form": form})
