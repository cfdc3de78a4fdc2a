"""`flask counts check|repair`: the stored vote_count and comment_count against COUNT(*)."""
from __future__ import annotations

from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.models import Comment, Proposal, Vote

counts_group = AppGroup("counts", help="Verify or repair the stored support and comment counts.")


@dataclass(frozen=True)
class Drift:
    proposal_id: int
    column: str
    stored: int
    actual: int


def _actual_votes():
    return (sa.select(sa.func.count()).select_from(Vote)
            .where(Vote.proposal_id == Proposal.id).scalar_subquery())


def _actual_comments():
    # The definition of comment_count: comments not deleted by their author.
    return (sa.select(sa.func.count()).select_from(Comment)
            .where(Comment.proposal_id == Proposal.id, Comment.deleted_at.is_(None))
            .scalar_subquery())


def find_drift() -> list[Drift]:
    """Every proposal whose stored count differs from the rows (one query per counter)."""
    drifts = []
    for column, actual in (("vote_count", _actual_votes()),
                           ("comment_count", _actual_comments())):
        stored = getattr(Proposal, column)
        rows = db.session.execute(
            sa.select(Proposal.id, stored, actual.label("actual"))
            .where(stored != actual).order_by(Proposal.id)
        )
        drifts.extend(Drift(row[0], column, row[1], row[2]) for row in rows)
    return drifts


def repair_counts() -> int:
    """Set every count to its COUNT(*) in two UPDATEs; returns how many values changed."""
    changed = len(find_drift())
    table = Proposal.__table__
    for column, actual in (("vote_count", _actual_votes()),
                           ("comment_count", _actual_comments())):
        db.session.execute(
            sa.update(table).where(table.c[column] != actual).values({column: actual})
        )
    return changed


@counts_group.command("check")
def check_command() -> None:
    """List proposals whose stored counts drifted; exit 1 if any did."""
    drifts = find_drift()
    for drift in drifts:
        click.echo(f"proposal {drift.proposal_id}: {drift.column} stored {drift.stored}, "
                   f"actual {drift.actual}")
    if drifts:
        click.echo(f"counts: {len(drifts)} drifted value(s); run `flask counts repair`", err=True)
        raise SystemExit(1)
    click.echo("counts: every vote_count and comment_count matches")


@counts_group.command("repair")
def repair_command() -> None:
    """Recompute every stored count from the rows."""
    changed = repair_counts()
    db.session.commit()
    click.echo(f"counts: {changed} value(s) repaired")


def register(app: Flask) -> None:
    app.cli.add_command(counts_group)
