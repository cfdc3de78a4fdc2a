"""Flags from participants, and the moderators' queue, decisions, hiding and blocking."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app.auth.session import role_required
from app.comments.views import counts_fragment
from app.extensions import db, limiter
from app.forms import confirm_first, form_for, rerender, submit, validate
from app.models import Comment, Proposal
from app.models.moderation import FLAG_REASONS
from app.moderation import notifications, queries, services
from app.moderation.forms import BlockForm, DecisionForm, FlagForm, HideForm
from app.templating import stamped
from app.urls import comment_url, safe_next
from app.votes.limits import account_key

bp = Blueprint("moderation", __name__)
KINDS = {"proposals": "proposal", "comments": "comment"}
FLAG_REASON_LABELS = {
    "spam": _l("Spam o publicidad"),
    "offensive": _l("Ofensivo o irrespetuoso"),
    "off_topic": _l("Fuera de tema"),
    "duplicate": _l("Duplicado"),
    "other": _l("Otro motivo"),
}
assert set(FLAG_REASON_LABELS) == set(FLAG_REASONS)
# Reports: strict per account (one person cannot flood the queue or force auto-hiding alone),
# generous per address (a mesa room shares one). Each is a setting.
FLAG_LIMIT_DEFAULTS = {"FLAG_RATE_LIMIT": "10/minute", "FLAG_RATE_LIMIT_PER_IP": "300/minute"}


def _flag_limit(setting: str):
    def value() -> str:
        return current_app.config.get(setting) or FLAG_LIMIT_DEFAULTS[setting]

    return value
# The decision form's choices, in the order a moderator usually needs them.
DECISION_LABELS = {
    "under_review": _l("En revisión"),
    "accepted": _l("Aceptar en el borrador del plan"),
    "merged": _l("Fusionar con otra propuesta"),
    "rejected": _l("No incluir"),
    "open": _l("Reabrir (volver a abierta)"),
}


def _back(default: str):
    """Redirect (303) to the form's same-site `next` path, or to `default`."""
    return redirect(safe_next(request.form.get("next"), default), 303)


def _done(message: str, default: str, category: str = "success", target=None):
    if request.headers.get("HX-Request"):
        html = render_template("moderation/_done.html", message=message)
        if isinstance(target, Comment):  # the page's comment counts moved with it
            html += counts_fragment(target.proposal_id)
        return html
    flash(message, category)
    return _back(default)


def _target_url(target_type: str, target) -> str:
    if target_type == "proposal":
        return url_for("proposals.detail", proposal_id=target.id)
    return comment_url(target)


def _proposal_of(target_type: str, target) -> Proposal:
    return target if target_type == "proposal" else target.proposal


def _rerender(form, key, target_type: str, item, /, **fragment):
    """Bad input: the page the form was on (the queue, the proposal or the commitment), 400,
    with the form's message and what was typed; htmx gets only the form (`fragment`)."""
    from app.proposals.views import detail_context

    if request.form.get("next", "").startswith("/moderation"):
        return rerender(form, "moderation/queue.html", key=key, path=url_for("moderation.queue"),
                        **queue_context(), **fragment)
    if target_type == "comment" and item.proposal_id is None:  # on a commitment or update
        from app.consultation.views import commitment_context, get_commitment

        commitment = get_commitment(item.commitment_id or item.update.commitment_id)
        return rerender(form, "plan/commitment.html", key=key, **commitment_context(commitment),
                        path=url_for("consultation.commitment", commitment_id=commitment.id),
                        **fragment)
    proposal = _proposal_of(target_type, item)
    return rerender(form, "proposals/detail.html", key=key, **detail_context(proposal),
                    path=url_for("proposals.detail", proposal_id=proposal.id), **fragment)


