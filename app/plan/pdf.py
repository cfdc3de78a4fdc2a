"""The plan as PDF (WeasyPrint), rendered ahead and kept, so a download rarely waits.

WeasyPrint lays out about 50 ms per page: a 40-commitment plan (37 A4 pages) takes 2-3 s of
CPU. So a PDF is rendered once per *content* (the document without its support counts, the
version label, the language, and the stylesheet, templates and translations it is made with)
and kept in memory and on disk, where every worker process finds it:

- a download serves the kept PDF; its support counts are those of the moment it was
  rendered, which the document states ("generado el ..."), for at most PDF_MAX_AGE_SECONDS;
  after that the kept PDF is served once more and a fresh one is rendered in the background;
- a change to the plan (commitments, milestones, themes, versions) renders the current draft
  ahead, in the background, right after its commit, so the next download finds it ready;
- only a content never rendered before waits for WeasyPrint.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

from flask import Flask, current_app, has_app_context, render_template
from flask_babel import force_locale, get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models.base import utcnow

VOLATILE = ("source_support_count",)  # changes with every support: not part of the content
MEMORY_SIZE = 8  # PDFs kept per process (a 40-commitment plan is ~120 kB)
DISK_KEEP = 32  # PDFs kept on disk, for every worker
_memory: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()  # key -> (at, counts, pdf)
_lock = threading.Lock()
_refreshing: set[str] = set()  # background jobs running
_again: set[str] = set()  # ... and asked for again meanwhile
_rendering: dict[str, threading.Event] = {}  # content keys being laid out in this process
RENDER_WAIT_SECONDS = 30
# Tagged for accessibility (PDF/UA-1: structure tags, the title shown, the language declared);
# part of every content key, so a PDF rendered with other options is never served again.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def _now() -> float:
    return time.time()


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _stylesheet() -> Path:
    return Path(current_app.static_folder) / "css" / "plan-print.css"


def _layout_signature() -> list:
    """The files a PDF's look comes from (stylesheet, templates, compiled translations), by
    modification time and size: a deploy that changes one of them changes every key, so a
    PDF kept on disk from the previous release is never served again."""
    root = Path(current_app.root_path)
    files = [_stylesheet(), root / "templates" / "plan" / "print.html",
             root / "templates" / "plan" / "_document.html",
             *sorted((root / "translations").glob("*/LC_MESSAGES/messages.mo"))]
    signature = []
    for path in files:
        try:
            stat = path.stat()
            signature.append([path.name, stat.st_mtime_ns, stat.st_size])
        except OSError:
            signature.append([path.name, None, None])
    return signature


def content_key(document: dict, version_label: str | None) -> str:
    """What the PDF depends on, support counts left out."""
    content = dict(document, commitments=[
        {key: value for key, value in commitment.items() if key not in VOLATILE}
        for commitment in document.get("commitments", [])
    ])
    return _digest([content, version_label, str(get_locale()), _layout_signature(), PDF_OPTIONS])


def counts_key(document: dict) -> str:
    return _digest([[c.get(key) for key in VOLATILE] for c in document.get("commitments", [])])


def _directory() -> Path | None:
    folder = current_app.config.get("PDF_CACHE_DIR")
    return Path(folder) if folder else None


def _read(key: str) -> tuple[float, str, bytes] | None:
    """The kept PDF: this process's copy, unless another worker wrote a newer one to disk."""
    with _lock:
        remembered = _memory.get(key)
        if remembered is not None:
            _memory.move_to_end(key)
    folder = _directory()
    if folder is None:
        return remembered
    try:
        meta = json.loads((folder / f"{key}.json").read_text())
        at = float(meta["at"])
        if remembered is not None and remembered[0] >= at:
            return remembered
        entry = (at, str(meta["counts"]), (folder / f"{key}.pdf").read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return remembered
    _remember(key, entry)
    return entry


def _remember(key: str, entry: tuple[float, str, bytes]) -> None:
    with _lock:
        _memory[key] = entry
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_SIZE:
            _memory.popitem(last=False)


def _write(key: str, entry: tuple[float, str, bytes]) -> None:
    _remember(key, entry)
    folder = _directory()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: another worker never reads half a file.
        for suffix, data in ((".pdf", entry[2]),
                             (".json", json.dumps({"at": entry[0], "counts": entry[1]}).encode())):
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, folder / f"{key}{suffix}")
        _prune(folder)
    except OSError as error:  # a full or read-only disk costs speed, never the download
        current_app.logger.warning("pdf: could not keep the rendered plan (%s)", error)


