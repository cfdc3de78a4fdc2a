"""Fast bulk inserts for the benchmark dataset: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples with explicit ids, so the generator knows every id without reading
back. Columns the caller does not give get their model default (so columns added to a model
later keep working); sequences are moved past the explicit ids at the end.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

CHUNK = 50_000


class BulkWriter:
    """Writes whole tables through the driver connection under one SQLAlchemy transaction."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.dialect = connection.dialect
        self.is_postgres = self.dialect.name == "postgresql"
        self.driver = connection.connection.driver_connection
        self._quote = self.dialect.identifier_preparer.quote
        self.tables_with_ids: set[str] = set()

    def insert(self, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        columns = list(columns)
        extra_columns, extra_values = self._defaults(table, columns)
        all_columns = columns + extra_columns
        converters = [self._converter(table.c[name]) for name in all_columns]
        if "id" in columns:
            self.tables_with_ids.add(table.name)
        column_sql = ", ".join(self._quote(name) for name in all_columns)
        table_sql = self._quote(table.name)
        count = 0
        if self.is_postgres:
            with self.driver.cursor() as cursor, cursor.copy(
                f"COPY {table_sql} ({column_sql}) FROM STDIN"  # noqa: S608 - model names only
            ) as copy:
                for row in rows:
                    values = tuple(row) + tuple(value() for value in extra_values)
                    copy.write_row([
                        convert(value) if convert else value
                        for convert, value in zip(converters, values, strict=True)
                    ])
                    count += 1
            return count
        marks = ", ".join("?" for _ in all_columns)
        sql = f"INSERT INTO {table_sql} ({column_sql}) VALUES ({marks})"  # noqa: S608
        cursor = self.driver.cursor()
        chunk: list[tuple] = []
        needs_conversion = any(converters) or extra_values
        for row in rows:
            if needs_conversion:
                values = tuple(row) + tuple(value() for value in extra_values)
                row = tuple(
                    convert(value) if convert else value
                    for convert, value in zip(converters, values, strict=True)
                )
            chunk.append(row)
            if len(chunk) >= CHUNK:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
        cursor.close()
        return count

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

    def finish(self) -> None:
        """Move PostgreSQL sequences past the explicit ids; refresh planner statistics."""
        if self.is_postgres:
            for name in sorted(self.tables_with_ids):
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"coalesce((SELECT max(id) FROM {self._quote(name)}), 0) + 1, false)"
                )
        self.connection.exec_driver_sql("ANALYZE")