@bp.post("/proposals/<int:target_id>/flag", defaults={"kind": "proposals"})
@bp.post("/comments/<int:target_id>/flag", defaults={"kind": "comments"})
@limiter.limit(_flag_limit("FLAG_RATE_LIMIT_PER_IP"), scope="flag-ip")
@limiter.limit(_flag_limit("FLAG_RATE_LIMIT"), key_func=account_key, scope="flag-account")
@login_required
def flag(kind: str, target_id: int):
    """Report a proposal or a comment to the moderators."""
    target_type = KINDS[kind]
    form = FlagForm()
    ok, result = submit(
        form, services.flag_content, current_user, target_type, target_id, form.reason.data or "",
        form.details.data or "", current_app.config["REQUIRE_EMAIL_CONFIRMATION"])
    target = services.get_target(target_type, target_id)
    if not ok:
        key = kind[0] + str(target_id)
        return _rerender(form, key, target_type, target, fragment="moderation/_flag_form.html",
                         hx_target=f"#flag-{key}", flag_id=key,
                         flag_url=url_for("moderation.flag", kind=kind, target_id=target_id))
    if result.auto_hidden:
        notifications.notify_auto_hidden(target)  # queued: sent after the commit
    db.session.commit()
    return _done(_("Gracias. Su reporte llegará a la mesa técnica."),
                 _target_url(target_type, target), target=target)


def queue_context() -> dict:
    """What moderation/queue.html needs (also to re-render it with a form's errors)."""
    filters = queries.parse_queue_filters(request.args)
    hidden_proposals, hidden_comments = queries.hidden_content()
    return {"flagged": queries.flagged_items(), "page": queries.awaiting_decision(filters),
            "filters": filters, "themes": queries.themes(),
            "hidden_proposals": hidden_proposals, "hidden_comments": hidden_comments,
            "blocked": queries.blocked_users(), "FLAG_REASONS": FLAG_REASONS,
            # The lists show the oldest reports and the newest hidden content only.
            "QUEUE_LIMIT": queries.QUEUE_LIMIT, "HIDDEN_LIMIT": queries.HIDDEN_LIMIT}


@bp.route("/moderation")
@role_required("moderator")
def queue():
    """Flagged content (oldest first) and proposals awaiting a decision (most supported)."""
    return render_template("moderation/queue.html", **queue_context())


@bp.post("/moderation/proposals/<int:proposal_id>/decision")
@role_required("moderator")
def decide(proposal_id: int):
    """Change a proposal's status with its public reasoned response; email the people involved."""
    proposal = services.get_proposal(proposal_id)
    form = DecisionForm()
    ok, entry = submit(form, services.decide_proposal, current_user, proposal,
                       form.status.data or "", form.response.data or "", form.merge_into.data)
    if not ok:
        return _rerender(form, proposal.id, "proposal", proposal)
    if entry.to_status != "open":
        notifications.notify_decision(proposal)  # queued: sent after the commit
    db.session.commit()
    return _done(_("Decisión registrada y comunicada."),
                 url_for("proposals.detail", proposal_id=proposal.id))


@bp.post("/moderation/proposals/<int:target_id>/hide", defaults={"kind": "proposals"})
@bp.post("/moderation/comments/<int:target_id>/hide", defaults={"kind": "comments"})
@role_required("moderator")
def hide(kind: str, target_id: int):
    """Hide content, with the reason shown in its place."""
    form = HideForm()
    ok, target = submit(form, services.hide_content, current_user, KINDS[kind], target_id,
                        form.reason.data or "")
    if not ok:
        return _rerender(form, f"{kind}-{target_id}", KINDS[kind],
                         services.get_target(KINDS[kind], target_id))
    db.session.commit()
    return _done(_("Contenido ocultado."), _target_url(KINDS[kind], target), target=target)


@bp.post("/moderation/proposals/<int:target_id>/restore", defaults={"kind": "proposals"})
@bp.post("/moderation/comments/<int:target_id>/restore", defaults={"kind": "comments"})
@role_required("moderator")
def restore(kind: str, target_id: int):
    """Show hidden content again."""
    target = services.restore_content(current_user, KINDS[kind], target_id,
                                      request.form.get("reason", ""))
    db.session.commit()
    return _done(_("Contenido restablecido."), _target_url(KINDS[kind], target),
                 target=target)


