"""CSV import (upload → dry-run preview → confirm) and export, for directory editors.

Between the preview and the confirmation the uploaded file is kept server-side, outside any
served directory ($VAR_DIR/directory-imports/, owner-only permissions), under a random name
that only the uploader's session knows, with its SHA-256 checked again before the import: the
person confirms exactly the file they previewed, without uploading it twice. The file is
deleted once imported; leftovers of abandoned previews are removed after a day.
"""

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoparcours.directory.forms import ImportForm
from oncoparcours.directory.services.csv_columns import COLUMNS
from oncoparcours.directory.services.csv_io.export import offer_export_csv
from oncoparcours.directory.services.csv_io.importing import offer_import_csv
from oncoparcours.directory.services.csv_io.report import ImportReport
from oncoparcours.directory.views._common import editor

SESSION_KEY = "directory_import"
PENDING_MAX_AGE_SECONDS = 24 * 3600


def _pending_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "directory-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _purge_old(folder: Path) -> None:
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for path in folder.glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep(request: HttpRequest, content: bytes, name: str) -> str:
    folder = _pending_dir()
    _purge_old(folder)
    _forget(request)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.csv"
    path.write_bytes(content)
    path.chmod(0o600)
    request.session[SESSION_KEY] = {
        "token": token,
        "sha256": hashlib.sha256(content).hexdigest(),
        "name": name,
    }
    return token


def _kept(request: HttpRequest, token: str) -> bytes | None:
    pending = request.session.get(SESSION_KEY) or {}
    if not token or not secrets.compare_digest(str(pending.get("token", "")), token):
        return None
    path = _pending_dir() / f"{pending['token']}.csv"
    if not path.is_file():
        return None
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != pending.get("sha256"):
        return None
    return content


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and pending.get("token"):
        (_pending_dir() / f"{pending['token']}.csv").unlink(missing_ok=True)


def _render(
    request: HttpRequest,
    form: ImportForm,
    report: ImportReport | None = None,
    token: str = "",
    name: str = "",
    status: int = 200,
) -> HttpResponse:
    ctx = {
        "form": form,
        "report": report,
        "token": token,
        "file_name": name,
        "columns": COLUMNS,
    }
    return render(request, "directory/editor/import.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    by = editor(request)
    if request.method != "POST":
        return _render(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    report = offer_import_csv(by=by, file=content, dry_run=True)
    if not report.ok:
        return _render(request, form, report, name=upload.name, status=400)
    token = _keep(request, content, upload.name)
    return _render(request, ImportForm(), report, token=token, name=upload.name)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    by = editor(request)
    content = _kept(request, request.POST.get("token", ""))
    if content is None:
        messages.error(
            request,
            _("Ce fichier n'est plus disponible : déposez-le à nouveau pour le vérifier."),
        )
        return redirect("directory:import")
    report = offer_import_csv(by=by, file=content, dry_run=False)
    if not report.applied:
        # The offers changed since the preview: show why, keep nothing half-done.
        name = (request.session.get(SESSION_KEY) or {}).get("name", "")
        _forget(request)
        return _render(request, ImportForm(), report, name=name, status=400)
    _forget(request)
    messages.success(
        request,
        _(
            "Import terminé : %(created)s offre(s) créée(s), %(updated)s mise(s) à jour, "
            "%(unchanged)s inchangée(s)."
        )
        % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return redirect("directory:editor-list")


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    editor(request)
    response = HttpResponse(offer_export_csv(), content_type="text/csv; charset=utf-8")
    filename = f"repertoire-soins-de-support-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
