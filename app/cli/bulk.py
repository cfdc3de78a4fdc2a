"""Fast bulk inserts for the benchmark dataset: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples with explicit ids, so the generator knows every id without reading
back. Columns the caller does not give get their model default (so columns added to a model
later keep working); sequences are moved past the explicit ids at the end.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.engine import Connection

CHUNK = 50_000


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _pg_text_converter(column: sa.Column):
    """Python value to COPY text format, with a per-column cache (values repeat a lot)."""
    if isinstance(column.type, sa.Integer) and not isinstance(column.type, sa.Boolean):
        if not column.nullable:
            return str
        return lambda value: "\\N" if value is None else str(value)
    cache: dict = {}

    def convert(value) -> str:
        try:
            return cache[value]
        except KeyError:
            pass
        if value is None:
            text = "\\N"
        elif value is True or value is False:
            text = "t" if value else "f"
        elif isinstance(value, datetime):
            text = value.isoformat()
        else:
            text = str(value).translate(_COPY_ESCAPES)
        if len(cache) < 100_000:
            cache[value] = text
        return text

    return convert


class BulkWriter:
    """Writes whole tables through the driver connection under one SQLAlchemy transaction."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.dialect = connection.dialect
        self.is_postgres = self.dialect.name == "postgresql"
        self.driver = connection.connection.driver_connection
        self._quote = self.dialect.identifier_preparer.quote
        self.tables_with_ids: set[str] = set()

    def prepare(self, table: sa.Table, column: str, values: Sequence) -> list:
        """`values` of `table.column` in the form the driver stores, for rows passed to
        `insert(..., prepared=(column,))`: a pool of values converted once, not per row."""
        convert = None if self.is_postgres else self._converter(table.c[column])
        return [convert(value) for value in values] if convert else list(values)

    def insert(self, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple],
               prepared: Sequence[str] = ()) -> int:
        """Write `rows` (tuples in `columns` order) into `table`; returns how many. Columns
        in `prepared` hold values from `prepare` and are not converted again."""
        columns = list(columns)
        extra_columns, extra_values = self._defaults(table, columns)
        all_columns = columns + extra_columns
        converters = [None if name in prepared else self._converter(table.c[name])
                      for name in all_columns]
        if "id" in columns:
            self.tables_with_ids.add(table.name)
        column_sql = ", ".join(self._quote(name) for name in all_columns)
        table_sql = self._quote(table.name)
        count = 0
        if self.is_postgres:
            text_converters = [_pg_text_converter(table.c[name]) for name in all_columns]
            with self.driver.cursor() as cursor, cursor.copy(
                f"COPY {table_sql} ({column_sql}) FROM STDIN"  # noqa: S608 - model names only
            ) as copy:
                lines: list[str] = []
                for row in rows:
                    values = tuple(row) + tuple(value() for value in extra_values)
                    lines.append("\t".join([
                        convert(value)
                        for convert, value in zip(text_converters, values, strict=True)
                    ]))
                    count += 1
                    if len(lines) >= CHUNK:
                        copy.write("\n".join(lines) + "\n")
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
            return count
        marks = ", ".join("?" for _ in all_columns)
        sql = f"INSERT INTO {table_sql} ({column_sql}) VALUES ({marks})"  # noqa: S608
        cursor = self.driver.cursor()
        if any(converters) or extra_values:
            rows = self._converted(rows, converters, extra_values)
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
        cursor.close()
        return count

    @staticmethod
    def _converted(rows: Iterable[tuple], converters: list, extra_values: list):
        """Rows with the model defaults appended and only the columns that need it converted
        (a per-row loop: millions of rows at S=10)."""
        converting = [(index, convert) for index, convert in enumerate(converters) if convert]
        for row in rows:
            row = [*row, *(value() for value in extra_values)] if extra_values else list(row)
            for index, convert in converting:
                row[index] = convert(row[index])
            yield row

    def _converter(self, column: sa.Column):
        """Python value to what the driver stores for this column (None: pass as is)."""
        if isinstance(column.type, sa.JSON):
            # The generator passes JSON already serialized (one string per distinct value).
            return None
        if self.is_postgres:
            return None
        processor = column.type._cached_bind_processor(self.dialect)
        if processor is None:
            return None
        cache: dict = {}

        def convert(value):
            if value is None:
                return None
            try:
                return cache[value]
            except KeyError:
                result = cache[value] = processor(value)
                return result
            except TypeError:  # unhashable
                return processor(value)

        return convert

    @staticmethod
    def _defaults(table: sa.Table, given: list[str]):
        """Model defaults for the columns the caller did not give (None stays NULL)."""
        names, makers = [], []
        for column in table.columns:
            if column.name in given or column.default is None:
                continue
            default = column.default
            if default.is_callable:
                names.append(column.name)
                makers.append(lambda default=default: default.arg(None))
            elif default.is_scalar:
                value = default.arg
                if isinstance(column.type, sa.JSON):
                    value = json.dumps(value)
                names.append(column.name)
                makers.append(lambda value=value: value)
        return names, makers

    @contextmanager
    def constraints_deferred(self, table_names: Sequence[str]) -> Iterator[None]:
        """On PostgreSQL, drop foreign keys, unique constraints and indexes while loading.

        Checking a foreign key per copied row costs far more than validating it once
        afterwards; indexes are likewise cheaper built in one pass. The definitions are read
        from the catalog and re-created exactly, inside the same transaction.
        """
        if not self.is_postgres:
            yield from self._sqlite_deferred(table_names)
            return
        run = self.connection.exec_driver_sql
        saved: list[tuple[str, str, str]] = []
        for name in table_names:
            table = self._quote(name)
            constraints = run(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %(t)s::regclass AND contype IN ('f', 'u') "
                "ORDER BY contype DESC",
                {"t": name},
            ).all()
            indexes = run(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %(t)s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint "
                "WHERE conrelid = %(t)s::regclass)",
                {"t": name},
            ).all()
            for constraint, definition in constraints:
                run(f"ALTER TABLE {table} DROP CONSTRAINT {self._quote(constraint)}")
                saved.append((table, constraint, definition))
            for index, definition in indexes:
                run(f"DROP INDEX {self._quote(index)}")
                saved.append((table, index, definition))
        run("SET LOCAL maintenance_work_mem = '256MB'")
        yield
        # Unique constraints and indexes first, so foreign keys validate against indexes.
        for table, name, definition in sorted(saved, key=lambda item: "FOREIGN KEY"
                                              in item[2]):
            if definition.startswith("CREATE"):
                run(definition)
            else:
                run(f"ALTER TABLE {table} ADD CONSTRAINT {self._quote(name)} {definition}")

    def _sqlite_deferred(self, table_names: Sequence[str]) -> Iterator[None]:
        """On SQLite, secondary indexes and triggers (the search index's) are re-created
        after the load; SQLite cannot drop constraints, so those stay."""
        run = self.connection.exec_driver_sql
        marks = ", ".join("?" for _ in table_names)
        saved = run(
            f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "  # noqa: S608
            f"AND tbl_name IN ({marks}) AND sql IS NOT NULL", tuple(table_names),
        ).all()
        for kind, name, _sql in saved:
            run(f"DROP {kind.upper()} {self._quote(name)}")
        yield
        for _kind, _name, sql in saved:
            run(sql)

    def finish(self) -> None:
        """Move PostgreSQL sequences past the explicit ids; refresh planner statistics."""
        if self.is_postgres:
            for name in sorted(self.tables_with_ids):
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"coalesce((SELECT max(id) FROM {self._quote(name)}), 0) + 1, false)"
                )
        self.connection.exec_driver_sql("ANALYZE")
