"""The plan PDF is rendered once per content and kept (app.plan.pdf): support counts alone
re-render only after PDF_MAX_AGE_SECONDS, every worker finds a kept PDF on disk, and a change
to the plan renders the draft ahead."""
from __future__ import annotations

import copy
import time

import pytest
from flask_babel import force_locale

from app.extensions import db
from app.plan import pdf

DOCUMENT = {"title": "Plan", "commitments": [
    {"id": 1, "title": "Uno", "source_support_count": 10},
]}


@pytest.fixture
def renders(app, monkeypatch, tmp_path):
    calls = []

    def fake_render(document, version_label):
        calls.append((document["title"], version_label))
        return f"%PDF {document['title']} {len(calls)}".encode()

    monkeypatch.setattr(pdf, "render", fake_render)
    monkeypatch.setattr(pdf, "_memory", pdf.OrderedDict())
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "pdf"))
    with app.test_request_context("/"):
        yield calls


def test_the_same_document_is_rendered_once(renders):
    first = pdf.to_pdf(DOCUMENT)
    assert pdf.to_pdf(copy.deepcopy(DOCUMENT)) == first
    assert len(renders) == 1


def test_a_changed_plan_is_rendered_again(renders):
    first = pdf.to_pdf(DOCUMENT)
    changed = copy.deepcopy(DOCUMENT)
    changed["commitments"][0]["title"] = "Uno, revisado"
    assert pdf.to_pdf(changed) != first
    assert len(renders) == 2


def test_new_supports_reuse_the_pdf_while_it_is_fresh(renders):
    first = pdf.to_pdf(DOCUMENT)
    supported = copy.deepcopy(DOCUMENT)
    supported["commitments"][0]["source_support_count"] = 11
    assert pdf.to_pdf(supported) == first
    assert len(renders) == 1


def test_new_supports_render_again_once_the_pdf_is_old(renders, app, monkeypatch):
    pdf.to_pdf(DOCUMENT)
    monkeypatch.setitem(app.config, "PDF_MAX_AGE_SECONDS", 60)
    later = time.time() + 61
    monkeypatch.setattr(pdf.time, "time", lambda: later)
    supported = copy.deepcopy(DOCUMENT)
    supported["commitments"][0]["source_support_count"] = 11
    pdf.to_pdf(supported)  # render-ahead is off in the tests: rendered in the request
    assert len(renders) == 2
    pdf.to_pdf(supported)  # the counts it was rendered with are current: kept
    assert len(renders) == 2


def test_an_old_pdf_with_unchanged_counts_is_kept(renders, app, monkeypatch):
    pdf.to_pdf(DOCUMENT)
    monkeypatch.setitem(app.config, "PDF_MAX_AGE_SECONDS", 60)
    later = time.time() + 3600
    monkeypatch.setattr(pdf.time, "time", lambda: later)
    pdf.to_pdf(DOCUMENT)
    assert len(renders) == 1


def test_another_worker_finds_the_pdf_on_disk(renders, monkeypatch):
    first = pdf.to_pdf(DOCUMENT)
    monkeypatch.setattr(pdf, "_memory", pdf.OrderedDict())  # a new process
    assert pdf.to_pdf(DOCUMENT) == first
    assert len(renders) == 1


def test_an_unreadable_store_renders_instead_of_failing(renders, app, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(blocker))
    assert pdf.to_pdf(DOCUMENT).startswith(b"%PDF")
    monkeypatch.setattr(pdf, "_memory", pdf.OrderedDict())
    assert pdf.to_pdf(DOCUMENT).startswith(b"%PDF")
    assert len(renders) == 2


def test_language_and_version_label_are_part_of_the_key(renders):
    with force_locale("es"):
        pdf.to_pdf(DOCUMENT)
        pdf.to_pdf(DOCUMENT, "Versión 2")
    with force_locale("en"):
        pdf.to_pdf(DOCUMENT)
    assert len(renders) == 3


def test_the_memory_is_bounded(renders, app, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", None)
    for index in range(pdf.MEMORY_SIZE + 3):
        pdf.to_pdf({"title": f"Plan {index}"})
    assert len(pdf._memory) == pdf.MEMORY_SIZE
    pdf.to_pdf({"title": "Plan 0"})  # evicted: rendered again
    assert len(renders) == pdf.MEMORY_SIZE + 4


def test_a_change_to_the_plan_is_noted_for_rendering_ahead(app, seeded):
    from app.models import Theme

    session = db.session()
    session.info.pop(pdf._CHANGED, None)
    theme = db.session.scalar(db.select(Theme).limit(1))
    theme.description = "Nueva descripción"
    db.session.flush()
    assert session.info.get(pdf._CHANGED) is True


def test_supports_alone_are_not_a_plan_change(app, seeded):
    from app.models import Proposal

    session = db.session()
    session.info.pop(pdf._CHANGED, None)
    db.session.execute(db.update(Proposal).values(vote_count=Proposal.vote_count + 1))
    db.session.flush()
    assert pdf._CHANGED not in session.info


def test_rendering_ahead_keeps_the_current_draft(renders, app, seeded):
    pdf.render_current_draft()
    assert len(renders) == 1
    from app.plan import services
    from app.plan.serializers import plan_document

    pdf.to_pdf(plan_document(services.current_plan()))
    assert len(renders) == 1  # the download finds it ready


def test_a_download_waits_for_the_render_already_running(renders, app, monkeypatch):
    import threading

    started, release = threading.Event(), threading.Event()
    slow_calls = []

    def slow_render(document, version_label):
        slow_calls.append(document["title"])
        started.set()
        release.wait(5)
        return b"%PDF ahead"

    monkeypatch.setattr(pdf, "render", slow_render)
    key = pdf.content_key(DOCUMENT, None)

    def ahead():
        with app.test_request_context("/"):
            pdf._render_and_keep(DOCUMENT, None, key)

    worker = threading.Thread(target=ahead)
    worker.start()
    assert started.wait(5)
    threading.Timer(0.2, release.set).start()
    assert pdf.to_pdf(DOCUMENT) == b"%PDF ahead"
    worker.join(5)
    assert slow_calls == ["Plan"]  # laid out once


def test_the_disk_keeps_only_the_most_recent_pdfs(renders, app, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "DISK_KEEP", 3)
    for index in range(5):
        pdf.to_pdf({"title": f"Plan {index}"})
    folder = tmp_path / "pdf"
    assert len(list(folder.glob("*.pdf"))) == 3
    assert len(list(folder.glob("*.json"))) == 3
