"""The plan PDF is rendered once per document, language and version label (app.plan.exports)."""
from __future__ import annotations

import copy

import pytest
from flask_babel import force_locale

from app.plan import exports


@pytest.fixture
def renders(app, monkeypatch):
    calls = []

    def fake_render(document, version_label):
        calls.append((document["title"], version_label))
        return f"%PDF {document['title']} {len(calls)}".encode()

    monkeypatch.setattr(exports, "_render_pdf", fake_render)
    monkeypatch.setattr(exports, "_pdf_cache", exports.OrderedDict())
    with app.test_request_context("/"):
        yield calls


def test_the_same_document_is_rendered_once(renders):
    document = {"title": "Plan", "themes": [{"commitments": [{"title": "Uno"}]}]}
    first = exports.to_pdf(document)
    assert exports.to_pdf(copy.deepcopy(document)) == first
    assert len(renders) == 1


def test_a_changed_plan_is_rendered_again(renders):
    document = {"title": "Plan", "themes": [{"commitments": [{"title": "Uno"}]}]}
    first = exports.to_pdf(document)
    changed = copy.deepcopy(document)
    changed["themes"][0]["commitments"][0]["title"] = "Uno, revisado"
    assert exports.to_pdf(changed) != first
    assert len(renders) == 2


def test_language_and_version_label_are_part_of_the_key(renders):
    document = {"title": "Plan"}
    with force_locale("es"):
        exports.to_pdf(document)
        exports.to_pdf(document, "Versión 2")
    with force_locale("en"):
        exports.to_pdf(document)
    assert len(renders) == 3


def test_the_cache_is_bounded(renders):
    for index in range(exports.PDF_CACHE_SIZE + 3):
        exports.to_pdf({"title": f"Plan {index}"})
    assert len(exports._pdf_cache) == exports.PDF_CACHE_SIZE
    exports.to_pdf({"title": "Plan 0"})  # evicted: rendered again
    assert len(renders) == exports.PDF_CACHE_SIZE + 4
