from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.regulation import services
from oncoparcours.regulation.forms import ParameterVersionForm
from oncoparcours.regulation.permissions import (
    access_parameter,
    can_create_parameter_version,
    can_view_parameters,
)
from oncoparcours.regulation.selectors import parameter_overview, parameter_version_list


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_view_parameters(actor):
        raise PermissionDenied
    today = timezone.localdate()
    ctx = {
        "today": today,
        "overview": parameter_overview(today),
        "can_create": can_create_parameter_version(actor),
    }
    return render(request, "regulation/list.html", ctx)


@login_required
def parameter_version_create(request: HttpRequest, key: str) -> HttpResponse:
    actor = acting_membership(request)
    if not can_create_parameter_version(actor):
        raise PermissionDenied
    spec = access_parameter(actor, key)
    form = ParameterVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_version_create(by=actor, key=spec.key, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Nouvelle version enregistrée."))
            return redirect("regulation:list")
    ctx = {
        "spec": spec,
        "form": form,
        "versions": parameter_version_list(spec.key),
        "today": timezone.localdate(),
    }
    return render(request, "regulation/version_form.html", ctx)
