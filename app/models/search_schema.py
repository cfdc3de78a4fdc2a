"""The full-text search objects of the proposals table, created and dropped with it.

SQLite: an FTS5 external-content table (`proposals_fts`) kept in step with `proposals` by
triggers. PostgreSQL: a stored generated column `search_vector`, the `to_tsvector` of title,
problem and description in `cocrea_es` (the Spanish configuration with accents removed first
by the `unaccent` extension), with a GIN index. The column, not an expression index, because
a listing sorted by supports walks its own index and keeps the first 20 matches: a stored
vector costs a microsecond to test, recomputing `to_tsvector` for each row ~50 (a common
word, 10 % of proposals, read 20,000 index entries and joined them with every match before:
~15 ms at 20,000 proposals, growing with them). They belong to the schema, so they live
with the models: `db.create_all()` makes them through DDL events on the table
(`install_ddl_events`, called by app/models/proposal.py), migrations through
`create_search_schema(connection)` / `drop_search_schema(connection)`. The queries that
use them are in app/proposals/search.py.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.schema import DDL

PG_CONFIG = "cocrea_es"
# The stored column's expression.
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
