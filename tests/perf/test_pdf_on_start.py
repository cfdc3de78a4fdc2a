"""A deploy renders the plan's PDF ahead as its workers start, in a process of its own: one
worker starts it (a lock file in PDF_CACHE_DIR, handed to that process), the others leave it
to that one, and no download waits."""
from __future__ import annotations

import os

from app.plan import pdf


def test_one_worker_starts_the_render_and_the_others_leave_it_to_it(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PDF_RENDER_AHEAD", True)
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "pdf"))
    started, held = [], []

    def spawn(argv, lock_fd):  # the render process: it keeps the lock until it exits
        started.append(argv[-1])
        held.append(os.dup(lock_fd))

    assert pdf.render_ahead_on_start(app, spawn=spawn) is True
    assert pdf.render_ahead_on_start(app, spawn=spawn) is False  # still rendering
    assert started == ["app.plan.render_ahead"]

    os.close(held.pop())  # the render process exits
    assert pdf.render_ahead_on_start(app, spawn=spawn) is True  # a later worker checks again
    os.close(held.pop())


def test_a_render_that_cannot_start_leaves_the_lock_free(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "PDF_RENDER_AHEAD", True)
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path / "pdf"))

    def failing(argv, lock_fd):
        raise OSError("no process to be had")

    assert pdf.render_ahead_on_start(app, spawn=failing) is False
    assert pdf.render_ahead_on_start(app, spawn=lambda argv, fd: None) is True


def test_nothing_is_rendered_ahead_without_a_disk_cache_or_when_turned_off(app, monkeypatch):
    def spawn(argv, lock_fd):
        raise AssertionError("rendered")

    monkeypatch.setitem(app.config, "PDF_RENDER_AHEAD", False)
    assert pdf.render_ahead_on_start(app, spawn=spawn) is False
    monkeypatch.setitem(app.config, "PDF_RENDER_AHEAD", True)
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", None)
    assert pdf.render_ahead_on_start(app, spawn=spawn) is False


def test_a_download_during_the_deploy_render_takes_its_pdf_instead_of_rendering_again(
        app, monkeypatch, tmp_path):
    import fcntl
    import threading

    folder = tmp_path / "pdf"
    folder.mkdir()
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(folder))
    monkeypatch.setattr(pdf, "_memory", pdf.OrderedDict())
    monkeypatch.setattr(pdf, "render", lambda *_: (_ for _ in ()).throw(
        AssertionError("laid out twice")))
    document = {"title": "Plan", "commitments": []}
    lock = os.open(folder / pdf.START_LOCK, os.O_CREAT | os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # the deploy's render process, still running

    with app.test_request_context("/"):
        key = pdf.content_key(document, None)

        def render_process_finishes():
            with app.test_request_context("/"):
                pdf._write(key, (pdf._now(), pdf.counts_key(document), b"%PDF ahead"))
            os.close(lock)

        threading.Timer(0.3, render_process_finishes).start()
        assert pdf.rendering_on_start() is True
        assert pdf.to_pdf(document) == b"%PDF ahead"
