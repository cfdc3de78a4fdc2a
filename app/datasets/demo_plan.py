"""Demo moderation: a few proposals accepted (with milestones), one merged, one not included.

Called by `flask demo` after the proposals and comments demo content; emails are not sent.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Commitment, Proposal, User
from app.moderation.services import decide_proposal
from app.plan import services

ACCEPT_RESPONSE = (
    "La mesa técnica acepta esta propuesta: atiende un problema público priorizado en la mesa "
    "de trabajo, es verificable y cuenta con una institución dispuesta a liderarla. Se "
    "incorpora al borrador del plan como compromiso; su redacción final se acordará con la "
    "institución responsable."
)
MERGE_RESPONSE = (
    "Esta propuesta coincide en su objetivo con otra de la misma temática; se fusiona con ella "
    "para que sus aportes formen parte de un solo compromiso."
)
REJECT_RESPONSE = (
    "No se incluye en este plan: la acción propuesta ya es una obligación legal vigente y no "
    "representa un avance adicional en gobierno abierto. Se trasladará a la institución "
    "correspondiente para su seguimiento."
)
MILESTONES = (
    ("Diagnóstico y hoja de ruta acordada con sociedad civil", "Documento de diagnóstico "
     "publicado", date(2018, 10, 1), date(2019, 1, 31)),
    ("Implementación de la primera fase", "Informe de avance público",
     date(2019, 2, 1), date(2019, 12, 31)),
    ("Evaluación participativa de resultados", "Informe final y datos abiertos",
     date(2020, 1, 1), date(2020, 6, 30)),
)


def add_demo_content() -> None:
    if db.session.scalar(select(func.count(Commitment.id))):
        return
    moderator = db.session.scalar(
        select(User).where(User.role == "moderator").order_by(User.id).limit(1))
    candidates = list(db.session.scalars(
        select(Proposal).where(Proposal.hidden.is_(False), Proposal.status == "open")
        .order_by(Proposal.vote_count.desc(), Proposal.id)))
    if moderator is None or not candidates:
        return
    accepted, themes = [], set()
    for proposal in candidates:
        if proposal.theme_id not in themes and len(accepted) < 3:
            accepted.append(proposal)
            themes.add(proposal.theme_id)
    rest = [p for p in candidates if p not in accepted]
    for proposal in accepted:
        decide_proposal(moderator, proposal, "accepted", ACCEPT_RESPONSE)
        for commitment in services.commitments_of(proposal):
            commitment.contact_name = moderator.display_name
            commitment.contact_role = "Enlace de la mesa técnica"
            commitment.start_date, commitment.end_date = date(2018, 9, 1), date(2020, 8, 31)
            for description, deliverable, start, end in MILESTONES:
                services.add_milestone(commitment, {
                    "description": description, "deliverable": deliverable,
                    "start_date": start, "end_date": end,
                    "responsible": proposal.lead_institution or "Mesa técnica"})
    same_theme = [p for p in rest if accepted and p.theme_id == accepted[0].theme_id]
    if same_theme:
        decide_proposal(moderator, same_theme[0], "merged", MERGE_RESPONSE, accepted[0].id)
        rest.remove(same_theme[0])
    if rest:
        decide_proposal(moderator, rest[-1], "rejected", REJECT_RESPONSE)
    if len(rest) > 1:
        decide_proposal(moderator, rest[0], "under_review")
    services.publish_version(services.current_plan(), moderator, "Borrador v1")
    db.session.flush()
