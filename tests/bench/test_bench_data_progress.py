"""`flask bench-data` shows a progress bar per table: rows written of the total, and the rate."""
from __future__ import annotations

from app.datasets.bench import DatasetSizes, no_progress, progress_bar


def test_the_progress_bar_counts_the_rows_it_passes_on_and_shows_the_rate(capsys):
    rows = list(progress_bar(iter(range(1500)), 1500, "supports"))

    shown = capsys.readouterr().err
    assert rows == list(range(1500))
    assert "supports" in shown and "1.50k/1.50k" in shown and "rows/s" in shown


def test_without_progress_rows_pass_through_untouched(capsys):
    rows = iter(range(3))

    assert no_progress(rows, 3, "users") is rows
    assert capsys.readouterr().err == ""


def test_scale_ten_is_ten_times_the_national_dataset():
    sizes = DatasetSizes.for_scale(10)

    assert (sizes.users, sizes.proposals, sizes.votes, sizes.comments) == (
        500_000, 200_000, 10_000_000, 2_000_000)
