"""Indexed full-text search over proposal title, problem and description.

SQLite: an FTS5 external-content table (`proposals_fts`) kept in step with `proposals` by
triggers. PostgreSQL: a stored generated column `search_vector`, the `to_tsvector` of the
same three columns in `cocrea_es` (the Spanish configuration with accents removed first by
the `unaccent` extension), with a GIN index, so "participacion" finds "participación" on both
databases. The column, not an expression index, because a listing sorted by supports walks
its own index and keeps the first 20 matches: a stored vector costs a microsecond to test,
recomputing `to_tsvector` for each row ~50 (a common word, 10 % of proposals, read 20,000
index entries and joined them with every match before: ~15 ms at 20,000 proposals, growing
with them). Both are created
by `db.create_all()` (DDL events on the proposals table) and by migrations through
`create_search_schema(connection)` / `drop_search_schema(connection)`.

User text never reaches the search syntax as is: it is split into words and every word is
quoted, so `"`, `*`, `AND (` or `'` are plain text and never an error.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import event, false, select, text
from sqlalchemy.schema import DDL

MAX_TERMS = 12
MIN_PREFIX = 3
PG_CONFIG = "cocrea_es"
# The indexed expression; the query must repeat it exactly for PostgreSQL to use the index.
PG_DOCUMENT = (
    f"to_tsvector('{PG_CONFIG}'::regconfig, coalesce(title, '') || ' ' || "
    "coalesce(problem, '') || ' ' || coalesce(description, ''))"
)
PG_COLUMN = "search_vector"
PG_INDEX = "ix_proposals_search_vector"
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS proposals_fts USING fts5("
    "title, problem, description, content='proposals', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS proposals_fts_ai AFTER INSERT ON proposals BEGIN "
    "INSERT INTO proposals_fts(rowid, title, problem, description) "
    "VALUES (new.id, new.title, new.problem, new.description); END",
    "CREATE TRIGGER IF NOT EXISTS proposals_fts_ad AFTER DELETE ON proposals BEGIN "
    "INSERT INTO proposals_fts(proposals_fts, rowid, title, problem, description) "
    "VALUES ('delete', old.id, old.title, old.problem, old.description); END",
    # Only text edits re-index; support and comment counters update the row constantly.
    "CREATE TRIGGER IF NOT EXISTS proposals_fts_au AFTER UPDATE OF title, problem, description "
    "ON proposals BEGIN "
    "INSERT INTO proposals_fts(proposals_fts, rowid, title, problem, description) "
    "VALUES ('delete', old.id, old.title, old.problem, old.description); "
    "INSERT INTO proposals_fts(rowid, title, problem, description) "
    "VALUES (new.id, new.title, new.problem, new.description); END",
)
SQLITE_REBUILD = "INSERT INTO proposals_fts(proposals_fts) VALUES ('rebuild')"
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS proposals_fts_ai",
    "DROP TRIGGER IF EXISTS proposals_fts_ad",
    "DROP TRIGGER IF EXISTS proposals_fts_au",
    "DROP TABLE IF EXISTS proposals_fts",
)
PG_CREATE = (
    # unaccent is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # The configuration lives in the current schema (the first of search_path, where the
    # queries resolve 'cocrea_es'); the unaccent dictionary wherever its extension is.
    "DO $$ DECLARE dictionaries text; BEGIN "  # noqa: S608 - constant DDL, no user input
    f"IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{PG_CONFIG}' AND "
    "cfgnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) THEN "
    "SELECT quote_ident(n.nspname) || '.unaccent' INTO dictionaries FROM pg_extension e "
    "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'; "
    f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = pg_catalog.spanish); "
    f"EXECUTE 'ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR hword, "
    "hword_part, word WITH ' || dictionaries || ', pg_catalog.spanish_stem'; "
    "END IF; END $$",
    # to_tsvector with an explicit configuration is immutable, as a generated column needs.
    f"ALTER TABLE proposals ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED",
    "DROP INDEX IF EXISTS ix_proposals_search",  # the expression index of earlier releases
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON proposals USING gin ({PG_COLUMN})",
)
PG_DROP = (
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    "DROP INDEX IF EXISTS ix_proposals_search",
    f"ALTER TABLE IF EXISTS proposals DROP COLUMN IF EXISTS {PG_COLUMN}",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
)


def alembic_include_name(name, type_, parent_names) -> bool:
    """Alembic `include_name` hook: autogenerate must neither drop nor re-create the search
    objects (the FTS5 table, its shadow tables and triggers, the vector column, its index)."""
    if type_ == "column" and name == PG_COLUMN:
        return False
    return not (name or "").startswith(("proposals_fts", "ix_proposals_search"))

# Words too common to tell proposals apart when looking for similar titles.
STOPWORDS = frozenset(
    "a al ante con contra de del desde el en entre la las lo los para por que se sin sobre "
    "su sus un una uno y o e u the of and".split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def install_ddl_events(table: sa.Table) -> None:
    """Create and drop the search objects with the proposals table (`db.create_all()`)."""
    for statement in SQLITE_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in PG_CREATE:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))
    for statement in PG_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="postgresql"))


def create_search_schema(connection) -> None:
    """Create (idempotently) the search objects and index existing rows; for migrations."""
    name = connection.dialect.name
    if name == "sqlite":
        for statement in SQLITE_CREATE:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(SQLITE_REBUILD)
    elif name == "postgresql":
        for statement in PG_CREATE:
            connection.exec_driver_sql(statement)


def drop_search_schema(connection) -> None:
    name = connection.dialect.name
    statements = SQLITE_DROP if name == "sqlite" else PG_DROP if name == "postgresql" else ()
    for statement in statements:
        connection.exec_driver_sql(statement)


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
    from app.extensions import db

    return db.session.get_bind().dialect.name


def matching_ids(q: str):
    """A subquery of the ids of proposals matching every word of `q` (prefixes included)."""
    from app.models import Proposal

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


def matches(q: str, common: bool = False):
    """A condition on the `proposals` row of the statement: it matches every word of `q`.

    PostgreSQL tests the row's stored vector, so a listing sorted by supports can walk its
    index and stop after a page of matches (or read the GIN index, for rare words): the
    planner chooses with the column's statistics. SQLite asks the FTS5 table for its rowids;
    with `common` (the caller counted many matches) the rowids are only a set to test, so
    the listing walks its own index and stops after a page instead of sorting every match
    (`+` keeps SQLite from driving the query by rowid).
    """
    from app.models import Proposal

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
    from app.extensions import db
    from app.models import Proposal

    words = terms(title, drop_stopwords=True)
    if not words:
        return []
    dialect = _dialect()
    params = {"theme_id": theme_id, "limit": limit}
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
