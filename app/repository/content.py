"""What an uploaded file is, decided by its content (never by its name or the browser's word).

`filetype` reads the magic numbers (and, for the zipped office formats, the entries that
mark DOCX/XLSX/ODT/ODS). CSV has no magic number: it is accepted when it decodes as UTF-8,
holds no NUL byte, does not begin like markup, and the csv module reads at least two
columns in its first row with no row wider than 1,000 columns.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import BinaryIO

import filetype

HEAD_BYTES = 8192  # filetype needs at most the first 8 KB


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


# The formats the repository accepts, by the extension `filetype` reports.
ACCEPTED = {
    "pdf": Kind("pdf", "application/pdf"),
    "odt": Kind("odt", "application/vnd.oasis.opendocument.text"),
    "ods": Kind("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "docx": Kind("docx",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "png": Kind("png", "image/png"),
    "jpg": Kind("jpg", "image/jpeg"),
}
CSV = Kind("csv", "text/csv")
MAX_CSV_COLUMNS = 1000


def detect(stream: BinaryIO) -> Kind | None:
    """The accepted kind of the file in `stream` (read from its start), or None.

    The stream is left at its start. A CSV is read whole, so callers check the size first.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    guess = filetype.guess(head)
    if guess is not None:
        return ACCEPTED.get(guess.extension)
    data = stream.read()
    stream.seek(0)
    return CSV if _is_csv(data) else None


def _is_csv(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if not text.strip() or "\x00" in text or text.lstrip().startswith("<"):
        return False  # empty, binary, or HTML/XML/SVG that a browser could run
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error:
        return False
    if not rows or len(rows[0]) < 2:
        return False
    return all(len(row) <= MAX_CSV_COLUMNS for row in rows)
