from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.patients import services
from oncoparcours.patients.forms import ConsentForm, PatientForm, WithdrawalForm
from oncoparcours.patients.models import ConsentGiver, IdentityStatus, Patient
from oncoparcours.patients.permissions import (
    access_patient,
    can_create_patient,
    can_edit_patient,
    can_list_patients,
    can_manage_consents,
)
from oncoparcours.patients.selectors import consent_list, patient_list_for

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Membership:
    """The acting membership, if its role may see patients at all (else 403)."""
    return acting_membership(request, can_list_patients)


def _show_refusal(form: PatientForm, actor: Membership, exc: ValidationError) -> list[Patient]:
    """Puts the service's errors on the form; returns the look-alike patients it named (only
    ever patients the actor may see), shown with links and a confirmation box instead of a
    message full of identifiers."""
    ids: list[str] = []
    for field, errors in exc.error_dict.items():
        for error in errors:
            if error.code == "patient.possible_duplicate" and error.params:
                ids.extend(error.params["patient_ids"])
            else:
                form.add_error(None if field == "__all__" else field, error)
    if not ids:
        return []
    form.ask_confirmation()
    return list(patient_list_for(actor).filter(public_id__in=ids))


@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    q = request.GET.get("q", "").strip()
    patients = patient_list_for(actor, q=q)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page": page, "q": q, "can_create": can_create_patient(actor)}
    return render(request, "patients/list.html", ctx)


@login_required
def patient_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    patient = access_patient(actor, public_id)
    today = timezone.localdate()
    consents = [(consent, consent.is_active_on(today)) for consent in consent_list(patient)]
    ctx = {
        "patient": patient,
        "consents": consents,
        "can_edit": can_edit_patient(actor, patient) and patient.archived_at is None,
        "can_manage_consents": can_manage_consents(actor, patient),
        "identity_badge": _IDENTITY_BADGES[IdentityStatus(patient.identity_status)],
    }
    return render(request, "patients/detail.html", ctx)


_IDENTITY_BADGES = {
    IdentityStatus.PROVISIONAL: "fr-badge--warning",
    IdentityStatus.RECOVERED: "fr-badge--info",
    IdentityStatus.VALIDATED: "fr-badge--new",
    IdentityStatus.QUALIFIED: "fr-badge--success",
}


@login_required
def patient_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not can_create_patient(actor):
        raise PermissionDenied
    form = PatientForm(
        request.POST or None, ask_confirmation="confirm_not_duplicate" in request.POST
    )
    duplicates: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(
                by=actor, structure=actor.organisation, **form.service_fields
            )
        except ValidationError as exc:
            duplicates = _show_refusal(form, actor, exc)
        else:
            messages.success(request, _("Patient créé."))
            return redirect("patients:detail", public_id=patient.public_id)
    ctx = {"form": form, "patient": None, "duplicates": duplicates}
    return render(request, "patients/form.html", ctx)


@login_required
def patient_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    patient = access_patient(actor, public_id)
    if not can_edit_patient(actor, patient):
        raise PermissionDenied
    form = PatientForm(
        request.POST or None,
        initial=PatientForm.initial_for(patient),
        ask_confirmation="confirm_not_duplicate" in request.POST,
    )
    duplicates: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(by=actor, patient=patient, **form.service_fields)
        except ValidationError as exc:
            duplicates = _show_refusal(form, actor, exc)
        else:
            messages.success(request, _("Fiche du patient modifiée."))
            return redirect("patients:detail", public_id=patient.public_id)
    ctx = {"form": form, "patient": patient, "duplicates": duplicates}
    return render(request, "patients/form.html", ctx)


@login_required
def consent_record(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    patient = access_patient(actor, public_id)
    if not can_manage_consents(actor, patient):
        raise PermissionDenied
    form = ConsentForm(
        request.POST or None,
        initial={"given_at": timezone.localdate(), "given_by": ConsentGiver.PATIENT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                by=actor,
                patient=patient,
                scope=form.cleaned_data["scope"],
                given_at=form.cleaned_data["given_at"],
                given_by=form.cleaned_data["given_by"] or ConsentGiver.PATIENT,
                representative_name=form.cleaned_data["representative_name"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Consentement enregistré."))
            return redirect("patients:detail", public_id=patient.public_id)
    ctx = {"form": form, "patient": patient}
    return render(request, "patients/consent_form.html", ctx)


@login_required
def consent_withdraw(request: HttpRequest, public_id: UUID, consent_id: UUID) -> HttpResponse:
    actor = _actor(request)
    patient = access_patient(actor, public_id)
    if not can_manage_consents(actor, patient):
        raise PermissionDenied
    consent = consent_list(patient).filter(public_id=consent_id).first()
    if consent is None:
        raise Http404
    form = WithdrawalForm(request.POST or None, initial={"withdrawn_at": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                by=actor,
                consent=consent,
                withdrawn_at=form.cleaned_data["withdrawn_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Retrait du consentement enregistré : l'historique est conservé.")
            )
            return redirect("patients:detail", public_id=patient.public_id)
    ctx = {"form": form, "patient": patient, "consent": consent}
    return render(request, "patients/consent_withdraw.html", ctx)
