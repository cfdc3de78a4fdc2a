"""Progress updates in the record: a commitment's trail (app/traceability/trail.py,
`@trail_section`) and each participant's comments on updates (app/account/participation.py,
`@contribution_section`).

The newest `TRAIL_UPDATES` updates of the commitment, each with its date, author, reported
progress and evidence links, linked to their place on the commitment page; two queries
(the count and the page), none when the commitment's plan takes no progress updates yet and
none were ever posted (the count says so).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.account.participation import Section as ParticipationSection
from app.account.participation import contribution_section
from app.extensions import db
from app.models import Comment, Commitment, ProgressUpdate, User
from app.traceability.trail import Section, trail_section

TRAIL_UPDATES = 10


@trail_section
def progress_updates(commitment: Commitment) -> Section | None:
    """Section "avances-reportados" with the newest updates (list of ProgressUpdate, newest
    first) and `extra["total"]`; None when the commitment has no update."""
    total = db.session.scalar(sa.select(sa.func.count(ProgressUpdate.id)).where(
        ProgressUpdate.commitment_id == commitment.id)) or 0
    if not total:
        return None
    updates = list(db.session.scalars(
        sa.select(ProgressUpdate).where(ProgressUpdate.commitment_id == commitment.id)
        .options(joinedload(ProgressUpdate.author))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(TRAIL_UPDATES)))
    return Section("avances-reportados", _("Avances de la implementación"),
                   "tracking/_trail_updates.html", updates, {"total": total})


# --- "how your input was used": comments on progress updates -------------------------------

@contribution_section
def update_comments(user: User) -> ParticipationSection | None:
    """Section "comentarios-avances" of /account/participation: the person's comments on
    progress updates, newest first, each with its update (and its commitment) loaded; one
    query. None when there are none."""
    comments = list(db.session.scalars(
        sa.select(Comment).where(Comment.author_id == user.id, Comment.update_id.is_not(None),
                                 Comment.deleted_at.is_(None))
        .options(joinedload(Comment.update).joinedload(ProgressUpdate.commitment))
        .order_by(Comment.created_at.desc(), Comment.id.desc())))
    if not comments:
        return None
    return ParticipationSection("comentarios-avances", _("Comentarios sobre avances"),
                                "tracking/_participation_comments.html", comments)
