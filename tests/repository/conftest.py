"""Fixtures for the repository tests: a signed-in moderator, uploads, the stored files."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.api.conftest import spec, validate  # noqa: F401 - fixtures: the OpenAPI schemas
from tests.factories import MesaFactory, ModeratorFactory
from tests.repository import samples


@pytest.fixture
def moderator(auth):
    return auth.login_as(ModeratorFactory())


@pytest.fixture
def mesa(db):
    return MesaFactory()


@pytest.fixture
def stored_files(app):
    """stored_files(): the names of the files in the repository's folder now."""
    root = Path(app.config["REPOSITORY_DIR"])

    def _list() -> set[str]:
        return {path.name for path in root.glob("*")} if root.exists() else set()

    return _list


@pytest.fixture
def upload(client):
    """upload(data, filename, **fields): POST /repository/upload as multipart."""

    def _upload(data: bytes = samples.PDF, filename: str = "minuta.pdf", **fields):
        form = {"title": "Minuta de la mesa 1", "type": "minutes",
                "document_date": "2018-08-20", **fields}
        if data is not None:
            form["file"] = (io.BytesIO(data), filename)
        return client.post("/repository/upload", data=form, content_type="multipart/form-data")

    return _upload
