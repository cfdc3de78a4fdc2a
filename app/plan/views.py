"""The action plan draft: the readable document, its exports, versions and editing."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.session import role_required
from app.consultation import queries as consultation_queries
from app.extensions import db
from app.forms import confirm_first, form_status, rerender, submit
from app.plan import exports, pdf, services
from app.plan.diff import changes
from app.plan.forms import CommitmentForm, MilestoneForm, VersionForm
from app.plan.rendering import document_html
from app.plan.serializers import plan_document, without_emails

bp = Blueprint("plan", __name__)
bp.add_app_template_global(document_html, "plan_document_html")


def _export(document: dict, fmt: str, version=None) -> Response:
    if fmt not in exports.MEDIA_TYPES:
        abort(404)
    if fmt == "json":
        response = jsonify(document)
    elif fmt == "md":
        response = Response(exports.to_markdown(document), mimetype="text/markdown")
    elif fmt == "csv":
        response = Response(exports.to_csv(document), mimetype="text/csv")
    else:
        label = version.label if version else None
        response = Response(pdf.to_pdf(document, label), mimetype="application/pdf")
    response.headers["Content-Type"] = exports.MEDIA_TYPES[fmt]
    name = exports.filename(document, fmt, version.number if version else None)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/plan")
def index():
    """The draft as a readable document, grouped by theme, each commitment traced."""
    return render_template("plan/index.html", **_index_context(services.current_plan()))


def _index_context(plan) -> dict:
    document = plan_document(plan)
    versions = services.list_versions(plan)
    latest = versions[0] if versions else None
    return {"document": document, "versions": versions, "latest": latest, "version": None,
            "changes": changes(without_emails(latest.snapshot) if latest else None, document),
            "plan": plan}


@bp.route("/plan/export.<fmt>")
def export(fmt: str):
    """The draft as Markdown, CSV, JSON (as /api/v1/plan) or PDF."""
    if fmt not in exports.MEDIA_TYPES:
        abort(404)
    plan = services.current_plan()
    document = plan_document(plan)
    if fmt == "pdf":  # the consultation's response report, as an annex
        document = consultation_queries.with_annex(document, plan.id)
    return _export(document, fmt)


@bp.route("/plan/versions/<int:number>")
def version(number: int):
    """A published version, and what changed since the one before."""
    plan = services.current_plan()
    version = services.get_version(plan, number)
    previous = services.previous_version(version)
    snapshot = without_emails(version.snapshot)
    return render_template(
        "plan/index.html", document=snapshot, version=version, latest=None,
        versions=services.list_versions(plan),
        changes=changes(without_emails(previous.snapshot) if previous else None, snapshot),
        previous=previous)


@bp.route("/plan/versions/<int:number>/export.<fmt>")
def version_export(number: int, fmt: str):
    """A published version in any export format."""
    if fmt not in exports.MEDIA_TYPES:
        abort(404)
    version = services.get_version(services.current_plan(), number)
    return _export(without_emails(version.snapshot), fmt, version)


@bp.post("/plan/versions")
@role_required("moderator")
def publish():
    """Publish the current draft as a new version."""
    plan = services.current_plan()
    form = VersionForm()
    ok, version = submit(form, services.publish_version, plan, current_user, form.label.data)
    if not ok:
        return rerender(form, "plan/index.html", path=url_for("plan.index"),
                        **_index_context(plan))
    db.session.commit()
    flash(_("Publicada la versión «%(label)s».", label=version.label), "success")
    return redirect(url_for("plan.version", number=version.number), 303)


@bp.route("/plan/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@role_required("moderator")
def edit_commitment(commitment_id: int):
    """Edit a commitment in the OGP template, and its milestones."""
    commitment = services.get_commitment(commitment_id)
    form = CommitmentForm(obj=commitment)
    if request.method == "POST":
        ok, _commitment = submit(form, services.update_commitment, commitment, form.data)
        if ok:
            db.session.commit()
            flash(_("Compromiso actualizado."), "success")
            return redirect(url_for("plan.edit_commitment", commitment_id=commitment.id), 303)
    return render_template("plan/edit.html", commitment=commitment, form=form), form_status(form)


def _milestone_error(form: MilestoneForm, commitment, key):
    """The commitment's page again, the milestone form open with its messages and input."""
    return rerender(form, "plan/edit.html", key=key, commitment=commitment,
                    form=CommitmentForm(obj=commitment, formdata=None),
                    path=url_for("plan.edit_commitment", commitment_id=commitment.id))


@bp.post("/plan/commitments/<int:commitment_id>/milestones")
@role_required("moderator")
def add_milestone(commitment_id: int):
    """Add a milestone to a commitment."""
    commitment = services.get_commitment(commitment_id)
    form = MilestoneForm()
    ok, _milestone = submit(form, services.add_milestone, commitment, form.data)
    if not ok:
        return _milestone_error(form, commitment, "new")
    db.session.commit()
    flash(_("Hito agregado."), "success")
    return redirect(url_for("plan.edit_commitment", commitment_id=commitment.id), 303)


@bp.post("/plan/milestones/<int:milestone_id>/edit")
@role_required("moderator")
def edit_milestone(milestone_id: int):
    """Change a milestone."""
    milestone = services.get_milestone(milestone_id)
    form = MilestoneForm()
    ok, _milestone = submit(form, services.update_milestone, milestone, form.data)
    if not ok:
        return _milestone_error(form, milestone.commitment, milestone.id)
    db.session.commit()
    flash(_("Hito actualizado."), "success")
    return redirect(url_for("plan.edit_commitment", commitment_id=milestone.commitment_id), 303)


@bp.post("/plan/milestones/<int:milestone_id>/delete")
@role_required("moderator")
def delete_milestone(milestone_id: int):
    """Remove a milestone (after a confirm step that works without JavaScript)."""
    milestone = services.get_milestone(milestone_id)
    confirm = confirm_first(
        _("¿Eliminar el hito «%(text)s»?", text=milestone.description[:80]), _("Sí, eliminar"),
        url_for("plan.edit_commitment", commitment_id=milestone.commitment_id),
        _("El hito se quita del compromiso; esta acción no se puede deshacer."))
    if confirm is not None:
        return confirm
    commitment = services.delete_milestone(milestone)
    db.session.commit()
    flash(_("Hito eliminado."), "success")
    return redirect(url_for("plan.edit_commitment", commitment_id=commitment.id), 303)


@bp.post("/plan/commitments/<int:commitment_id>/move")
@role_required("moderator")
def move_commitment(commitment_id: int):
    """Move a commitment up or down within its theme; numbers follow."""
    commitment = services.get_commitment(commitment_id)
    services.move_commitment(commitment, request.form.get("direction", ""))
    db.session.commit()
    return redirect(url_for("plan.index") + f"#compromiso-{commitment.id}", 303)
