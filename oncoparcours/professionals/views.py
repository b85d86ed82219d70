from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership, has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.professionals import services
from oncoparcours.professionals.forms import (
    ContractEndForm,
    ContractForm,
    DiplomaForm,
    ProfileForm,
)
from oncoparcours.professionals.permissions import (
    access_contract,
    access_diploma,
    access_professional,
    access_structure,
    can_add_diploma,
    can_archive_diploma,
    can_edit_profile,
    can_list_structures_diplomas,
    can_manage_contracts,
    is_professional,
)
from oncoparcours.professionals.rules import EVIDENCE_EXTENSIONS
from oncoparcours.professionals.selectors import (
    diploma_list,
    professional_contract_list,
    profile_of,
    structure_diploma_list,
    structure_member_professional_list,
    structure_porteuse_list,
    structure_professional_list,
)
from oncoparcours.professionals.workspace import workspace_for


def _render_structure(
    request: HttpRequest, actor: Membership, structure: Organisation
) -> HttpResponse:
    ctx = {
        "structure": structure,
        "rows": structure_professional_list(structure, today=timezone.localdate()),
        "can_manage": can_manage_contracts(actor, structure),
    }
    return render(request, "professionals/structure.html", ctx)


@login_required
def professional_home(request: HttpRequest) -> HttpResponse:
    """Coordinators: their structure's professionals; ARS and admins: the structures."""
    actor = acting_membership(request)
    if has_role(actor, RoleCode.COORDINATOR):
        return _render_structure(request, actor, actor.organisation)
    if can_list_structures_diplomas(actor):
        ctx = {"structures": structure_porteuse_list(), "is_admin": has_role(actor, RoleCode.ADMIN)}
        return render(request, "professionals/structures.html", ctx)
    if is_professional(actor):
        return redirect("professionals:me")
    raise PermissionDenied


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The professional's page: agenda, forms to fill, patients, reports, statements (issue 4
    §7), in the structure they act for."""
    actor = acting_membership(request)
    if not is_professional(actor):
        raise PermissionDenied
    space = workspace_for(actor, now=timezone.now())
    return render(request, "professionals/workspace.html", {"space": space})


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not is_professional(actor):
        raise PermissionDenied
    return redirect("professionals:detail", user_id=actor.user.public_id)


@login_required
def structure_professionals(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    structure = access_structure(actor, public_id)
    if not can_manage_contracts(actor, structure):
        raise PermissionDenied
    return _render_structure(request, actor, structure)


@login_required
def structure_diplomas(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    structure = access_structure(actor, public_id)
    ctx = {"structure": structure, "diplomas": structure_diploma_list(structure)}
    return render(request, "professionals/structure_diplomas.html", ctx)


@login_required
def professional_detail(request: HttpRequest, user_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    professional = access_professional(actor, user_id)
    contracts = list(professional_contract_list(professional))
    today = timezone.localdate()
    ctx = {
        "professional": professional,
        "profile": profile_of(professional),
        "diplomas": diploma_list(professional),
        "contracts": contracts,
        "endable": {
            c.pk
            for c in contracts
            if can_manage_contracts(actor, c.structure)
            and (c.end_date is None or c.end_date >= today)
        },
        "can_edit": can_edit_profile(actor, professional),
        "can_add_diploma": can_add_diploma(actor, professional),
        "is_self": actor.user_id == professional.pk,
    }
    return render(request, "professionals/detail.html", ctx)


@login_required
def profile_edit(request: HttpRequest, user_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    professional = access_professional(actor, user_id)
    if not can_edit_profile(actor, professional):
        raise PermissionDenied
    profile = profile_of(professional)
    initial = {
        "profession": professional.profession,
        "rpps": professional.rpps,
        "adeli": profile.adeli if profile else "",
        "qualification_code": profile.qualification_category.code
        if profile and profile.qualification_category
        else "",
        "commune_insee": (profile.practice_commune_id or "") if profile else "",
        "practice_address": profile.practice_address if profile else "",
        "video_consultations": profile.video_consultations if profile else False,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(by=actor, professional=professional, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Profil enregistré."))
            return redirect("professionals:detail", user_id=professional.public_id)
    ctx = {"form": form, "professional": professional}
    return render(request, "professionals/profile_form.html", ctx)


@login_required
def diploma_add(request: HttpRequest, user_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    professional = access_professional(actor, user_id)
    if not can_add_diploma(actor, professional):
        raise PermissionDenied
    form = DiplomaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.diploma_add(by=actor, professional=professional, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Diplôme ajouté."))
            return redirect("professionals:detail", user_id=professional.public_id)
    ctx = {"form": form, "professional": professional}
    return render(request, "professionals/diploma_form.html", ctx)


@login_required
def diploma_file(request: HttpRequest, public_id: UUID) -> FileResponse:
    actor = acting_membership(request)
    diploma = access_diploma(actor, public_id)
    try:
        handle = diploma.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = EVIDENCE_EXTENSIONS.get(diploma.evidence_type, "")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"diplome-{diploma.public_id}{extension}",
        content_type=diploma.evidence_type,
    )


@login_required
@require_POST
def diploma_archive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    diploma = access_diploma(actor, public_id)
    if not can_archive_diploma(actor, diploma):
        raise PermissionDenied
    try:
        services.diploma_archive(by=actor, diploma=diploma)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Diplôme archivé : il reste conservé."))
    return redirect("professionals:detail", user_id=diploma.professional.public_id)


@login_required
def contract_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    structure = access_structure(actor, public_id)
    if not can_manage_contracts(actor, structure):
        raise PermissionDenied
    form = ContractForm(
        request.POST or None, professionals=structure_member_professional_list(structure)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_create(by=actor, structure=structure, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Contrat enregistré."))
            return redirect("professionals:structure", public_id=structure.public_id)
    ctx = {"form": form, "structure": structure}
    return render(request, "professionals/contract_form.html", ctx)


@login_required
def contract_end(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    contract = access_contract(actor, public_id)
    if not can_manage_contracts(actor, contract.structure):
        raise PermissionDenied
    form = ContractEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_end(by=actor, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fin du contrat enregistrée : l'historique est conservé."))
            return redirect("professionals:detail", user_id=contract.professional.public_id)
    ctx = {"form": form, "contract": contract}
    return render(request, "professionals/contract_end.html", ctx)
