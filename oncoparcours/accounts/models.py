import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.roles import ROLE_CHOICES, ROLES, Role, RoleCode
from oncoparcours.core.identifiers import validate_rpps

if TYPE_CHECKING:
    pass


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Médecin")
    PSYCHOLOGIST = "psychologist", _("Psychologue")
    DIETITIAN = "dietitian", _("Diététicien")
    PHYSIOTHERAPIST = "physiotherapist", _("Masseur-kinésithérapeute")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Ergothérapeute")
    PSYCHOMOTOR_THERAPIST = "psychomotor_therapist", _("Psychomotricien")
    APA_TEACHER = "apa_teacher", _("Enseignant en APA")
    SPORT_EDUCATOR = "sport_educator", _("Éducateur sportif")
    NURSE = "nurse", _("Infirmier")
    PHARMACIST = "pharmacist", _("Pharmacien")
    OTHER = "other", _("Autre")


class MedicalSpecialty(models.TextChoices):
    ONCOLOGY = "oncology", _("Oncologie (cancérologue)")
    GENERAL_PRACTICE = "general_practice", _("Médecine générale")
    PAEDIATRICS = "paediatrics", _("Pédiatrie")
    OTHER = "other", _("Autre spécialité")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Identity only: what they may do comes from memberships."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("adresse électronique"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    specialty = models.CharField(
        _("spécialité médicale"), max_length=32, choices=MedicalSpecialty.choices, blank=True
    )
    rpps = models.CharField(_("numéro RPPS"), max_length=11, blank=True, validators=[validate_rpps])
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration technique"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    if TYPE_CHECKING:
        # Added to request.user by django_otp's OTPMiddleware.
        def is_verified(self) -> bool: ...

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(
                fields=["rpps"], condition=~models.Q(rpps=""), name="user_rpps_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class Membership(models.Model):
    """A user holds a role in an organisation. A user may hold several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)

    if TYPE_CHECKING:
        organisation_id: int

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.role_info.label} — {self.organisation}"

    @property
    def role_info(self) -> Role:
        return ROLES[RoleCode(self.role)]

    @property
    def is_active(self) -> bool:
        return self.ended_at is None or self.ended_at > timezone.now()


class ApiToken(models.Model):
    """A bearer token for a system (e.g. a hospital information system) acting as a membership.

    Only the SHA-256 of the key is stored; the key is shown once at creation.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
