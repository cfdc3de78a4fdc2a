"""Every stored counter of proposals and themes, and the one rule each keeps.

- `proposals.vote_count`: the supports of the proposal (rows in `votes`).
- `proposals.comment_count`: the comments the public can read: neither hidden by the
  moderation nor deleted by their author (the API lists exactly these).
- `themes.proposal_count`: the theme's proposals that are not hidden (any status).
- `themes.vote_count`: the sum of `vote_count` over those proposals.

A counter only moves by an atomic `UPDATE ... SET n = n + delta` in the transaction of the
row change that justifies it, and only when that change really happened (the conditional
UPDATE or DELETE reported a row). Concurrent transactions therefore never lose or double an
increment: the row locks of the UPDATEs order them. `flask counts check` (app/cli/counts.py)
recomputes every counter from the rows and reports or fixes any drift.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Comment, Proposal, Theme
from app.models.base import utcnow


def bump_counter(column: sa.Column, proposal: Proposal | int, delta: int) -> int:
    """`UPDATE proposals SET <column> = <column> + delta`; returns the new value.

    `proposal` is a Proposal (its attribute is set to the database's value) or an id.
    Supports of a visible proposal move its theme's `vote_count` too, in the same
    transaction: the proposal row is locked by this UPDATE, so its `hidden` and `theme_id`
    cannot change under it."""
    table = Proposal.__table__
    proposal_id = proposal if isinstance(proposal, int) else proposal.id
    new_value, hidden, theme_id = db.session.execute(
        sa.update(table).where(table.c.id == proposal_id)
        .values({column.name: column + delta})
        .returning(column, table.c.hidden, table.c.theme_id)
    ).one()
    if not isinstance(proposal, int):
        # The database's value, not a Python computation: other transactions may have moved it.
        set_committed_value(proposal, column.name, new_value)
    if column.name == "vote_count" and not hidden:
        bump_theme(theme_id, votes=delta)
    return new_value


def bump_theme(theme_id: int, proposals: int = 0, votes: int = 0) -> None:
    """`UPDATE themes SET proposal_count = proposal_count + proposals, vote_count = ...`."""
    if not (proposals or votes):
        return
    table = Theme.__table__
    db.session.execute(
        sa.update(table).where(table.c.id == theme_id).values(
            proposal_count=table.c.proposal_count + proposals,
            vote_count=table.c.vote_count + votes)
    )
    theme = db.session.identity_map.get(db.session.identity_key(Theme, theme_id))
    if theme is not None:  # the page rendered after the change shows the new totals
        db.session.expire(theme, ["proposal_count", "vote_count"])


def count_new_proposal(proposal: Proposal) -> None:
    """A proposal was just inserted (flushed): its theme counts it if it is visible."""
    if not proposal.hidden:
        bump_theme(proposal.theme_id, proposals=1, votes=proposal.vote_count or 0)


def set_proposal_hidden(proposal: Proposal, hidden: bool) -> bool:
    """Hide or show `proposal`; returns whether its visibility changed (then its theme's
    totals lose or regain it and its supports, read under the row lock)."""
    table = Proposal.__table__
    row = db.session.execute(
        sa.update(table).where(table.c.id == proposal.id, table.c.hidden == (not hidden))
        .values(hidden=hidden, hidden_at=utcnow() if hidden else None)
        .returning(table.c.vote_count, table.c.theme_id, table.c.hidden_at)
    ).first()
    set_committed_value(proposal, "hidden", hidden)
    if row is None:
        return False
    votes, theme_id, hidden_at = row
    set_committed_value(proposal, "vote_count", votes)
    set_committed_value(proposal, "hidden_at", hidden_at)
    sign = -1 if hidden else 1
    bump_theme(theme_id, proposals=sign, votes=sign * votes)
    return True


def move_proposal(proposal: Proposal, old_theme_id: int) -> None:
    """`proposal` (flushed) moved from `old_theme_id` to its theme: move it in the totals.
    The flush locked its row, so the supports read here are the ones it carries."""
    if proposal.theme_id == old_theme_id:
        return
    table = Proposal.__table__
    votes, hidden = db.session.execute(
        sa.select(table.c.vote_count, table.c.hidden).where(table.c.id == proposal.id)
    ).one()
    if not hidden:
        # Lower id first: two opposite moves at once lock the two themes in the same order.
        for theme_id, sign in sorted(((old_theme_id, -1), (proposal.theme_id, 1))):
            bump_theme(theme_id, proposals=sign, votes=sign * votes)


def set_comment_hidden(comment: Comment, hidden: bool) -> bool:
    """Hide or show `comment`; returns whether its visibility changed (then its proposal's
    `comment_count` moves, unless its author had deleted it)."""
    table = Comment.__table__
    row = db.session.execute(
        sa.update(table).where(table.c.id == comment.id, table.c.hidden == (not hidden))
        .values(hidden=hidden).returning(table.c.deleted_at)
    ).first()
    set_committed_value(comment, "hidden", hidden)
    if row is None:
        return False
    if row[0] is None and comment.proposal_id is not None:  # commitments keep no count
        bump_counter(Proposal.__table__.c.comment_count, _loaded(comment.proposal_id),
                     -1 if hidden else 1)
    return True


def _loaded(proposal_id: int) -> Proposal | int:
    """The proposal already in the session (so the page shows the new count), or its id."""
    key = db.session.identity_key(Proposal, proposal_id)
    return db.session.identity_map.get(key) or proposal_id
