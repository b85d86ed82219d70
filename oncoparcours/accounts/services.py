import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncoparcours.accounts.models import ApiToken, Membership, User
from oncoparcours.accounts.roles import ROLES, OrgKind, RoleCode
from oncoparcours.core.errors import log_refusal
from oncoparcours.organisations.models import Organisation


@transaction.atomic
def membership_create(*, user: User, organisation: Organisation, role: RoleCode) -> Membership:
    """Give a user a role in an organisation, if that kind of organisation can hold the role."""
    info = ROLES[role]
    if OrgKind(organisation.kind) not in info.org_kinds:
        log_refusal(
            where="membership_create",
            actor=None,
            codes=["membership.role_not_allowed_in_organisation"],
        )
        raise ValidationError(
            {
                "role": ValidationError(
                    _(
                        "Le rôle « %(role)s » ne peut pas être exercé dans une organisation de type « %(kind)s »."
                    ),
                    code="membership.role_not_allowed_in_organisation",
                    params={"role": info.label, "kind": organisation.kind_label},
                )
            }
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role.value
    )
    return membership


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its clear key, which is never stored and shown only once."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        key_hash=hashlib.sha256(key.encode()).hexdigest(),
        prefix=key[:8],
    )
    return token, key


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed device; any earlier unconfirmed attempt is discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device: TOTPDevice = TOTPDevice.objects.create(
        user=user, name="Application TOTP", confirmed=False
    )
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> None:
    if not device.verify_token(token):
        raise ValidationError(
            {"token": ValidationError(_("Code incorrect ou expiré."), code="auth.totp_invalid")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
