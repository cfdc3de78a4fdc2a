"""Exports of a plan document: Markdown, CSV and the download file name (the PDF: app.plan.pdf)."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from app.templating import OGP_VALUE_LABELS

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
CSV_COLUMNS = (
    "number", "theme", "theme_name", "title", "problem", "cause", "description", "contribution",
    "ogp_values", "lead_institution", "partners", "contact_name", "contact_role",
    "start_date", "end_date", "milestone_count", "milestones",
    "source_proposals", "source_support_count",
)


def filename(document: dict, fmt: str, version: int | None = None) -> str:
    """"plan-de-accion-4-2018-2020.pdf" (the 4 from the plan's slug when it has one)."""
    ordinal = "".join(ch for ch in document.get("slug", "").split("-")[0] if ch.isdigit())
    parts = ["plan-de-accion", ordinal, document.get("period", "")]
    if version:
        parts.append(f"v{version}")
    return "-".join(part for part in parts if part) + f".{fmt}"


def _milestone_text(milestone: dict) -> str:
    dates = " – ".join(d for d in (milestone["start_date"], milestone["end_date"]) if d)
    text = milestone["description"]
    if milestone["deliverable"]:
        text += f" ({_('entregable')}: {milestone['deliverable']})"
    return f"{text} [{dates}]" if dates else text


def to_markdown(document: dict) -> str:
    lines = [f"# {document['title']} {document['period']}", ""]
    if document.get("intro"):
        lines += [document["intro"], ""]
    theme = None
    for c in document["commitments"]:
        if c["theme_name"] != theme:
            theme = c["theme_name"]
            lines += [f"## {theme}", ""]
        lines += [f"### {_('Compromiso')} {c['number']}. {c['title']}", ""]
        for label, key in ((_("Problema público"), "problem"), (_("Causa"), "cause"),
                           (_("Descripción"), "description"),
                           (_("Cómo contribuye a resolver el problema"), "contribution")):
            if c[key]:
                lines += [f"**{label}:** {c[key]}", ""]
        values = ", ".join(str(OGP_VALUE_LABELS.get(v, v)) for v in c["ogp_values"])
        lines += [f"- **{_('Valores de gobierno abierto')}:** {values or '—'}",
                  f"- **{_('Institución responsable')}:** {c['lead_institution'] or '—'}",
                  f"- **{_('Otros actores involucrados')}:** {c['partners'] or '—'}"]
        if c["start_date"] or c["end_date"]:
            lines.append(f"- **{_('Período')}:** {c['start_date'] or '—'} – {c['end_date'] or '—'}")
        lines.append(f"- **{_('Origen')}:** " + origin_text(c))
        lines.append("")
        if c["milestones"]:
            lines += [f"**{_('Hitos')}:**", ""]
            lines += [f"{i}. {_milestone_text(m)}" for i, m in enumerate(c["milestones"], 1)]
            lines.append("")
    return "\n".join(lines)


def origin_text(commitment: dict) -> str:
    """"propuestas #12, #48 (320 apoyos)"."""
    ids = ", ".join(f"#{pid}" for pid in commitment["source_proposals"])
    if not ids:
        return _("sin propuestas de origen")
    return _("propuestas %(ids)s (%(n)d apoyos)", ids=ids, n=commitment["source_support_count"])


def safe_cell(value) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


_safe_cell = safe_cell  # the name other modules imported first


def to_csv(document: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for c in document["commitments"]:
        row = dict(c)
        row.update(
            ogp_values=";".join(c["ogp_values"]),
            contact_name=c["contact"]["name"], contact_role=c["contact"]["role"],
            milestone_count=len(c["milestones"]),
            milestones=" | ".join(_milestone_text(m) for m in c["milestones"]),
            source_proposals=";".join(str(pid) for pid in c["source_proposals"]),
        )
        writer.writerow([safe_cell(row.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()
