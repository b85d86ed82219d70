"""Writes on diplomas: evidence checked by its bytes, archived never deleted (PSG-15)."""

from datetime import date
from typing import IO

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.core.errors import Errors
from oncoparcours.core.files import MAX_UPLOAD_BYTES, upload_type
from oncoparcours.professionals.models import Diploma, EventKind
from oncoparcours.professionals.rules import EVIDENCE_EXTENSIONS
from oncoparcours.professionals.services._events import record_event


def _check_evidence(errors: Errors, evidence: UploadedFile | IO[bytes] | None) -> str | None:
    if evidence is None:
        errors.new(
            "evidence", _("Joignez le justificatif du diplôme."), "diploma.evidence_required"
        )
        return None
    size = getattr(evidence, "size", None)
    if size is None:
        evidence.seek(0, 2)
        size = evidence.tell()
    if size > MAX_UPLOAD_BYTES:
        errors.new(
            "evidence",
            _("Le justificatif ne doit pas dépasser 10 Mo."),
            "diploma.evidence_size",
        )
        return None
    evidence.seek(0)
    content_type = upload_type(evidence.read(8))
    evidence.seek(0)
    if content_type is None:
        errors.new(
            "evidence",
            _("Le justificatif doit être un PDF, une image JPEG ou PNG."),
            "diploma.evidence_type",
        )
    return content_type


@transaction.atomic
def diploma_add(
    *,
    by: Membership,
    professional: User,
    title: str,
    issuer: str,
    obtained_on: date | None,
    evidence: UploadedFile | IO[bytes] | None,
    today: date | None = None,
) -> Diploma:
    today = today or timezone.localdate()
    errors = Errors()
    title, issuer = (title or "").strip(), (issuer or "").strip()
    for field, value, message in (
        ("title", title, _("Indiquez l'intitulé du diplôme.")),
        ("issuer", issuer, _("Indiquez l'organisme qui a délivré le diplôme.")),
    ):
        if not value:
            errors.new(field, message, f"diploma.{field}_required")
        elif len(value) > 250:
            errors.new(
                field,
                _("Ce champ ne peut pas dépasser 250 caractères."),
                f"diploma.{field}_too_long",
            )
    if obtained_on is None:
        errors.new(
            "obtained_on", _("Indiquez la date d'obtention."), "diploma.obtained_on_required"
        )
    elif obtained_on > today:
        errors.new(
            "obtained_on",
            _("La date d'obtention ne peut pas être dans le futur."),
            "diploma.obtained_on_future",
        )
    content_type = _check_evidence(errors, evidence)
    errors.raise_if_any(where="diploma_add", by=by)
    assert evidence is not None
    assert content_type is not None
    assert obtained_on is not None

    diploma = Diploma(
        professional=professional,
        title=title,
        issuer=issuer,
        obtained_on=obtained_on,
        evidence_type=content_type,
        uploaded_by=by,
    )
    diploma.evidence.save(
        f"evidence{EVIDENCE_EXTENSIONS[content_type]}", File(evidence), save=False
    )
    diploma.save()
    record_event(
        professional=professional,
        kind=EventKind.DIPLOMA_ADDED,
        by=by,
        diploma=str(diploma.public_id),
    )
    return diploma


@transaction.atomic
def diploma_archive(*, by: Membership, diploma: Diploma) -> Diploma:
    """The diploma leaves the lists; the row and its evidence stay (what the ARS received)."""
    diploma = Diploma.objects.select_for_update().get(pk=diploma.pk)
    errors = Errors()
    if diploma.archived_at is not None:
        errors.new(NON_FIELD_ERRORS, _("Ce diplôme est déjà archivé."), "diploma.already_archived")
    errors.raise_if_any(where="diploma_archive", by=by)
    diploma.archived_at = timezone.now()
    diploma.archived_by = by
    diploma.save(update_fields=["archived_at", "archived_by"])
    record_event(
        professional=diploma.professional,
        kind=EventKind.DIPLOMA_ARCHIVED,
        by=by,
        diploma=str(diploma.public_id),
    )
    return diploma
