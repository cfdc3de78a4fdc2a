"""Demo proposals for `flask demo`: ten realistic draft commitments per theme, in Spanish."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.datasets.demo_proposal_texts import AUTHOR_EMAILS, CAUSE, CONTRIBUTION, THEMES
from app.extensions import db
from app.models import Proposal, Theme, User
from app.models.base import utcnow
from app.proposals.counters import count_new_proposal
from app.text import render_markdown


def _description(commitment: str, lead: str) -> str:
    return (f"{commitment}\n\nHitos propuestos:\n\n"
            f"- Diagnóstico y línea base con participación de sociedad civil.\n"
            f"- Publicación de la primera versión y guía de uso para la ciudadanía.\n"
            f"- Informe público de avances ante la mesa técnica.\n\n"
            f"Institución responsable sugerida: **{lead}**.")


def add_demo_content() -> int:
    """Add the demo proposals unless there are proposals already; returns how many."""
    if db.session.scalar(select(func.count(Proposal.id))):
        return 0
    authors = [user for user in db.session.scalars(
        select(User).where(User.email.in_(AUTHOR_EMAILS)).order_by(User.id))]
    from app.plans.services import current_plan_id_subquery

    # The current plan's themes only: the previous plan (seeded in implementation) takes
    # no proposals.
    themes = db.session.scalars(select(Theme).where(
        Theme.plan_id == current_plan_id_subquery()).order_by(Theme.position)).all()
    if not authors or not themes:
        return 0
    now = utcnow()
    added = 0
    for theme in themes:
        lead, values, entries = THEMES.get(theme.position, THEMES[1])
        for index, (title, problem, commitment) in enumerate(entries):
            description = _description(commitment, lead)
            contribution = CONTRIBUTION.format(period="2018-2020")
            extra = ("participation",) if index % 3 == 0 and "participation" not in values \
                else ()
            proposal = Proposal(
                theme=theme, author=authors[(theme.position + index) % len(authors)],
                title=title, problem=problem, problem_html=render_markdown(problem),
                cause=CAUSE, cause_html=render_markdown(CAUSE),
                description=description, description_html=render_markdown(description),
                contribution=contribution, contribution_html=render_markdown(contribution),
                ogp_values=[v for v in ("transparency", "participation", "accountability",
                                        "technology") if v in values + extra],
                lead_institution=lead,
                partners="Organizaciones de sociedad civil de la mesa técnica",
                status="open",
                created_at=now - timedelta(days=index * 2 + theme.position, hours=index),
            )
            db.session.add(proposal)
            db.session.flush()
            count_new_proposal(proposal)
            added += 1
    db.session.flush()
    return added