@bp.post("/moderation/proposals/<int:target_id>/dismiss", defaults={"kind": "proposals"})
@bp.post("/moderation/comments/<int:target_id>/dismiss", defaults={"kind": "comments"})
@role_required("moderator")
def dismiss(kind: str, target_id: int):
    """Close the open reports on content that breaks no rule."""
    services.dismiss_flags(current_user, KINDS[kind], target_id)
    db.session.commit()
    return _done(_("Reportes descartados."), url_for("moderation.queue"))


@bp.post("/moderation/users/<int:user_id>/block")
@role_required("moderator")
def block(user_id: int):
    """Stop a participant from posting, supporting and commenting (after a confirm step)."""
    user = services.get_user(user_id)
    form = BlockForm()
    if not validate(form):
        return rerender(form, "moderation/queue.html", key=user.id,
                        path=url_for("moderation.queue"), **queue_context())
    confirm = confirm_first(
        _("¿Bloquear la cuenta de %(name)s?", name=user.display_name), _("Sí, bloquear"),
        url_for("moderation.queue"),
        _("La cuenta ya no podrá proponer, apoyar ni comentar. Motivo: %(reason)s",
          reason=form.reason.data.strip()))
    if confirm is not None:
        return confirm
    ok, _user = submit(form, services.block_user, current_user, user, form.reason.data)
    if not ok:
        return rerender(form, "moderation/queue.html", key=user.id,
                        path=url_for("moderation.queue"), **queue_context())
    db.session.commit()
    return _done(_("Cuenta bloqueada."), url_for("moderation.queue"))


@bp.post("/moderation/users/<int:user_id>/unblock")
@role_required("admin")
def unblock(user_id: int):
    """Let a blocked participant take part again (administrators)."""
    user = services.get_user(user_id)
    services.unblock_user(current_user, user)
    db.session.commit()
    return _done(_("Cuenta desbloqueada."), url_for("moderation.queue"))


# Stands for an item's key in the one rendering of an empty reason field (`reason_field`).
STAMP = "__item_key__"


@dataclass(frozen=True)
class ReasonField:
    html: Markup
    failed: bool  # the form that just failed: its disclosure opens on its message


def _field_html(field) -> Markup:
    macros = current_app.jinja_env.get_template("macros/forms.html").module
    return macros.field(field)  # type: ignore[attr-defined]  # a macro of the template


@bp.app_template_global()
def reason_field(name: str, key) -> ReasonField:
    """The `reason` field of the hide or block form `name` for item `key`, as HTML.

    A list gives each item its own form, whose ids end in the key (app.forms.keyed). Empty
    fields differ only in those ids, so the field is rendered once per request and stamped
    with each key, instead of a form and a macro call per item (the queue shows up to ~250).
    The form that just failed for `key` comes back with its errors and input."""
    failed = g.get("failed_form")
    if failed is not None and failed[0] == name and failed[1] == str(key):
        return ReasonField(_field_html(failed[2].reason), True)
    blanks = request.environ.setdefault("cocrea.blank_reason_fields", {})
    blank = blanks.get(name)
    if blank is None:
        blank = blanks[name] = str(_field_html(form_for(name, STAMP).reason))
    # The blank is Jinja's autoescaped output; the key is escaped before it goes in.
    return ReasonField(Markup(blank.replace(STAMP, escape(str(key)))), False)  # noqa: S704


@bp.app_template_global()
def flag_form(kind: str, target_id: int) -> Markup:
    """The report form (moderation/_flag_form.html) of the proposal or comment `target_id`
    (`kind`: proposals|comments), as HTML: a blank one is rendered once per request and
    stamped with each id (app.templating.stamped); the form that just failed for this target
    comes back with its errors and input."""
    key = kind[0] + str(target_id)
    failed = g.get("failed_form")

    def render(target: int) -> str:
        return render_template(
            "moderation/_flag_form.html", flag_id=kind[0] + str(target),
            flag_url=url_for("moderation.flag", kind=kind, target_id=target))

    if failed is not None and failed[0] == "flag" and failed[1] == key:
        return Markup(render(target_id))  # noqa: S704 - Jinja's autoescaped output
    return stamped(("flag", kind), render, target_id)


@bp.app_context_processor
def _labels():
    return {"FLAG_REASON_LABELS": FLAG_REASON_LABELS, "DECISION_LABELS": DECISION_LABELS}
