"""The versions of a proposal and what changed between two of them (difflib)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Proposal, ProposalRevision, User
from app.templating import OGP_VALUE_LABELS

FIELD_LABELS = {
    "title": _l("Título"),
    "problem": _l("Problema público"),
    "cause": _l("Causa del problema"),
    "description": _l("Descripción del compromiso"),
    "contribution": _l("Cómo contribuye a resolver el problema"),
    "ogp_values": _l("Valores de gobierno abierto"),
    "lead_institution": _l("Institución responsable"),
    "partners": _l("Otros actores involucrados"),
}


@dataclass
class Version:
    number: int
    author: User | None
    created_at: datetime
    texts: dict[str, str] = field(default_factory=dict)
    current: bool = False


@dataclass
class FieldDiff:
    name: str
    label: str
    lines: list[tuple[str, str]]  # (kind: "add" | "del" | "same" | "gap", text)


def _texts(source) -> dict[str, str]:
    texts = {name: getattr(source, name) or "" for name in FIELD_LABELS if name != "ogp_values"}
    texts["ogp_values"] = "\n".join(
        str(OGP_VALUE_LABELS.get(value, value)) for value in (source.ogp_values or []))
    return texts


def proposal_versions(proposal: Proposal) -> list[Version]:
    """Version 1 is the text as first published; the last one is the current text.

    Revision k holds the text replaced by the k-th edit, made by its editor at its time; so
    version k+1 was written by revision k's editor.
    """
    revisions = db.session.scalars(
        select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id)
        .options(joinedload(ProposalRevision.editor)).order_by(ProposalRevision.number)
    ).all()
    versions = []
    author, created_at = proposal.author, proposal.created_at
    for revision in revisions:
        versions.append(Version(len(versions) + 1, author, created_at, _texts(revision)))
        author, created_at = revision.editor, revision.created_at
    versions.append(Version(len(versions) + 1, author, created_at, _texts(proposal), True))
    return versions


def pick_versions(versions: list[Version], args) -> tuple[Version, Version] | None:
    """The two versions to compare (`from`, `to`), by default the last edit; a number out of
    range or mistyped falls back to its default (an HTML page's query never errs)."""
    if len(versions) < 2:
        return None

    def number(name: str, default: int) -> int:
        raw = str(args.get(name) or "")
        if not (raw.isascii() and raw.isdigit() and len(raw) < 7):
            return default
        if not 1 <= int(raw) <= len(versions):
            return default
        return int(raw)

    old = number("from", len(versions) - 1)
    new = number("to", len(versions))
    return versions[old - 1], versions[new - 1]


def diff_versions(old: Version, new: Version) -> list[FieldDiff]:
    """Per changed field, a line diff with three lines of context."""
    diffs = []
    for name, label in FIELD_LABELS.items():
        before, after = old.texts[name].splitlines(), new.texts[name].splitlines()
        if before == after:
            continue
        lines = []
        for line in difflib.unified_diff(before, after, n=3, lineterm=""):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                if lines:
                    lines.append(("gap", "…"))
            elif line.startswith("+"):
                lines.append(("add", line[1:]))
            elif line.startswith("-"):
                lines.append(("del", line[1:]))
            else:
                lines.append(("same", line[1:]))
        diffs.append(FieldDiff(name, str(label), lines))
    return diffs
