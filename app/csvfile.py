"""The one CSV writer of every download (contract: "Absolute URLs, CSV files, sessions").

Every file starts with the UTF-8 byte-order mark, so spreadsheets read the accents
("Anticorrupción", not "AnticorrupciÃ³n"), and every cell that a spreadsheet would run as a
formula is neutralised with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """`value` as text that a spreadsheet shows and never runs: a leading =, +, -, @, tab or
    carriage return gets an apostrophe. A lone "-" and a Markdown bullet ("- item") are not
    formulas and stay as written."""
    text = "" if value is None else str(value)
    if text[:1] not in FORMULA_STARTS or text == "-" or text.startswith("- "):
        return text
    return "'" + text


def csv_chunks(header: Iterable, rows: Iterable[Iterable], chunk_rows: int = 500
               ) -> Iterator[str]:
    """The CSV text in pieces of at most `chunk_rows` rows (the first piece: the mark and the
    header), for streamed downloads in constant memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    count = 0
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        count += 1
        if count % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The whole CSV document as one string (mark, header, rows)."""
    return "".join(csv_chunks(header, rows))


def csv_response(header: Iterable, rows: Iterable[Iterable], filename: str,
                 headers: dict | None = None) -> Response:
    """A CSV download (`text/csv; charset=utf-8`, as an attachment named `filename`)."""
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
