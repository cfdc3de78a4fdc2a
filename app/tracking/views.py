"""Implementation tracking: the public tracker (/tracking and its CSV), progress updates and
their comments on the commitment page, following a commitment, and naming stewards."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.session import role_required
from app.csvfile import csv_chunks
from app.database import get_or_404
from app.extensions import db, limiter
from app.forms import rerender, submit
from app.models import ProgressUpdate
from app.plan import exports
from app.tracking import queries, services
from app.tracking import trail as _trail  # noqa: F401 - registers the updates in the trail
from app.tracking.forms import StewardForm, UpdateCommentForm, update_form_for
from app.tracking.labels import COMPLETION_LABELS, MILESTONE_STATUS_LABELS
from app.votes.limits import account_key, limit_for

bp = Blueprint("tracking", __name__)
bp.add_app_template_global(exports.progress_text, "progress_text")
bp.add_app_template_global(exports.reports_progress, "reports_progress")


@bp.app_context_processor
def _labels():
    return {"COMPLETION_LABELS": COMPLETION_LABELS,
            "MILESTONE_STATUS_LABELS": MILESTONE_STATUS_LABELS}


def _commitment_page(commitment, form, key: str, anchor: str, **forms):
    """Bad input: the commitment page again (400), the form with its messages and input."""
    from app.consultation.views import commitment_context

    return rerender(form, "plan/commitment.html", key=key,
                    path=url_for("consultation.commitment", commitment_id=commitment.id),
                    **commitment_context(commitment, **forms), failed_anchor=anchor)


# --- the public tracker -------------------------------------------------------------------

@bp.route("/tracking")
def tracker():
    """Every tracked commitment with progress and completion, a bar chart, and totals by
    theme and lead institution; `plan` narrows to one plan."""
    return render_template("tracking/index.html",
                           tracker=queries.tracker(request.args.get("plan") or None))


@bp.route("/tracking.csv")
def tracker_csv():
    """The tracker's rows as CSV (UTF-8 with BOM, formula-neutralised cells)."""
    found = queries.tracker(request.args.get("plan") or None)
    name = f"seguimiento-{found.plan.slug}.csv" if found.plan else "seguimiento.csv"
    return Response(csv_chunks(queries.CSV_COLUMNS, (row.csv_row() for row in found.rows)),
                    mimetype="text/csv", headers={
                        "Content-Type": "text/csv; charset=utf-8",
                        "Content-Disposition": f'attachment; filename="{name}"'})


# --- progress updates, comments, following ------------------------------------------------

@bp.post("/plan/commitments/<int:commitment_id>/updates")
@login_required
def post_update(commitment_id: int):
    """A steward or a moderator reports progress (403 for others, 409 before adoption)."""
    commitment = services.get_commitment(commitment_id)
    services.check_can_report(current_user, commitment)
    form = update_form_for(commitment, MILESTONE_STATUS_LABELS)
    ok, update = submit(form, services.post_update, current_user, commitment,
                        form.summary.data, form.progress.data, form.obstacles.data,
                        form.evidence_url.data or [],
                        services.milestone_statuses_from(request.form))
    if not ok:
        return _commitment_page(commitment, form, "update", "nuevo-avance", update_form=form)
    db.session.commit()
    flash(_("El avance fue publicado y se avisó a quienes siguen el compromiso."), "success")
    return redirect(url_for("consultation.commitment", commitment_id=commitment.id,
                            _anchor=f"avance-{update.id}"), 303)


@bp.post("/plan/updates/<int:update_id>/comments")
@limiter.limit(limit_for("COMMENT_RATE_LIMIT_PER_IP"))
@limiter.limit(limit_for("COMMENT_RATE_LIMIT"), key_func=account_key)
@login_required
def comment_update(update_id: int):
    """Comment a progress update (anyone signed in who may take part)."""
    update = get_or_404(ProgressUpdate, update_id, _("No existe ese reporte de avance."))
    form = UpdateCommentForm()
    ok, comment = submit(form, services.comment_on_update, current_user, update,
                         form.body.data)
    if not ok:
        commitment = services.get_commitment(update.commitment_id)
        return _commitment_page(commitment, form, str(update.id), f"avance-{update.id}")
    db.session.commit()
    return redirect(url_for("consultation.commitment", commitment_id=update.commitment_id,
                            _anchor=f"comentario-{comment.id}"), 303)


@bp.post("/plan/commitments/<int:commitment_id>/follow")
@login_required
def follow(commitment_id: int):
    """Follow a commitment (an email on each update) or stop following it."""
    commitment = services.get_commitment(commitment_id)
    following = services.toggle_follow(current_user, commitment)
    db.session.commit()
    flash(_("Le avisaremos por correo de cada avance de este compromiso.") if following
          else _("Ya no recibirá avisos de este compromiso."), "success")
    return redirect(url_for("consultation.commitment", commitment_id=commitment.id,
                            _anchor="seguimiento"), 303)


# --- stewards (admins) --------------------------------------------------------------------

@bp.route("/admin/commitments/<int:commitment_id>/stewards", methods=["GET", "POST"])
@role_required("admin")
def stewards(commitment_id: int):
    """Name a public servant steward of a commitment (and list the stewards)."""
    commitment = services.get_commitment(commitment_id)
    form = StewardForm()
    if request.method == "POST":
        ok, steward = submit(form, services.name_steward, current_user, commitment,
                             form.email.data)
        if ok:
            db.session.commit()
            flash(_("%(name)s es ahora responsable del compromiso.",
                    name=steward.user.display_name), "success")
            return redirect(url_for("tracking.stewards", commitment_id=commitment.id), 303)
    return render_template("tracking/stewards.html", commitment=commitment, form=form,
                           stewards=queries.stewards_of(commitment)), (
        400 if form.errors else 200)


@bp.post("/admin/commitments/<int:commitment_id>/stewards/<int:user_id>/remove")
@role_required("admin")
def remove_steward(commitment_id: int, user_id: int):
    """Withdraw a steward's naming."""
    commitment = services.get_commitment(commitment_id)
    services.remove_steward(current_user, commitment, user_id)
    db.session.commit()
    flash(_("La persona ya no es responsable del compromiso."), "success")
    return redirect(url_for("tracking.stewards", commitment_id=commitment.id), 303)