def _prune(folder: Path) -> None:
    """Keep the DISK_KEEP most recent PDFs: every change to the plan writes a new one."""
    kept = sorted(folder.glob("*.pdf"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in kept[DISK_KEEP:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def render(document: dict, version_label: str | None) -> bytes:
    html = render_template("plan/print.html", document=document, version_label=version_label,
                           generated_at=utcnow())
    return write_pdf(html)


def write_pdf(html: str) -> bytes:
    """The PDF of `html` with the print stylesheet. WeasyPrint may read only the app's own
    static files (static_files_fetcher): a URL in a document never reaches the network or
    another file on the server."""
    from weasyprint import CSS, HTML

    from app.urls import base_url

    root = Path(current_app.static_folder).resolve()
    fetcher = static_files_fetcher(root, base_url())
    # Relative links ("/proposals/12") become absolute on BASE_URL in the PDF.
    return HTML(string=html, base_url=base_url() + "/", url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(filename=str(_stylesheet()), url_fetcher=fetcher)], **PDF_OPTIONS)


def static_file_path(url: str, root: Path, site: str | None = None) -> Path | None:
    """The file under `root` (the static folder) that `url` names: a file: URL inside it, or
    `site`/static/... (site: BASE_URL); None for anything else (other hosts, other files)."""
    from urllib.parse import unquote, urlsplit

    if site and url.startswith(site.rstrip("/") + "/static/"):
        url = "file:///static/" + url[len(site.rstrip("/") + "/static/"):]
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    if path.startswith("/static/"):
        path = str(root / path[len("/static/"):])
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


def static_files_fetcher(root: Path, site: str | None = None):
    """A WeasyPrint URL fetcher that serves the files under `root` (also as `site`/static/...)
    and refuses everything else (ValueError: WeasyPrint logs it, leaves the resource out)."""
    from weasyprint.urls import URLFetcher

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_path(url, root, site)
            if path is None:
                raise ValueError(f"only the app's static files may be fetched: {url[:100]!r}")
            return super().fetch(path.as_uri(), headers)

    return StaticFilesFetcher(allowed_protocols={"file"}, allow_redirects=False)


def rendering_on_start() -> bool:
    """Whether the deploy's render-ahead process (render_ahead_on_start) is running now."""
    import fcntl

    folder = current_app.config.get("PDF_CACHE_DIR")
    if not folder:
        return False
    try:
        handle = os.open(Path(folder) / START_LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(handle)


def _wait_for_start_render(key: str) -> tuple[float, str, bytes] | None:
    """While the deploy's render-ahead runs in its own process, the PDF it is laying out
    appears on disk: wait for it (at most RENDER_WAIT_SECONDS) instead of laying the same
    document out a second time beside it."""
    deadline = _now() + RENDER_WAIT_SECONDS
    while rendering_on_start() and _now() < deadline:
        time.sleep(0.2)
        kept = _read(key)
        if kept is not None:
            return kept
    return _read(key)


def _render_and_keep(document: dict, version_label: str | None, key: str) -> bytes:
    """Render and keep. When this process is laying out the same content already (ahead, in
    the background), or the deploy's render-ahead process is, wait for that PDF rather than
    render it twice at once; if that render failed or timed out, one of the waiters takes
    over."""
    if version_label is None and rendering_on_start():
        kept = _wait_for_start_render(key)
        if kept is not None:
            return kept[2]
    while True:
        with _lock:
            running = _rendering.get(key)
            if running is None:
                _rendering[key] = threading.Event()
                break
        running.wait(RENDER_WAIT_SECONDS)
        kept = _read(key)  # seconds old: fresh, whatever supports came in meanwhile
        if kept is not None:
            return kept[2]
    try:
        started = _now()
        pdf = render(document, version_label)
        _write(key, (started, counts_key(document), pdf))
        return pdf
    finally:
        with _lock:
            _rendering.pop(key).set()


def to_pdf(document: dict, version_label: str | None = None) -> bytes:
    """The PDF of `document`: kept, refreshed in the background, or rendered now."""
    key = content_key(document, version_label)
    kept = _read(key)
    if kept is None:
        return _render_and_keep(document, version_label, key)
    rendered_at, counts, pdf = kept
    fresh = _now() - rendered_at < current_app.config.get("PDF_MAX_AGE_SECONDS", 600)
    if counts != counts_key(document) and not fresh:
        locale = str(get_locale())
        refreshing = _in_background(
            key, lambda: _render_and_keep(document, version_label, key), locale)
        if not refreshing:
            return _render_and_keep(document, version_label, key)
    return pdf


# --- Rendering in the background ------------------------------------------------------------

def _in_background(key: str, job, locale: str) -> bool:
    """Run job() in a thread (with a request context in `locale`), one per key at a time;
    asked again while it runs, the thread runs the job once more when it ends (a plan edited
    twice in a row is rendered as it stands after the second edit). False when
    PDF_RENDER_AHEAD is off (the tests) or no thread can start: the caller renders now."""
    app = current_app._get_current_object()
    if not app.config.get("PDF_RENDER_AHEAD", True):
        return False
    with _lock:
        if key in _refreshing:
            _again.add(key)
            return True
        _refreshing.add(key)
    try:
        threading.Thread(target=_run, args=(app, key, job, locale), name="cocrea-pdf",
                         daemon=True).start()
    except RuntimeError:  # no thread to be had (interpreter shutting down, limits)
        with _lock:
            _refreshing.discard(key)
        return False
    return True


def rendering_ahead() -> bool:
    """Whether this process is rendering in the background now (a server warming up, or a
    test, waits until it is not)."""
    with _lock:
        return bool(_refreshing)


def _run(app: Flask, key: str, job, locale: str) -> None:
    from app.extensions import db

    try:
        while True:
            try:
                # On BASE_URL: production refuses any other host (TRUSTED_HOSTS).
                with app.test_request_context("/plan/export.pdf",
                                              base_url=app.config.get("BASE_URL")), \
                        force_locale(locale):
                    try:
                        job()
                    finally:
                        db.session.remove()
            except Exception:  # noqa: BLE001 - the thread must log, never die silently
                app.logger.exception("pdf: background rendering failed")
            with _lock:
                if key not in _again:
                    break
                _again.discard(key)
    finally:
        with _lock:
            _refreshing.discard(key)
            _again.discard(key)


def render_current_draft() -> None:
    """Render the current draft unless it is kept already, counts included."""
    from app.consultation.queries import with_annex
    from app.plan import services
    from app.plan.serializers import plan_document

    try:
        plan = services.current_plan()
    except NotFound:  # no plan yet (a theme edited before `flask seed` made one)
        return
    document = with_annex(plan_document(plan), plan.id)  # as /plan/export.pdf serves it
    key = content_key(document, None)
    kept = _read(key)
    if kept is None or kept[1] != counts_key(document):
        _render_and_keep(document, None, key)


START_LOCK = ".render-on-start.lock"


def render_ahead_on_start(app: Flask, spawn=None) -> bool:
    """As a worker starts, render the current draft's PDF ahead in a process of its own
    (`python -m app.plan.render_ahead`), so the first download after a deploy (which changes
    every content key) finds it kept on disk, and no worker keeps the layout's memory.

    One process of the deploy does it: the worker that takes the lock file in PDF_CACHE_DIR
    hands the lock to the render process, which holds it until it exits; the other workers,
    and workers started later while it runs, leave it to that one. `spawn(argv, lock_fd)`
    starts the process (default: subprocess.Popen, reaped by a thread). Returns True when
    this worker started the render; False when rendering ahead is off, there is no disk
    cache, or another process holds the lock.
    """
    import fcntl
    import subprocess
    import sys

    folder = app.config.get("PDF_CACHE_DIR")
    if not app.config.get("PDF_RENDER_AHEAD", True) or not folder:
        return False
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        handle = os.open(Path(folder) / START_LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return False

    def popen(argv: list[str], lock_fd: int) -> None:
        # Its own output: a caller reading the server's pipes until they close never waits
        # for this render.
        process = subprocess.Popen(argv, pass_fds=(lock_fd,), cwd=Path(app.root_path).parent,  # noqa: S603
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        threading.Thread(target=process.wait, name="cocrea-pdf-reaper", daemon=True).start()

    try:
        (spawn or popen)([sys.executable, "-m", "app.plan.render_ahead"], handle)
    except OSError as error:
        app.logger.warning("pdf: could not start rendering the plan ahead (%s)", error)
        return False
    finally:
        os.close(handle)  # the render process holds the lock now (or nobody does)
    return True


PLAN_MODELS = ("ActionPlan", "Theme", "Commitment", "Milestone", "PlanVersion")
_CHANGED = "cocrea_plan_changed"


@event.listens_for(Session, "after_flush")
def _note_plan_change(session: Session, _flush_context) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        if type(instance).__name__ in PLAN_MODELS:
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "after_commit")
def _render_ahead_after_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.pop(_CHANGED, False):
        return
    if not has_app_context():  # a script outside the application: nothing to render for
        return
    _in_background("draft", render_current_draft,
                   current_app.config.get("BABEL_DEFAULT_LOCALE", "es"))


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_CHANGED, None)
