"""Indexed full-text search over proposal title, problem and description: the queries.

They read the search objects of app/models/search_schema.py (SQLite's FTS5 table, PostgreSQL's
GIN index in the accent-free Spanish configuration), so "participacion" finds "participación"
on both databases.

User text never reaches the search syntax as is: it is split into words and every word is
quoted, so `"`, `*`, `AND (` or `'` are plain text and never an error.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import false, select, text

from app.extensions import db
from app.models import Proposal

# create_search_schema is also offered here: the benchmark loader (app/datasets/bench.py) looks it
# up on this module to re-index after its bulk load.
from app.models.search_schema import (  # noqa: F401 - create_search_schema re-exported
    PG_COLUMN,
    PG_CONFIG,
    create_search_schema,
)

MAX_TERMS = 12
MIN_PREFIX = 3
# Words too common to tell proposals apart when looking for similar titles.
STOPWORDS = frozenset(
    "a al ante con contra de del desde el en entre la las lo los para por que se sin sobre "
    "su sus un una uno y o e u the of and".split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def terms(q: str | None, *, drop_stopwords: bool = False) -> list[str]:
    """The words of `q`, lower-cased, without punctuation or search operators."""
    words = [word.lower() for word in _WORD.findall(q or "")]
    if drop_stopwords:
        words = [word for word in words if word not in STOPWORDS and len(word) > 1]
    unique = list(dict.fromkeys(words))
    return unique[:MAX_TERMS]


def fts5_query(words: list[str], operator: str = " ") -> str:
    """Every word quoted (operators and punctuation become text), long ones as prefixes."""
    return operator.join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words)


def tsquery(words: list[str], operator: str = " & ") -> str:
    # Words hold only letters and digits, so quoting cannot be broken out of.
    return operator.join(f"'{w}':*" if len(w) >= MIN_PREFIX else f"'{w}'" for w in words)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def matching_ids(q: str):
    """A subquery of the ids of proposals matching every word of `q` (prefixes included)."""
    words = terms(q)
    if not words:
        return select(Proposal.id).where(false())
    dialect = _dialect()
    if dialect == "sqlite":
        statement = text("SELECT rowid AS id FROM proposals_fts WHERE proposals_fts MATCH :q")
        return statement.bindparams(q=fts5_query(words)).columns(id=sa.Integer)
    if dialect == "postgresql":
        statement = text(
            f"SELECT id FROM proposals WHERE {PG_COLUMN} @@ "  # noqa: S608 - constant SQL
            f"to_tsquery('{PG_CONFIG}'::regconfig, :q)"
        )
        return statement.bindparams(q=tsquery(words)).columns(id=sa.Integer)
    return _like_ids(Proposal, q)


def matches(q: str, common: bool = False) -> sa.ColumnElement[bool] | sa.TextClause:
    """A condition on the `proposals` row of the statement: it matches every word of `q`.

    PostgreSQL tests the row's stored vector, so a listing sorted by supports can walk its
    index and stop after a page of matches (or read the GIN index, for rare words): the
    planner chooses with the column's statistics. SQLite asks the FTS5 table for its rowids;
    with `common` (the caller counted many matches) the rowids are only a set to test, so
    the listing walks its own index and stops after a page instead of sorting every match
    (`+` keeps SQLite from driving the query by rowid).
    """
    words = terms(q)
    if not words:
        return false()
    dialect = _dialect()
    if dialect == "postgresql":
        return text(
            f"proposals.{PG_COLUMN} @@ to_tsquery('{PG_CONFIG}'::regconfig, :search_q)"  # noqa: S608
        ).bindparams(search_q=tsquery(words))
    if dialect == "sqlite" and common:
        return text(
            "+proposals.id IN (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH "
            ":search_q)").bindparams(search_q=fts5_query(words))
    return Proposal.id.in_(matching_ids(q))


def similar_ids(title: str, theme_id: int, limit: int = 5) -> list[int]:
    """Up to `limit` ids of visible proposals of the theme sharing words with `title`."""
    words = terms(title, drop_stopwords=True)
    if not words:
        return []
    dialect = _dialect()
    params: dict[str, object] = {"theme_id": theme_id, "limit": limit}
    if dialect == "sqlite":
        statement = text(
            "SELECT p.id FROM proposals_fts JOIN proposals AS p ON p.id = proposals_fts.rowid "
            "WHERE proposals_fts MATCH :q AND p.theme_id = :theme_id AND p.hidden = 0 "
            "ORDER BY proposals_fts.rank LIMIT :limit"
        )
        params["q"] = fts5_query(words, " OR ")
    elif dialect == "postgresql":
        statement = text(
            f"SELECT id FROM proposals, to_tsquery('{PG_CONFIG}'::regconfig, :q) AS query "  # noqa: S608
            f"WHERE {PG_COLUMN} @@ query AND theme_id = :theme_id AND NOT hidden "
            f"ORDER BY ts_rank({PG_COLUMN}, query) DESC, id DESC LIMIT :limit"
        )
        params["q"] = tsquery(words, " | ")
    else:
        statement = _like_ids(Proposal, title).where(
            Proposal.theme_id == theme_id, Proposal.hidden.is_(False)).limit(limit)
        return list(db.session.scalars(statement))
    return [row[0] for row in db.session.execute(statement, params)]


def _like_ids(proposal, q: str):
    """Fallback for other databases: correct, but a scan."""
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return select(proposal.id).where(sa.or_(
        proposal.title.ilike(pattern, escape="\\"),
        proposal.problem.ilike(pattern, escape="\\"),
        proposal.description.ilike(pattern, escape="\\"),
    ))
