"""Command-line groups: `flask seed`, `flask demo`, `flask users ...`."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from app.cli import demo, reference, users

    app.cli.add_command(reference.seed_command)
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(users.users_group)
    for module_name in ("app.cli.counts", "app.cli.bench", "app.cli.backup"):
        _add_optional(app, module_name)


def _add_optional(app: Flask, module_name: str) -> None:
    """Commands of features that register themselves via a `register(app)` function."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return
    module.register(app)
