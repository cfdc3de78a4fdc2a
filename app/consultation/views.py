"""The public consultation on the plan draft: opening it (admins), the commitment pages and
their comments, the moderators' dispositions, and the public response report."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from app.auth.session import role_required
from app.consultation import queries, services
from app.csvfile import csv_chunks
from app.database import commit_and_keep
from app.errors import InvalidInput, ServiceError
from app.extensions import db, limiter
from app.plan import services as plan_services
from app.plan.serializers import commitment_document
from app.templating import _l
from app.urls import comment_url, page_arg
from app.votes.limits import account_key, limit_for

bp = Blueprint("consultation", __name__)

DISPOSITION_LABELS = {
    "incorporated": _l("Incorporado"),
    "partially_incorporated": _l("Incorporado parcialmente"),
    "not_incorporated": _l("No incorporado"),
    "out_of_scope": _l("Fuera del alcance"),
    "pending": _l("Sin respuesta"),
}
MAX_COMMENTS_PAGE = 10_000


@bp.app_context_processor
def _labels():
    return {"DISPOSITION_LABELS": {key: str(label) for key, label in
                                   DISPOSITION_LABELS.items()}}


@bp.app_template_global()
def open_consultation_of(plan):
    """The plan's newest consultation while it is open, else None (for /plan's invitation);
    a query only while the plan is in consultation."""
    if plan.status != "consultation":
        return None
    consultation = services.latest_consultation(plan.id)
    return consultation if consultation and consultation.is_open() else None


@bp.app_template_global()
def consultation_queue():
    """The moderators' queue of consultation comments, "sin respuesta" first."""
    return queries.awaiting_response()


# --- admins -------------------------------------------------------------------------------

@bp.route("/admin/plans/<slug>/consultation", methods=["GET", "POST"])
@role_required("admin")
def open_window(slug: str):
    """Open the public consultation on the plan's latest published version."""
    plan = services.get_plan(slug)
    values, error = dict(request.form), None
    if request.method == "POST":
        try:
            services.open_consultation(current_user, plan, request.form.get("opens_at"),
                                       request.form.get("closes_at"))
        except InvalidInput as invalid:
            db.session.rollback()
            error = invalid
        else:
            db.session.commit()
            return redirect(url_for("plan.index", _anchor="consulta"), 303)
    return render_template("consultation/open.html", plan=plan, values=values,
                           error=error), 400 if error else 200


# --- the commitment page and its comments -------------------------------------------------

get_commitment = services.get_commitment

def _commitment_page(commitment, status: int = 200, **extra):
    return render_template("plan/commitment.html", **commitment_context(commitment),
                           **extra), status


def commitment_context(commitment, **forms) -> dict:
    """What plan/commitment.html needs, whatever the number of comments and updates: the
    consultation (the commitment with its theme and milestones, its sources, the
    consultation, the thread, the counts by disposition, a newer version) and the
    implementation (app/tracking/views.py `page_context`; `forms`: its failed forms). Also
    for forms re-rendered on it."""
    from app.tracking.page import page_context

    consultation = services.latest_consultation(commitment.plan_id)
    document = commitment_document(commitment)
    counts = queries.counts_by_disposition(commitment.plan_id, commitment.id)
    thread = services.comments.thread(
        commitment, page_arg("comments_page", MAX_COMMENTS_PAGE),
        current_app.config.get("COMMENTS_PER_PAGE", 100))
    refusal = (services.comment_refusal(current_user, commitment, consultation)
               if current_user.is_authenticated else None)
    return dict(
        commitment=commitment, c=document, consultation=consultation, thread=thread,
        refusal=refusal, comment_count=counts["total"], counts=counts,
        changes=queries.changes_since_consultation(commitment, consultation),
        **page_context(commitment, **forms))


@bp.route("/plan/commitments/<int:commitment_id>")
def commitment(commitment_id: int):
    """One commitment: template fields, milestones, sources and its consultation comments."""
    return _commitment_page(services.get_commitment(commitment_id))


