"""CSV export and import for the editors; the import is a dry run unless told otherwise."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.responses import Status

from oncoparcours.directory import services
from oncoparcours.directory.api.base import editor, router
from oncoparcours.directory.api.schemas import ImportOut


@router.get(
    "/export",
    summary="Exporter les offres actives en CSV (éditeurs)",
)
def offer_export(request: HttpRequest) -> HttpResponse:
    editor(request)
    response = HttpResponse(services.offer_export_csv(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="repertoire-{stamp}.csv"'
    return response


@router.post(
    "/import",
    response={200: ImportOut, 400: ImportOut},
    summary="Importer un CSV (éditeurs) ; dry_run (par défaut) montre ce qui changerait",
    # The file is read after the permission check, not by a schema that would answer an
    # outsider with a validation error before refusing them.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            }
        }
    },
)
def offer_import(request: HttpRequest, dry_run: bool = True) -> Status[dict[str, Any]]:
    current = editor(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(
            {
                "file": [
                    ValidationError(
                        _("Joignez le fichier CSV (champ « file »)."),
                        code="directory.csv.file_required",
                    )
                ]
            }
        )
    report = services.offer_import_csv(by=current, file=upload.read(), dry_run=dry_run)

    def error_out(error: services.RowError) -> dict[str, Any]:
        return {
            "code": error.code,
            "message": error.message,
            "field": error.column,
            "row": error.row,
        }

    body = {
        "applied": report.applied,
        "dry_run": dry_run,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rows": [
            {
                "row": row.row,
                "action": row.action,
                "id": row.public_id,
                "title": row.title,
                "changed_fields": row.changed_fields,
                "errors": [error_out(e) for e in row.errors],
            }
            for row in report.rows
        ],
        "errors": [error_out(e) for e in report.errors],
    }
    return Status(200 if report.ok else 400, body)
