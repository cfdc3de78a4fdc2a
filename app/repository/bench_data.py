"""The repository's part of `flask bench-data`: 5,000 documents at scale 1 (rows only: the
listing and the API read rows; no file is written)."""
from __future__ import annotations

import random
from datetime import date, timedelta

from app.models import Document
from app.models.document import DOCUMENT_TYPES

DOCUMENTS_AT_SCALE_1 = 5_000


def add_documents(writer, scale: float, plan_id: int, mesa_ids: list[int]) -> int:
    """Insert the documents of the dataset through the bulk `writer`; returns how many.
    Two in three belong to a mesa; one in fifty is withdrawn."""
    rng = random.Random(18)  # noqa: S311 - benchmark data, not security
    count = max(1, round(DOCUMENTS_AT_SCALE_1 * scale))
    start = date(2018, 8, 1)
    rows = []
    for number in range(1, count + 1):
        kind = DOCUMENT_TYPES[number % len(DOCUMENT_TYPES)]
        day = start + timedelta(days=rng.randrange(730))
        withdrawn = number % 50 == 0
        rows.append((
            number, plan_id, rng.choice(mesa_ids) if mesa_ids and number % 3 else None,
            f"Documento {number} del proceso de co-creación", kind, day,
            f"documento-{number}.pdf", f"bench-document-{number:08d}", 200_000 + number,
            "application/pdf", f"{number:064x}", _at(day), _at(day) if withdrawn else None,
            "Retirado en la prueba de rendimiento." if withdrawn else None,
        ))
    writer.insert(Document.__table__, (
        "id", "plan_id", "mesa_id", "title", "type", "document_date", "original_filename",
        "stored_name", "size", "content_type", "sha256", "created_at", "withdrawn_at",
        "withdrawn_reason"), rows)
    return count


def _at(day: date):
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(15), tzinfo=UTC)
