"""`flask counts check [--fix]|repair`: every stored counter against the rows it counts.

The counters and their rules (app/proposals/counters.py, app/mesas/services.py):

| counter | counts |
| --- | --- |
| `proposals.vote_count` | the proposal's rows in `votes` |
| `proposals.comment_count` | its comments neither hidden nor deleted |
| `themes.proposal_count` | the theme's proposals that are not hidden |
| `themes.vote_count` | the sum of `vote_count` over those proposals |
| `mesas.seats_taken` | the mesa's registrations with status `registered` |

Each audit is one query over its table, whatever the number of rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.models import Comment, Mesa, MesaRegistration, Proposal, Theme, Vote

counts_group = AppGroup("counts", help="Verify or repair every stored counter.")


@dataclass(frozen=True)
class Drift:
    table: str
    row_id: int
    column: str
    stored: int
    actual: int

    @property
    def proposal_id(self) -> int:  # kept for callers written when only proposals were audited
        return self.row_id


def _count(model, *where):
    return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()


def _counters() -> list[tuple[sa.Table, str, sa.ScalarSelect]]:
    """(table, column, the value the column should hold for each row) for every counter."""
    proposals, themes = Proposal.__table__, Theme.__table__
    visible_of_theme = sa.and_(Proposal.theme_id == themes.c.id, Proposal.hidden.is_(False))
    return [
        (proposals, "vote_count", _count(Vote, Vote.proposal_id == proposals.c.id)),
        (proposals, "comment_count", _count(
            Comment, Comment.proposal_id == proposals.c.id, Comment.hidden.is_(False),
            Comment.deleted_at.is_(None))),
        (themes, "proposal_count", _count(Proposal, visible_of_theme)),
        (themes, "vote_count", sa.select(sa.func.coalesce(sa.func.sum(Proposal.vote_count), 0))
         .where(visible_of_theme).scalar_subquery()),
        (Mesa.__table__, "seats_taken", _count(
            MesaRegistration, MesaRegistration.mesa_id == Mesa.__table__.c.id,
            MesaRegistration.status == "registered")),
    ]


def find_drift() -> list[Drift]:
    """Every stored counter that differs from its rows (one query per counter)."""
    drifts = []
    for table, column, actual in _counters():
        stored = table.c[column]
        rows = db.session.execute(
            sa.select(table.c.id, stored, actual.label("actual"))
            .where(stored != actual).order_by(table.c.id)
        )
        drifts.extend(Drift(table.name, row[0], column, row[1], row[2]) for row in rows)
    return drifts


def repair_statements(tables: tuple[str, ...] | None = None) -> list[sa.Update]:
    """The UPDATEs that set the counters of `tables` (default: all) from their rows, the
    proposals' before the themes' sums of them (bulk loaders run them on their connection)."""
    return [sa.update(table).where(table.c[column] != actual).values({column: actual})
            for table, column, actual in _counters() if tables is None or table.name in tables]


def repair_counts() -> int:
    """Set every counter to the value its rows give; returns how many values changed.
    Does not commit."""
    changed = len(find_drift())
    for statement in repair_statements():
        db.session.execute(statement)
    db.session.expire_all()
    return changed


def _report(drifts: list[Drift]) -> None:
    for drift in drifts:
        click.echo(f"{drift.table[:-1]} {drift.row_id}: {drift.column} stored {drift.stored}, "
                   f"actual {drift.actual}")


@counts_group.command("check")
@click.option("--fix", is_flag=True, help="Repair what drifted (then exit 0).")
def check_command(fix: bool) -> None:
    """List the stored counters that drifted from their rows; exit 1 if any did, unless
    --fix repaired them."""
    drifts = find_drift()
    _report(drifts)
    if drifts and fix:
        repair_counts()
        db.session.commit()
        click.echo(f"counts: {len(drifts)} drifted value(s) repaired")
        return
    if drifts:
        click.echo(f"counts: {len(drifts)} drifted value(s); run `flask counts check --fix`",
                   err=True)
        raise SystemExit(1)
    click.echo("counts: every stored counter matches (supports, comments, theme totals, "
               "mesa seats)")


@counts_group.command("repair")
def repair_command() -> None:
    """Recompute every stored counter from the rows."""
    changed = repair_counts()
    db.session.commit()
    click.echo(f"counts: {changed} value(s) repaired")


def register(app: Flask) -> None:
    app.cli.add_command(counts_group)
