"""Benchmark data for /tracking (`flask bench-data`, app/datasets/bench.py): the previous plan (in
implementation) gets COMMITMENTS commitments of three milestones and UPDATES progress updates
spread over them, written in bulk."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from app.models import Commitment, Milestone, MilestoneReport, ProgressUpdate
from app.models.plan import MILESTONE_STATUSES
from app.text import render_markdown

COMMITMENTS = 40
UPDATES = 400
INSTITUTIONS = ("Ministerio de Finanzas Públicas", "Contraloría General de Cuentas",
                "Secretaría de Planificación y Programación de la Presidencia",
                "Comisión Presidencial de Transparencia y Gobierno Electrónico")
SUMMARY = "Se avanzó en el hito según lo previsto; los documentos están publicados."


def add_tracking(writer, rng, plan_id: int, theme_ids: list[int], now: datetime,
                 moderators: int, first_commitment: int) -> dict[str, int]:
    """Insert the rows with ids from `first_commitment` (commitments; milestones and updates
    from 1 past any existing id range the caller reserved). Returns the counts."""
    first_milestone = first_commitment * 3 + 1
    commitments, milestones, updates, reports = [], [], [], []
    per_commitment = UPDATES // COMMITMENTS
    summary_html = render_markdown(SUMMARY)
    for index in range(COMMITMENTS):
        commitment_id = first_commitment + index
        progress = (index * 7) % 101
        last = now - timedelta(days=index)
        commitments.append((
            commitment_id, plan_id, theme_ids[index % len(theme_ids)], index + 1,
            f"Compromiso de seguimiento {index + 1}", "Problema público del compromiso.",
            json.dumps(["transparency"]), INSTITUTIONS[index % len(INSTITUTIONS)],
            progress, last, now, now))
        ids = []
        for position in range(3):
            milestone_id = first_milestone + index * 3 + position
            ids.append(milestone_id)
            milestones.append((
                milestone_id, commitment_id, position, f"Hito {position + 1}",
                MILESTONE_STATUSES[(index + position) % len(MILESTONE_STATUSES)],
                date(2017, 6, 30) + timedelta(days=180 * position)))
        for number in range(per_commitment):
            update_id = index * per_commitment + number + 1
            updates.append((
                update_id, commitment_id, rng.randrange(1, moderators + 1), SUMMARY,
                summary_html, progress * (number + 1) // per_commitment,
                json.dumps(["https://datos.example.gt/evidencia"]),
                last - timedelta(days=30 * (per_commitment - number))))
            reports.append((update_id, update_id, ids[number % 3],
                            MILESTONE_STATUSES[(index + number) % 4]))
    writer.insert(Commitment.__table__, (
        "id", "plan_id", "theme_id", "number", "title", "problem", "ogp_values",
        "lead_institution", "progress", "last_update_at", "created_at", "updated_at",
    ), commitments)
    writer.insert(Milestone.__table__, (
        "id", "commitment_id", "position", "description", "status", "end_date",
    ), milestones)
    writer.insert(ProgressUpdate.__table__, (
        "id", "commitment_id", "author_id", "summary", "summary_html", "progress",
        "evidence_urls", "created_at",
    ), updates)
    writer.insert(MilestoneReport.__table__, ("id", "update_id", "milestone_id", "status"),
                  reports)
    return {"tracked_commitments": len(commitments), "progress_updates": len(updates)}
