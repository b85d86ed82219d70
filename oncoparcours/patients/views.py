from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oncoparcours.accounts.models import Membership
from oncoparcours.patients.permissions import access_patient, can_list_patients
from oncoparcours.patients.selectors import patient_list_for

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Membership:
    """The acting membership, if its role may see patients at all (else 403)."""
    membership: Membership | None = getattr(request, "membership", None)
    if not can_list_patients(membership):
        raise PermissionDenied
    assert membership is not None
    return membership


@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    q = request.GET.get("q", "").strip()
    patients = patient_list_for(actor, q=q)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "patients/list.html", {"page": page, "q": q})


@login_required
def patient_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    patient = access_patient(_actor(request), public_id)
    return render(request, "patients/detail.html", {"patient": patient})