@bp.post("/plan/commitments/<int:commitment_id>/comments")
@limiter.limit(limit_for("COMMENT_RATE_LIMIT_PER_IP"))
@limiter.limit(limit_for("COMMENT_RATE_LIMIT"), key_func=account_key)
@login_required
def post_comment(commitment_id: int):
    """Comment a commitment (or reply) while the consultation is open (409 otherwise)."""
    commitment = services.get_commitment(commitment_id)
    form, htmx = request.form, bool(request.headers.get("HX-Request"))
    parent_id = form.get("parent_id") or None
    try:
        comment = services.post_comment(current_user, commitment, form.get("body"),
                                        form.get("alignment"), parent_id)
    except InvalidInput as error:
        db.session.rollback()
        return _comment_form_with_error(commitment, parent_id, error, htmx)
    if not htmx:
        db.session.commit()
        return redirect(comment_url(comment), 303)
    commit_and_keep()  # the fragment shows the comment as written
    return render_template("consultation/_created.html", proposal=commitment, comment=comment,
                           parent_id=comment.parent_id)


def _comment_form_with_error(commitment, parent_id, error: ServiceError, htmx: bool):
    values = {"body": request.form.get("body", ""),
              "alignment": request.form.get("alignment", "neutral"),
              "parent_id": parent_id, "error": error.message}
    if htmx:
        response = current_app.make_response(render_template(
            "comments/_form.html", proposal=commitment, parent_id=parent_id, form_values=values))
        target = f"#reply-form-{parent_id}" if parent_id else f"#comment-form-{commitment.id}"
        response.headers["HX-Retarget"] = target
        response.headers["HX-Reswap"] = "outerHTML"
        return response, error.status
    return _commitment_page(commitment, error.status, form_values=values)


@bp.post("/plan/comments/<int:comment_id>/disposition")
@role_required("moderator")
def disposition(comment_id: int):
    """Give a consultation comment its disposition and reasoned response; email its author."""
    comment = services.comments.get_comment(comment_id)
    htmx = bool(request.headers.get("HX-Request"))
    try:
        services.give_disposition(current_user, comment, request.form.get("disposition"),
                                  request.form.get("response"))
    except InvalidInput as error:
        db.session.rollback()
        values = {"comment_id": comment.id, "disposition": request.form.get("disposition"),
                  "response": request.form.get("response", ""), "error": error.message,
                  "field": error.field}
        if htmx:  # the block again, its form refilled (swapped in place despite the 400)
            response = current_app.make_response(render_template(
                "consultation/_disposition.html", comment=comment, disposition_values=values))
            response.headers["HX-Reswap"] = "outerHTML"
            return response, error.status
        commitment = services.get_commitment(comment.commitment_id)
        return _commitment_page(commitment, error.status, disposition_values=values)
    if htmx:
        commit_and_keep()
        return render_template("consultation/_disposition.html", comment=comment)
    db.session.commit()
    return redirect(comment_url(comment), 303)


# --- the public report --------------------------------------------------------------------

@bp.route("/plan/consultation")
def report():
    """Every consultation comment with its commitment, disposition and response."""
    plan = plan_services.current_plan()
    filters = queries.parse_report_filters(request.args)
    return render_template(
        "consultation/report.html", plan=plan, filters=filters,
        consultation=services.latest_consultation(plan.id),
        page=queries.report_page(plan.id, filters),
        counts=queries.counts_by_disposition(plan.id, filters.commitment),
        commitments=queries.commitment_options(plan.id))


def csv_row(row: queries.ReportRow) -> list:
    """One report row as CSV cells (made safe by app.csvfile)."""
    return [row.id, row.commitment_number, row.commitment_title, row.author, row.alignment,
            row.created_at.isoformat(), row.body, row.disposition or queries.PENDING,
            row.disposition_response or "",
            row.disposition_at.isoformat() if row.disposition_at else ""]


@bp.route("/plan/consultation.csv")
def report_csv():
    """The response report as CSV (UTF-8 with BOM, formula-neutralised cells), streamed."""
    plan = plan_services.current_plan()
    filters = queries.parse_report_filters(request.args)
    rows = (csv_row(row) for row in queries.report_rows(plan.id, filters))
    return Response(stream_with_context(csv_chunks(queries.REPORT_COLUMNS, rows)),
                    mimetype="text/csv", headers={
                        "Content-Type": "text/csv; charset=utf-8",
                        "Content-Disposition": 'attachment; filename="consulta-respuestas.csv"'})


