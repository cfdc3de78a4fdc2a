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
    monkeypatch.setattr(pdf, "_now", lambda: later)
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
    monkeypatch.setattr(pdf, "_now", lambda: later)
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
    from tests.factories import ProposalFactory

    proposal = ProposalFactory()
    session = db.session()
    session.info.pop(pdf._CHANGED, None)
    proposal.vote_count += 1  # through the ORM, as a flush of a dirty Proposal
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


def test_a_render_that_failed_is_taken_over_by_a_waiting_download(renders, app, monkeypatch):
    import threading

    started = threading.Event()
    calls = []

    def flaky_render(document, version_label):
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            started.set()
            time.sleep(0.2)
            raise RuntimeError("WeasyPrint failed")
        return b"%PDF second try"

    monkeypatch.setattr(pdf, "render", flaky_render)
    key = pdf.content_key(DOCUMENT, None)

    def ahead():
        with app.test_request_context("/"):
            try:
                pdf._render_and_keep(DOCUMENT, None, key)
            except RuntimeError:
                pass

    worker = threading.Thread(target=ahead, name="ahead")
    worker.start()
    assert started.wait(5)
    assert pdf.to_pdf(DOCUMENT) == b"%PDF second try"
    worker.join(5)
    assert calls == ["ahead", threading.current_thread().name]
    assert pdf._read(key)[2] == b"%PDF second try"  # kept for the next download


def test_a_newer_pdf_written_by_another_worker_wins_over_memory(renders, monkeypatch):
    key = pdf.content_key(DOCUMENT, None)
    pdf.to_pdf(DOCUMENT)
    older = pdf._memory[key]
    pdf._write(key, (older[0] + 5, older[1], b"%PDF from another worker"))
    pdf._memory[key] = older  # this process still remembers its own, older copy
    assert pdf.to_pdf(DOCUMENT) == b"%PDF from another worker"


def test_a_new_stylesheet_or_template_changes_the_key(renders, app, monkeypatch, tmp_path):
    sheet = tmp_path / "plan-print.css"
    sheet.write_text("body { font-size: 10pt; }")
    monkeypatch.setattr(pdf, "_stylesheet", lambda: sheet)
    before = pdf.content_key(DOCUMENT, None)
    sheet.write_text("body { font-size: 11pt; }  /* a deploy */")
    assert pdf.content_key(DOCUMENT, None) != before


def test_a_plan_changed_during_a_background_render_is_rendered_again(app, monkeypatch):
    import threading

    monkeypatch.setitem(app.config, "PDF_RENDER_AHEAD", True)
    release = threading.Event()
    runs = []

    def job():
        runs.append(len(runs))
        if len(runs) == 1:
            release.wait(5)

    with app.test_request_context("/"):
        assert pdf._in_background("test-key", job, "es")
        assert pdf._in_background("test-key", job, "es")  # a second change, while it runs
        assert pdf._in_background("test-key", job, "es")  # and a third: one more run only
        release.set()
    for thread in threading.enumerate():
        if thread.name == "cocrea-pdf":
            thread.join(5)
    assert runs == [0, 1]
    assert "test-key" not in pdf._refreshing


def test_a_thread_that_cannot_start_leaves_the_render_to_the_request(app, monkeypatch):
    import threading

    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setitem(app.config, "PDF_RENDER_AHEAD", True)
    monkeypatch.setattr(threading.Thread, "start", refuse)
    with app.test_request_context("/"):
        assert pdf._in_background("other-key", lambda: None, "es") is False
    assert "other-key" not in pdf._refreshing


def test_only_the_draft_pdf_says_its_supports_were_counted_when_generated(app):
    from flask import render_template

    from app.models.base import utcnow

    document = {"title": "Plan", "period": "2018-2020", "commitments": []}
    with app.test_request_context("/"):
        draft = render_template("plan/print.html", document=document, version_label=None,
                                generated_at=utcnow())
        version = render_template("plan/print.html", document=document,
                                  version_label="Versión 1", generated_at=utcnow())
    assert "Documento generado el" in draft and "Los apoyos son los contados" in draft
    assert "Documento generado el" in version and "Los apoyos son los contados" not in version
