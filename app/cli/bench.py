"""`flask bench-data --scale S`: fill an empty database with the benchmark dataset.

The dataset itself is app/datasets/bench.py; this is its command line, with a progress bar
(rows written, rate, time left) per table.
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from app.datasets.bench import BENCH_PASSWORD, EMAIL_DOMAIN, generate, progress_bar

__all__ = ["BENCH_PASSWORD", "EMAIL_DOMAIN", "generate"]


@click.command("bench-data")
@click.option("--scale", default=1.0, type=click.FloatRange(0.0001, 10),
              help="1 is the national size: 50,000 participants, 1,000,000 supports; "
                   "10 is ten times that.")
@click.option("--progress/--no-progress", default=True,
              help="A progress bar per table (rows, rate, time left) on stderr.")
@with_appcontext
def bench_data_command(scale: float, progress: bool) -> None:
    """Fill an empty database with the benchmark dataset (and open every theme's windows)."""
    result = generate(scale, echo=click.echo, track=progress_bar if progress else None)
    counts = ", ".join(f"{value:,} {name}" for name, value in result["dataset"].items())
    click.echo(f"bench-data: {counts} in {result['seconds']:.1f} s "
               f"({result['cpu_seconds']:.1f} s of this process's CPU). "
               f"Accounts bench<N>@{EMAIL_DOMAIN}, password {BENCH_PASSWORD!r}.")


def register(app: Flask) -> None:
    app.cli.add_command(bench_data_command)
