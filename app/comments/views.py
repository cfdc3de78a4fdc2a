"""Comments on proposals, and the one-click unsubscribe page of the email notices."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import mail
from app.comments import services
from app.database import commit_and_keep, get_or_404
from app.errors import Forbidden, InvalidInput, ServiceError
from app.extensions import csrf, db, limiter
from app.forms import refuse_nul
from app.models import Comment, Proposal, User
from app.templating import (
    _l,  # lazy gettext with the per-request catalogue
    stamped,
)
from app.urls import comment_url, page_arg
from app.votes.limits import account_key, limit_for

bp = Blueprint("comments", __name__)

ALIGNMENT_LABELS = {
    "in_favor": _l("A favor"),
    "against": _l("En contra"),
    "neutral": _l("Neutral"),
}


MAX_COMMENTS_PAGE = 10_000




@bp.app_template_global()
def comment_thread(proposal: Proposal) -> services.ThreadPage:
    """A page of the thread of `proposal` with authors (?comments_page=N), in one query."""
    return services.thread(proposal, page_arg("comments_page", MAX_COMMENTS_PAGE),
                           current_app.config.get("COMMENTS_PER_PAGE", 100))


@bp.app_template_global()
def comment_refusal(proposal: Proposal) -> str | None:
    """Why the signed-in participant may not comment on `proposal`, or None."""
    return services.comment_refusal(current_user, proposal)


_ALIGNMENT_LABELS_BY_LANGUAGE: dict[str, dict[str, str]] = {}


@bp.app_context_processor
def _labels():
    # Translated once per language and process: a thread page shows a label on every
    # comment, and every page's context asks for them.
    language = str(get_locale())
    labels = _ALIGNMENT_LABELS_BY_LANGUAGE.get(language)
    if labels is None:
        labels = {key: str(label) for key, label in ALIGNMENT_LABELS.items()}
        _ALIGNMENT_LABELS_BY_LANGUAGE[language] = labels
    return {"ALIGNMENT_LABELS": labels}


def _anchor(comment: Comment) -> str:
    return comment_url(comment)


@bp.app_template_global()
def reply_form(owner, parent_id: int) -> Markup:
    """The blank reply form (comments/_form.html) under top-level comment `parent_id` of
    `owner`, rendered once per page and stamped with each comment's id
    (app.templating.stamped): a thread page shows one per comment. A form refilled after an
    error is rendered by the template itself."""
    def render(parent: int) -> str:
        return render_template("comments/_form.html", proposal=owner, parent_id=parent)

    return stamped(("reply", type(owner).__name__, owner.id), render, parent_id)


@bp.app_template_global()
def comment_post_url(owner) -> str:
    """Where the comment form of `owner` (a proposal or a commitment) posts."""
    if isinstance(owner, Proposal):
        return url_for("comments.create", proposal_id=owner.id)
    return url_for("consultation.post_comment", commitment_id=owner.id)


def _visible_proposal(proposal_id: int) -> Proposal:
    proposal = get_or_404(Proposal, proposal_id, _("No existe esa propuesta."))
    if not proposal.can_view(current_user):
        abort(404)
    return proposal


@bp.route("/proposals/<int:proposal_id>/comments", methods=["POST"])
@limiter.limit(limit_for("COMMENT_RATE_LIMIT_PER_IP"))
@limiter.limit(limit_for("COMMENT_RATE_LIMIT"), key_func=account_key)
@login_required
def create(proposal_id: int):
    """Post a comment or a reply."""
    proposal = _visible_proposal(proposal_id)
    form = request.form
    parent_id = form.get("parent_id") or None
    htmx = bool(request.headers.get("HX-Request"))
    try:
        refuse_nul()
        comment = services.post_comment(current_user, proposal, form.get("body"),
                                        parent_id=parent_id, alignment=form.get("alignment"))
    except InvalidInput as error:
        db.session.rollback()
        return _form_with_error(proposal, parent_id, error, htmx)
    if not htmx:
        db.session.commit()
        return redirect(_anchor(comment), 303)
    commit_and_keep()  # the fragment shows the comment as written
    return render_template("comments/_created.html", proposal=proposal, comment=comment,
                           parent_id=comment.parent_id, form_parent_id=parent_id)


def _form_with_error(proposal: Proposal, parent_id, error: ServiceError, htmx: bool):
    values = {"body": request.form.get("body", ""),
              "alignment": request.form.get("alignment", "neutral"),
              "parent_id": parent_id, "error": error.message}
    if htmx:
        response = current_app.make_response(render_template(
            "comments/_form.html", proposal=proposal, parent_id=parent_id, form_values=values))
        target = f"#reply-form-{parent_id}" if parent_id else f"#comment-form-{proposal.id}"
        response.headers["HX-Retarget"] = target
        response.headers["HX-Reswap"] = "outerHTML"
        return response, error.status
    return render_template("proposals/detail.html", proposal=proposal,
                           form_values=values), error.status


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    """Correct one's comment during its first 15 minutes."""
    comment = services.visible_comment(comment_id, current_user)
    if not comment.can_edit(current_user):
        raise Forbidden(_("Solo su autor puede editar un comentario, durante los "
                                   "primeros 15 minutos."))
    error = None
    if request.method == "POST":
        try:
            refuse_nul()
            services.edit_comment(current_user, comment, request.form.get("body"),
                                  request.form.get("alignment"))
        except InvalidInput as invalid:
            db.session.rollback()
            error = invalid.message
        else:
            db.session.commit()
            return redirect(_anchor(comment), 303)
    body = request.form.get("body", comment.body) if error else comment.body
    return render_template("comments/edit.html", comment=comment, body=body,
                           error=error), 400 if error else 200


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete(comment_id: int):
    """Delete one's comment (a placeholder stays in the thread)."""
    comment = services.visible_comment(comment_id, current_user)
    services.delete_comment(current_user, comment)
    db.session.commit()
    if request.headers.get("HX-Request"):
        # The placeholder, and the page's comment counts out of band.
        return (render_template("comments/_comment.html", comment=comment)
                + counts_fragment(comment.proposal_id))
    return redirect(_anchor(comment), 303)


def counts_fragment(proposal_id: int | None) -> str:
    """The comment counts of a proposal's page as htmx out-of-band swaps (after a change);
    nothing for a commitment's comment (`proposal_id` None)."""
    if proposal_id is None:
        return ""
    proposal = db.session.get(Proposal, proposal_id)
    return render_template("comments/_counts.html", proposal=proposal, oob=True)


@bp.route("/comments/<int:comment_id>/pin", methods=["POST"])
@login_required
def pin(comment_id: int):
    """Mark (or unmark) a comment as the official answer."""
    comment = services.visible_comment(comment_id, current_user)
    pinned = services.pin_comment(current_user, comment)
    db.session.commit()
    flash(_("Respuesta oficial destacada.") if pinned else _("Respuesta oficial retirada."),
          "success")
    return redirect(_anchor(comment), 303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authorization; mail clients POST without a form token
def unsubscribe(token: str):
    """One-click unsubscribe (RFC 8058): GET asks to confirm, POST turns the notice off."""
    data = mail.read_unsubscribe_token(token)
    user = db.session.get(User, data[0]) if data else None
    if user is None:
        raise InvalidInput(_("El enlace para dejar de recibir avisos no es válido."))
    kind = data[1]
    done = False
    if request.method == "POST":
        setattr(user, mail.NOTICE_KINDS[kind], False)
        db.session.commit()
        done = True
    return render_template("comments/unsubscribe.html", token=token, kind=kind, done=done)
