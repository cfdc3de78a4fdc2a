"""What changed between two plan documents (published versions or the live draft)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

COMPARED_FIELDS = (
    "title", "problem", "cause", "description", "contribution", "ogp_values",
    "lead_institution", "partners", "contact", "start_date", "end_date",
)


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed | renumbered | milestones | sources
    number: int
    title: str
    detail: str = ""


def changes(old: dict | None, new: dict) -> list[Change]:
    """Commitments matched by id; an empty list when nothing changed (or no `old`)."""
    if old is None:
        return []
    before = {c["id"]: c for c in old.get("commitments", [])}
    after = {c["id"]: c for c in new.get("commitments", [])}
    result: list[Change] = []
    for cid, commitment in after.items():
        previous = before.get(cid)
        number, title = commitment["number"], commitment["title"]
        if previous is None:
            result.append(Change("added", number, title))
            continue
        edited = [name for name in COMPARED_FIELDS if previous.get(name) != commitment.get(name)]
        if edited:
            result.append(Change("changed", number, title, ", ".join(edited)))
        if previous.get("milestones") != commitment.get("milestones"):
            was = len(previous.get("milestones", []))
            count = len(commitment.get("milestones", []))
            now = ngettext("%(num)d hito", "%(num)d hitos", count)
            result.append(Change("milestones", number, title, now if was == count else _(
                "antes %(old)s, ahora %(new)s",
                old=ngettext("%(num)d hito", "%(num)d hitos", was), new=now)))
        if previous.get("source_proposals") != commitment.get("source_proposals"):
            result.append(Change("sources", number, title))
        if previous["number"] != number:
            result.append(Change("renumbered", number, title,
                                 _("antes compromiso %(n)d", n=previous["number"])))
    for cid, commitment in before.items():
        if cid not in after:
            result.append(Change("removed", commitment["number"], commitment["title"]))
    return sorted(result, key=lambda change: (change.number, change.kind))
