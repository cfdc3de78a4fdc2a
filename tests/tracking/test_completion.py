"""The one definition of completion (contract): not_started, limited, substantial, complete;
withdrawn milestones do not count."""
from __future__ import annotations

import pytest

from app.tracking.completion import completion_level, milestone_counts


@pytest.mark.parametrize(("statuses", "progress", "level"), [
    (("not_started", "not_started", "in_progress"), 0, "not_started"),
    (("not_started", "in_progress", "delayed"), 10, "limited"),
    (("completed", "in_progress", "not_started"), 30, "limited"),
    (("completed", "completed", "in_progress", "not_started"), 50, "substantial"),
    (("completed", "completed", "in_progress"), 60, "substantial"),
    (("completed", "completed", "completed"), 90, "complete"),
    (("completed", "completed", "withdrawn"), 80, "complete"),
    (("completed", "withdrawn", "in_progress"), 40, "substantial"),
    (("withdrawn", "not_started"), 0, "not_started"),
])
def test_completion_follows_the_contract(statuses, progress, level):
    done, counted = milestone_counts(statuses)
    assert completion_level(done, counted, progress) == level


def test_withdrawn_milestones_are_left_out_of_both_counts():
    assert milestone_counts(("completed", "withdrawn", "delayed")) == (1, 2)


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        milestone_counts(("done",))


@pytest.mark.parametrize(("progress", "level"), [
    (0, "not_started"), (20, "limited"), (50, "substantial"), (100, "complete")])
def test_without_milestones_the_reported_progress_decides(progress, level):
    assert completion_level(0, 0, progress) == level
