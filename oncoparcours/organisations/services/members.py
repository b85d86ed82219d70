"""Writes on memberships: adding someone to an organisation, ending their role."""

from functools import partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import ROLES, RoleCode
from oncoparcours.accounts.services import membership_create
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.organisations.forms import PasswordSetEmailForm
from oncoparcours.organisations.models import Organisation
from oncoparcours.organisations.permissions import can_grant_role


@transaction.atomic
def member_add(
    *,
    by: Membership,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    site_domain: str | None = None,
    use_https: bool | None = None,
) -> Membership:
    """Gives someone a role in the organisation, creating their account if needed.

    A new account has no usable password: once the transaction commits, its owner receives
    the link to choose one (``site_domain`` and ``use_https`` build that link; views pass the
    request's, other callers get the first allowed host).
    """
    errors = Errors()
    email = (email or "").strip().lower()
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    user: User | None = None
    if not email:
        errors.new("email", _("Indiquez l'adresse électronique."), "member.email.required")
    else:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.new(
                "email",
                _("L'adresse électronique n'est pas valide (ex. prenom.nom@structure.fr)."),
                "member.email.invalid",
            )
        else:
            user = User.objects.filter(email__iexact=email).first()

    role_code: RoleCode | None = None
    if role not in RoleCode:
        errors.new("role", _("Choisissez un rôle."), "member.role.invalid")
    else:
        role_code = RoleCode(role)
        if not can_grant_role(by, role_code):
            errors.new(
                "role",
                _("Vous ne pouvez pas attribuer le rôle « %(role)s »."),
                "member.role.not_grantable",
                role=ROLES[role_code].label,
            )

    if organisation.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette organisation est archivée : on ne peut plus y ajouter de membre."),
            "organisation.archived",
        )
    if user is None:
        for field, value, message, code in (
            ("first_name", first_name, _("Indiquez le prénom."), "member.first_name.required"),
            ("last_name", last_name, _("Indiquez le nom."), "member.last_name.required"),
        ):
            if not value:
                errors.new(field, message, code)
            elif len(value) > 150:
                errors.new(
                    field,
                    _("Ce champ ne peut pas dépasser 150 caractères."),
                    code.replace(".required", ".too_long"),
                )
    elif role_code is not None:
        existing = Membership.objects.filter(
            user=user, organisation=organisation, role=role_code
        ).first()
        if existing is not None and existing.is_active:
            errors.new(
                "email",
                _("%(email)s a déjà le rôle « %(role)s » dans cette organisation."),
                "member.already_active",
                email=email,
                role=ROLES[role_code].label,
            )
    errors.raise_if_any(where="member_add", by=by)
    assert role_code is not None

    created = user is None
    if user is None:
        user = User.objects.create_user(email, None, first_name=first_name, last_name=last_name)
    try:
        membership = membership_create(user=user, organisation=organisation, role=role_code)
    except ValidationError as exc:
        refuse(exc, where="member_add", by=by)
    if membership.ended_at is not None:
        # Coming back in the same role reopens the row (one row per user, organisation, role).
        membership.ended_at = None
        membership.save(update_fields=["ended_at"])
    if created:
        domain = site_domain or _default_domain()
        https = settings.HTTPS if use_https is None else use_https
        transaction.on_commit(partial(_send_password_set_email, membership.pk, domain, https))
    return membership


@transaction.atomic
def member_end(*, by: Membership, membership: Membership) -> Membership:
    """Ends a role now; the row stays (who held which role, when)."""
    errors = Errors()
    if not membership.is_active:
        errors.new(NON_FIELD_ERRORS, _("Ce rôle a déjà pris fin."), "member.already_ended")
    if membership.pk == by.pk:
        errors.new(
            NON_FIELD_ERRORS,
            _("Vous ne pouvez pas mettre fin au rôle au titre duquel vous agissez."),
            "member.end_self",
        )
    role = RoleCode(membership.role)
    if not can_grant_role(by, role):
        errors.new(
            NON_FIELD_ERRORS,
            _("Vous ne pouvez pas mettre fin au rôle « %(role)s »."),
            "member.role.not_grantable",
            role=ROLES[role].label,
        )
    errors.raise_if_any(where="member_end", by=by)
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    return membership


def _default_domain() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))]
    return hosts[0] if hosts else "localhost"


def _send_password_set_email(membership_pk: int, domain: str, https: bool) -> None:
    membership = Membership.objects.select_related("user", "organisation").get(pk=membership_pk)
    form = PasswordSetEmailForm(data={"email": membership.user.email})
    if not form.is_valid():
        return
    form.save(
        domain_override=domain,
        use_https=https,
        subject_template_name="organisations/email/password_set_subject.txt",
        email_template_name="organisations/email/password_set.txt",
        extra_email_context={
            "organisation_name": membership.organisation.name,
            "role_label": str(membership.role_info.label),
        },
    )
