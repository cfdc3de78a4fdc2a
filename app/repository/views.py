"""The public repository: the listing, downloads, filing and withdrawing documents, and the
attendance lists of the mesas."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.session import role_required
from app.errors import InvalidInput
from app.extensions import db
from app.forms import form_status, submit
from app.mesas.services import get_mesa
from app.models import Commitment, Mesa
from app.repository import attendance, services
from app.repository.forms import TYPE_LABELS, UploadForm, WithdrawForm
from app.repository.storage import StorageError, get_storage

bp = Blueprint("repository", __name__)
FORM_ROOM = 2 * services.MB  # the form's other fields, above the largest file


def _max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * services.MB


@bp.url_value_preprocessor
def _allow_uploads(endpoint, _values):
    """The upload form alone may send a body up to MAX_UPLOAD_MB (plus its other fields);
    set before any before_request hook (the CSRF check) reads the form."""
    if endpoint == "repository.upload":
        request.max_content_length = _max_bytes() + FORM_ROOM


@bp.route("/repository")
def index():
    """Public documents, newest first; filters type, plan, mesa, commitment."""
    filters = services.parse_filters(request.args, max_per_page=services.PER_PAGE)
    return render_template("repository/index.html", page=services.list_documents(filters),
                           filters=filters, last_changed=services.last_changed(),
                           TYPE_LABELS=TYPE_LABELS)


def _render_upload(form: UploadForm, status: int = 200):
    form.file.description = _("PDF, ODT, ODS, DOCX, XLSX, CSV, PNG o JPEG, de hasta %(mb)d MB, "
                              "reconocidos por su contenido.",
                              mb=current_app.config["MAX_UPLOAD_MB"])
    return render_template("repository/upload.html", form=form), status


@bp.route("/repository/upload", methods=["GET", "POST"])
@role_required("moderator")
def upload():
    """File a document (moderators; stewards' evidence comes with implementation tracking)."""
    form = UploadForm(data={"mesa_id": request.args.get("mesa", type=int)})
    form.set_choices(*services.upload_choices())
    if request.method == "POST":
        ok, document = submit(form, _upload_from, form)
        if ok:
            _commit_or_discard(document)
            flash(_("El documento fue publicado en el repositorio."), "success")
            return redirect(url_for("repository.index"), 303)
    return _render_upload(form, form_status(form))


def _upload_from(form: UploadForm):
    upload_file = form.file.data
    return services.upload_document(
        user=current_user, stream=upload_file.stream if upload_file else None,
        filename=upload_file.filename if upload_file else "", title=form.title.data,
        type=form.type.data, document_date=form.document_date.data, max_bytes=_max_bytes(),
        plan_id=form.plan_id.data,
        mesa=form.mesa_id.data and db.session.get(Mesa, form.mesa_id.data),
        commitment=form.commitment_id.data
        and db.session.get(Commitment, form.commitment_id.data))


def _commit_or_discard(document) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        services.discard_file(document)
        raise


@bp.route("/repository/<int:document_id>/<path:filename>")
def download(document_id: int, filename: str):
    """The file, as an attachment (404 when withdrawn, except for moderators)."""
    document = services.get_document(document_id, current_user)
    if filename != document.original_filename:
        return redirect(url_for("repository.download", document_id=document.id,
                                filename=document.original_filename), 308)
    try:
        stream = get_storage().open(document.stored_name)
    except StorageError:
        current_app.logger.error("repository: file of document %s is missing", document.id)
        abort(404)
    response = send_file(stream, mimetype=document.content_type, as_attachment=True,
                         download_name=document.original_filename, conditional=False,
                         etag=document.sha256, max_age=600)
    response.content_length = document.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/repository/<int:document_id>/withdraw", methods=["GET", "POST"])
@role_required("moderator")
def withdraw(document_id: int):
    """Withdraw a document with a public reason (the file is kept for the record)."""
    document = services.get_document(document_id, current_user)
    form = WithdrawForm()
    if request.method == "POST":
        ok, _action = submit(form, services.withdraw_document, document, current_user,
                             form.reason.data)
        if ok:
            db.session.commit()
            flash(_("El documento fue retirado del repositorio."), "success")
            return redirect(url_for("repository.index"), 303)
    return render_template("repository/withdraw.html", document=document, form=form,
                           TYPE_LABELS=TYPE_LABELS), form_status(form)


@bp.route("/mesas/<int:mesa_id>/attendance-list.<fmt>")
@role_required("moderator")
def attendance_list(mesa_id: int, fmt: str):
    """The attendance list generated from the marked attendance, to check before filing."""
    if fmt not in attendance.FORMATS:
        abort(404)
    mesa = get_mesa(mesa_id)
    mimetype = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
    return Response(attendance.render(mesa, fmt), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{attendance.filename(mesa, fmt)}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@bp.route("/mesas/<int:mesa_id>/attendance-list", methods=["POST"])
@role_required("moderator")
def file_attendance_list(mesa_id: int):
    """File the generated attendance list (`format` = pdf | csv) in the repository."""
    mesa = get_mesa(mesa_id)
    fmt = request.form.get("format", "pdf")
    if fmt not in attendance.FORMATS:
        raise InvalidInput(_("Elija PDF o CSV."), field="format")
    document = attendance.file_attendance(mesa, current_user, fmt, _max_bytes())
    _commit_or_discard(document)
    flash(_("La lista de asistencia fue publicada en el repositorio."), "success")
    return redirect(url_for("repository.index", mesa=mesa.id), 303)
