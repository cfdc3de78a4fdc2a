"""Exports of a plan document: Markdown, CSV and the download file name (the PDF: app.plan.pdf)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext

from app.csvfile import csv_text
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
    "source_proposals", "source_support_count", "progress", "completion",
)


def filename(document: dict, fmt: str, version: int | None = None) -> str:
    """"plan-de-accion-4-2018-2020.pdf" (the 4 from the plan's slug when it has one)."""
    ordinal = "".join(ch for ch in document.get("slug", "").split("-")[0] if ch.isdigit())
    parts = ["plan-de-accion", ordinal, document.get("period", "")]
    if version:
        parts.append(f"v{version}")
    return "-".join(part for part in parts if part) + f".{fmt}"


# Markdown that a text could start: inline (emphasis, code, links and images, raw HTML,
# entities, GFM tables and strikethrough) anywhere; blocks (headings, lists, quotes, setext
# underlines, fences) at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~!])")
_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")


def md_text(value, *, one_line: bool = False) -> str:
    """`value` as literal text in a Markdown document: every character that could become
    markup (raw HTML, images, links, headings, lists, emphasis) is backslash-escaped, so the
    export shows what the author wrote and never markup they did not write."""
    text = "" if value is None else str(value)
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _INLINE.sub(r"\\\1", line.strip())  # no indent: no code block either
        lines.append(_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], line))
    return (" " if one_line else "\n").join(lines)


def _milestone_text(milestone: dict) -> str:
    dates = " – ".join(d for d in (milestone["start_date"], milestone["end_date"]) if d)
    text = milestone["description"]
    if milestone["deliverable"]:
        text += f" ({_('entregable')}: {milestone['deliverable']})"
    return f"{text} [{dates}]" if dates else text


def _md_milestone(milestone: dict) -> str:
    dates = " – ".join(md_text(d) for d in (milestone["start_date"], milestone["end_date"]) if d)
    text = md_text(milestone["description"], one_line=True)
    if milestone["deliverable"]:
        text += f" ({_('entregable')}: {md_text(milestone['deliverable'], one_line=True)})"
    return f"{text} \\[{dates}\\]" if dates else text


def to_markdown(document: dict) -> str:
    """The plan as Markdown: the structure (headings, labels, lists) is ours, every value is
    escaped text (md_text)."""
    lines = [f"# {md_text(document['title'], one_line=True)} "
             f"{md_text(document['period'], one_line=True)}", ""]
    if document.get("intro"):
        lines += [md_text(document["intro"]), ""]
    theme = None
    for c in document["commitments"]:
        if c["theme_name"] != theme:
            theme = c["theme_name"]
            lines += [f"## {md_text(theme, one_line=True)}", ""]
        lines += [f"### {_('Compromiso')} {c['number']}. {md_text(c['title'], one_line=True)}",
                  ""]
        for label, key in ((_("Problema público"), "problem"), (_("Causa"), "cause"),
                           (_("Descripción"), "description"),
                           (_("Cómo contribuye a resolver el problema"), "contribution")):
            if c[key]:
                lines += [f"**{label}:** {md_text(c[key])}", ""]
        values = ", ".join(md_text(OGP_VALUE_LABELS.get(v, v)) for v in c["ogp_values"])
        lines += [
            f"- **{_('Valores de gobierno abierto')}:** {values or '—'}",
            f"- **{_('Institución responsable')}:** "
            f"{md_text(c['lead_institution'], one_line=True) or '—'}",
            f"- **{_('Otros actores involucrados')}:** "
            f"{md_text(c['partners'], one_line=True) or '—'}"]
        if c["start_date"] or c["end_date"]:
            lines.append(f"- **{_('Período')}:** {md_text(c['start_date']) or '—'} – "
                         f"{md_text(c['end_date']) or '—'}")
        lines.append(f"- **{_('Origen')}:** " + md_text(origin_text(c), one_line=True))
        if reports_progress(c):
            lines.append(f"- **{_('Avance')}:** " + md_text(progress_text(c), one_line=True))
        lines.append("")
        if c["milestones"]:
            lines += [f"**{_('Hitos')}:**", ""]
            lines += [f"{i}. {_md_milestone(m)}" for i, m in enumerate(c["milestones"], 1)]
            lines.append("")
    return "\n".join(lines)


def origin_text(commitment: dict) -> str:
    """"propuestas #12, #48 (320 apoyos)"."""
    ids = ", ".join(f"#{pid}" for pid in commitment["source_proposals"])
    if not ids:
        return _("sin propuestas de origen")
    sources = ngettext("propuesta %(ids)s", "propuestas %(ids)s",
                       len(commitment["source_proposals"]), ids=ids)
    support = ngettext("%(num)d apoyo", "%(num)d apoyos", commitment["source_support_count"])
    return f"{sources} ({support})"


def reports_progress(commitment: dict) -> bool:
    """Whether the documents show the commitment's progress: once it has any (a draft's
    commitments have none; versions published before implementation tracking lack it)."""
    return bool(commitment.get("completion")) and (
        commitment.get("progress", 0) > 0 or commitment["completion"] != "not_started")


def progress_text(commitment: dict) -> str:
    """"40 % (cumplimiento: limitado)" (app/tracking/completion.py decides the level)."""
    from app.tracking.labels import COMPLETION_LABELS

    level = COMPLETION_LABELS.get(commitment["completion"], commitment["completion"])
    return _("%(progress)d %% (cumplimiento: %(level)s)", progress=commitment["progress"],
             level=str(level).lower())


def to_csv(document: dict) -> str:
    """The plan's commitments as CSV text (app.csvfile: the mark, safe cells)."""
    rows = []
    for c in document["commitments"]:
        row = dict(c)
        row.update(
            ogp_values=";".join(c["ogp_values"]),
            contact_name=c["contact"]["name"], contact_role=c["contact"]["role"],
            milestone_count=len(c["milestones"]),
            milestones=" | ".join(_milestone_text(m) for m in c["milestones"]),
            source_proposals=";".join(str(pid) for pid in c["source_proposals"]),
        )
        rows.append([row.get(column) for column in CSV_COLUMNS])
    return csv_text(CSV_COLUMNS, rows)
