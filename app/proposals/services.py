"""The rules for writing and revising draft commitments (proposals).

Services never read the request and never commit: they check, change, flush, and raise
`app.errors` exceptions with a Spanish message for the user.
"""
from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import Conflict, Forbidden, InvalidInput
from app.extensions import db
from app.models import Proposal, ProposalRevision, Theme, User
from app.models.plan import OGP_VALUES
from app.models.proposal import BODY_MAX, TEMPLATE_FIELDS, TITLE_MAX
from app.plans.services import check_accepts_participation
from app.proposals import counters
from app.text import render_markdown

SHORT_FIELDS = {"lead_institution": 200, "partners": 500}
REQUIRED_FIELDS = ("title", "problem", "description")
# Control characters are never meaningful in a proposal; PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


class ProposalInvalid(InvalidInput):
    """Several fields at once: `errors` maps each field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=field)
        self.errors = errors


def _text(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _line(value) -> str:
    return _SPACES.sub(" ", _text(value))


def clean_proposal_data(data: dict) -> dict:
    """The proposal fields of `data`, normalized; ProposalInvalid lists every problem."""
    errors: dict[str, list[str]] = {}
    cleaned = {"title": _line(data.get("title"))}
    for name in TEMPLATE_FIELDS:
        cleaned[name] = _text(data.get(name))
    for name in SHORT_FIELDS:
        cleaned[name] = _line(data.get(name))

    required = {
        "title": _("Escriba un título para la propuesta."),
        "problem": _("Describa el problema público que la propuesta atiende."),
        "description": _("Describa en qué consiste el compromiso."),
    }
    for name in REQUIRED_FIELDS:
        if not cleaned[name]:
            errors.setdefault(name, []).append(required[name])
    if len(cleaned["title"]) > TITLE_MAX:
        errors.setdefault("title", []).append(
            _("El título puede tener hasta %(n)d caracteres.", n=TITLE_MAX))
    for name in TEMPLATE_FIELDS:
        if len(cleaned[name]) > BODY_MAX:
            errors.setdefault(name, []).append(
                _("Este campo puede tener hasta %(n)s caracteres.", n=f"{BODY_MAX:,}"))
    for name, limit in SHORT_FIELDS.items():
        if len(cleaned[name]) > limit:
            errors.setdefault(name, []).append(
                _("Este campo puede tener hasta %(n)d caracteres.", n=limit))

    raw_values = data.get("ogp_values") or []
    if isinstance(raw_values, str):
        raw_values = [raw_values]
    values = [value for value in raw_values if isinstance(value, str)]
    if len(values) != len(raw_values) or any(value not in OGP_VALUES for value in values):
        errors.setdefault("ogp_values", []).append(
            _("Elija solo entre transparencia, participación ciudadana, rendición de cuentas "
              "y tecnología e innovación."))
    cleaned["ogp_values"] = [value for value in OGP_VALUES if value in values]

    if errors:
        raise ProposalInvalid(errors)
    return cleaned


def _check_participant(user: User) -> None:
    if not user.can_participate(current_app.config["REQUIRE_EMAIL_CONFIRMATION"]):
        raise Forbidden(_("Su cuenta no puede publicar propuestas en este momento. Si acaba de "
                          "registrarse, confirme su correo electrónico."))


def _check_theme_open(theme: Theme | None) -> Theme:
    if theme is None:
        raise InvalidInput(_("Elija una de las 12 temáticas."), field="theme")
    check_accepts_participation(theme.plan)
    if not theme.proposals_open():
        raise InvalidInput(
            _("El plazo para proponer en la temática «%(name)s» está cerrado.", name=theme.name),
            field="theme")
    return theme


def open_proposal_count(author: User, theme: Theme) -> int:
    return db.session.scalar(
        select(func.count(Proposal.id)).where(
            Proposal.author_id == author.id, Proposal.theme_id == theme.id,
            Proposal.status == "open",
        )
    ) or 0


def _check_limit(author: User, theme: Theme) -> None:
    limit = theme.max_open_proposals_per_user
    if limit is not None and open_proposal_count(author, theme) >= limit:
        raise Conflict(
            _("Ya tiene %(n)d propuestas abiertas en esta temática, el máximo permitido. "
              "Puede revisar o completar una de ellas.", n=limit), field="theme")


def _apply(proposal: Proposal, cleaned: dict) -> None:
    proposal.title = cleaned["title"]
    for name in TEMPLATE_FIELDS:
        setattr(proposal, name, cleaned[name])
        setattr(proposal, f"{name}_html", render_markdown(cleaned[name]))
    for name in SHORT_FIELDS:
        setattr(proposal, name, cleaned[name])
    proposal.ogp_values = cleaned["ogp_values"]


def submit_proposal(author: User, theme: Theme | None, data: dict) -> Proposal:
    """Publish a new proposal by `author` in `theme` (status `open`)."""
    _check_participant(author)
    cleaned = clean_proposal_data(data)
    theme = _check_theme_open(theme)
    _check_limit(author, theme)
    proposal = Proposal(theme=theme, author=author, status="open")
    _apply(proposal, cleaned)
    db.session.add(proposal)
    db.session.flush()
    counters.count_new_proposal(proposal)
    return proposal


EDITABLE = ("title", *TEMPLATE_FIELDS, *SHORT_FIELDS, "ogp_values")


def revise_proposal(proposal: Proposal, editor: User, data: dict) -> Proposal:
    """Change a proposal's text, keeping the previous version as a ProposalRevision.

    `data` may carry `theme` (a Theme) to move the proposal. Authors revise while it is open
    and its theme takes proposals; moderators at any time.
    """
    if not proposal.can_edit(editor):
        raise Forbidden(_("Solo la persona autora (mientras la propuesta está abierta) o la "
                          "moderación pueden editar esta propuesta."))
    if not editor.is_moderator:
        _check_participant(editor)
    cleaned = clean_proposal_data(data)
    theme = data.get("theme") or proposal.theme
    if not editor.is_moderator:
        _check_theme_open(theme)
        if theme.id != proposal.theme_id:
            _check_limit(proposal.author, theme)
    changed = theme.id != proposal.theme_id or any(
        getattr(proposal, name) != cleaned[name] for name in EDITABLE)
    if not changed:
        return proposal
    number = db.session.scalar(
        select(func.coalesce(func.max(ProposalRevision.number), 0))
        .where(ProposalRevision.proposal_id == proposal.id)
    ) + 1
    db.session.add(ProposalRevision(
        proposal_id=proposal.id, number=number, editor_id=editor.id,
        **{name: getattr(proposal, name) for name in EDITABLE},
    ))
    old_theme_id = proposal.theme_id
    proposal.theme = theme
    _apply(proposal, cleaned)
    db.session.flush()
    counters.move_proposal(proposal, old_theme_id)
    return proposal
