"""Theme pages, proposal listings, and writing, revising and reading proposals."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.errors import Forbidden, NotFound, ServiceError
from app.extensions import db
from app.forms import refuse_nul
from app.models import Proposal, ProposalRevision
from app.proposals import history, services
from app.proposals.forms import ProposalForm
from app.proposals.queries import (
    SEARCH_COUNT_LIMIT,
    all_themes,
    find_theme,
    list_proposals,
    parse_filters,
    similar_proposals,
    theme_by_slug,
    theme_summaries,
)
from app.text import render_markdown

bp = Blueprint("proposals", __name__)


@bp.route("/themes")
def themes():
    """The 12 themes with their proposal and support counts."""
    return render_template("proposals/themes.html", themes=theme_summaries())


@bp.route("/themes/<slug>")
def theme(slug: str):
    """The proposals of one theme."""
    theme = theme_by_slug(slug)
    filters = parse_filters(request.args, theme=theme, strict=False)
    page = list_proposals(filters, cards=True, count_at_most=SEARCH_COUNT_LIMIT)
    return render_template("proposals/theme.html", theme=theme, filters=filters, page=page)


@bp.route("/proposals")
def index():
    """Every visible proposal, filterable by theme."""
    filters = parse_filters(request.args, strict=False)
    page = list_proposals(filters, cards=True, count_at_most=SEARCH_COUNT_LIMIT)
    return render_template("proposals/index.html", filters=filters, page=page,
                           all_themes=all_themes())


def _form_errors(form: ProposalForm, error: ServiceError) -> int:
    """Put the service's messages next to their fields; the HTTP status to answer with."""
    if isinstance(error, (Forbidden, NotFound)):
        raise error
    errors = getattr(error, "errors", None) or {error.field or "title": [error.message]}
    for name, messages in errors.items():
        target = form[name] if name in form else form.title
        target.errors = list(target.errors or []) + list(messages)
    return error.status


PREVIEWED = ("problem", "cause", "description", "contribution")


def _preview(form: ProposalForm) -> dict[str, str] | None:
    """The Markdown fields as they would be published, when "Vista previa" was pressed (a
    submit button: it works without JavaScript; nothing is saved)."""
    if not request.form.get("preview"):
        return None
    return {name: render_markdown(form[name].data) for name in PREVIEWED}


def _render_form(form: ProposalForm, themes, status: int = 200, proposal=None, preview=None):
    form.theme.choices = [SelectChoice("", _("Elija una temática"))] + [
        SelectChoice(theme.slug, theme.name if theme.proposals_open()
                     else _("%(name)s (plazo cerrado)", name=theme.name)) for theme in themes
    ]
    template = "proposals/edit.html" if proposal else "proposals/new.html"
    return render_template(template, form=form, proposal=proposal, preview=preview), status


@bp.route("/proposals/new", methods=["GET", "POST"])
@login_required
def new():
    """Write a proposal in the OGP template."""
    form = ProposalForm()
    themes = all_themes()
    if request.method == "GET":
        form.theme.data = request.args.get("theme", "")
        return _render_form(form, themes)
    if (preview := _preview(form)) is not None:
        return _render_form(form, themes, preview=preview)
    theme = find_theme(form.theme.data)
    try:
        refuse_nul()
        proposal = services.submit_proposal(
            current_user._get_current_object(), theme, form.proposal_data())
    except ServiceError as error:
        return _render_form(form, themes, _form_errors(form, error))
    db.session.commit()
    flash(_("Su propuesta fue publicada. Gracias por participar."), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), 303)


@bp.route("/proposals/similar")
def similar():
    """Fragment: up to 5 proposals of the theme resembling the title being typed (htmx)."""
    theme = find_theme(request.args.get("theme"))
    proposals = similar_proposals(theme, request.args.get("title"))
    return render_template("proposals/_similar.html", proposals=proposals)


def _visible_or_404(proposal_id: int) -> Proposal:
    # Theme and author come in the same query: every page of a proposal shows both.
    proposal = db.session.get(Proposal, proposal_id,
                              options=[joinedload(Proposal.theme), joinedload(Proposal.author)])
    if proposal is None:
        abort(404)
    if not proposal.can_view(current_user):
        # A placeholder keeps the moderation decision public; the status stays 404.
        abort(make_response(render_template("proposals/hidden.html", proposal=proposal), 404))
    return proposal


@bp.route("/proposals/<int:proposal_id>")
def detail(proposal_id: int):
    """One proposal in the OGP template."""
    proposal = _visible_or_404(proposal_id)
    return render_template("proposals/detail.html", **detail_context(proposal))


def detail_context(proposal: Proposal) -> dict:
    """What proposals/detail.html needs besides the forms (also for re-rendering the page
    with a moderation or report form's errors)."""
    revision_count = db.session.scalar(
        db.select(db.func.count(ProposalRevision.id))
        .where(ProposalRevision.proposal_id == proposal.id))
    return {"proposal": proposal, "revision_count": revision_count}


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    """Revise a proposal; the previous text is kept in its history."""
    proposal = _visible_or_404(proposal_id)
    if not proposal.can_edit(current_user):
        abort(403)
    themes = all_themes()
    if request.method == "GET":
        form = ProposalForm(obj=proposal)
        form.theme.data = proposal.theme.slug
        return _render_form(form, themes, proposal=proposal)
    form = ProposalForm()
    if (preview := _preview(form)) is not None:
        return _render_form(form, themes, proposal=proposal, preview=preview)
    data = form.proposal_data()
    if form.theme.data and form.theme.data != proposal.theme.slug:
        data["theme"] = find_theme(form.theme.data)
        if data["theme"] is None:
            form.theme.errors = [_("Elija una de las 12 temáticas.")]
            return _render_form(form, themes, 400, proposal)
    try:
        refuse_nul()
        services.revise_proposal(proposal, current_user._get_current_object(), data)
    except ServiceError as error:
        return _render_form(form, themes, _form_errors(form, error), proposal)
    db.session.commit()
    flash(_("Los cambios fueron guardados. La versión anterior queda en el historial."),
          "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), 303)


@bp.route("/proposals/<int:proposal_id>/history")
def history_view(proposal_id: int):
    """Every version of a proposal and what changed between two of them."""
    proposal = _visible_or_404(proposal_id)
    versions = history.proposal_versions(proposal)
    pair = history.pick_versions(versions, request.args)
    diffs = history.diff_versions(*pair) if pair else []
    return render_template("proposals/history.html", proposal=proposal, versions=versions,
                           pair=pair, diffs=diffs)
