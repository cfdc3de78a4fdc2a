"""A commitment's completion: the one definition (contract, "Implementation tracking").

`not_started`: no milestone completed and progress 0; `limited`: under half of its
milestones completed; `substantial`: half or more; `complete`: all. Withdrawn milestones do
not count. Every page, export and API document asks `completion_level`.
"""
from __future__ import annotations

from collections.abc import Iterable

from app.models.plan import MILESTONE_STATUSES


def milestone_counts(statuses: Iterable[str]) -> tuple[int, int]:
    """(completed, counted) of a commitment's milestone statuses; withdrawn ones are left
    out of both. Raises ValueError for a status outside MILESTONE_STATUSES."""
    done = counted = 0
    for status in statuses:
        if status not in MILESTONE_STATUSES:
            raise ValueError(status)
        if status == "withdrawn":
            continue
        counted += 1
        done += status == "completed"
    return done, counted


def completion_level(done: int, counted: int, progress: int) -> str:
    """The completion level of a commitment with `done` of `counted` milestones completed
    (withdrawn ones excluded) and `progress` percent (0-100) reported.

    Without counted milestones, the reported progress decides: 0 is `not_started`, 100
    `complete`, 50 or more `substantial`, anything else `limited`."""
    if counted == 0:
        if progress <= 0:
            return "not_started"
        if progress >= 100:
            return "complete"
        return "substantial" if progress >= 50 else "limited"
    if done == 0 and progress <= 0:
        return "not_started"
    if done >= counted:
        return "complete"
    if 2 * done >= counted:
        return "substantial"
    return "limited"


def commitment_completion(commitment) -> str:
    """The level of a Commitment whose milestones are loaded (no query)."""
    done, counted = milestone_counts(milestone.status for milestone in commitment.milestones)
    return completion_level(done, counted, commitment.progress or 0)
