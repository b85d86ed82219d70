from base64 import b32encode
from uuid import UUID

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncoparcours.accounts.forms import EmailAuthenticationForm, QueuedPasswordResetForm, TokenForm
from oncoparcours.accounts.middleware import SESSION_KEY
from oncoparcours.accounts.models import User
from oncoparcours.accounts.selectors import membership_list_for_user
from oncoparcours.accounts.services import totp_device_confirm, totp_device_start


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return str(reverse_lazy("core:home"))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse_lazy('accounts:otp-setup')}?next={_safe_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("Code incorrect ou expiré."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = totp_device_start(user=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_device_confirm(device=device, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"][0])
        else:
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return redirect(_safe_next(request))
    secret = b32encode(device.bin_key).decode().rstrip("=")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("Code QR"))
    ctx = {"form": form, "secret": secret, "qr_svg": qr_svg, "next": _safe_next(request)}
    return render(request, "accounts/otp_setup.html", ctx)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    ctx = {
        "memberships": membership_list_for_user(request.user),  # type: ignore[arg-type]
        "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return render(request, "accounts/profile.html", ctx)


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    try:
        wanted: UUID | None = UUID(request.POST.get("membership", ""))
    except ValueError:
        wanted = None
    user = request.user
    assert isinstance(user, User)
    chosen = membership_list_for_user(user).filter(public_id=wanted).first() if wanted else None
    if chosen is None:
        messages.error(request, _("Ce rôle n'est pas le vôtre."))
        return redirect("accounts:profile")
    request.session[SESSION_KEY] = str(chosen.public_id)
    messages.success(
        request,
        _("Vous agissez maintenant en tant que %(role)s — %(org)s.")
        % {"role": chosen.role_info.label, "org": chosen.organisation.name},
    )
    return redirect("core:home")
