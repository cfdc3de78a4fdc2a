"""Delivery of queued mail: through Redis (RQ) when REDIS_URL is set, else here with retries.

Callers never come here directly: they call `app.mail.queue(message)`, which hands messages to
`dispatch()` once the database transaction has committed (see app/mail.py). Then:
- with REDIS_URL: each message is put on the `cocrea-mail` RQ queue; `make worker` (`python -m
  app.mail_queue`) sends it, and a failed send is retried with backoff (MAIL_RETRY_INTERVALS);
  after the last try the job stays in RQ's failed registry (`rq requeue --all -u $REDIS_URL
  --queue cocrea-mail` sends it again). When Redis cannot take it, it is sent as below.
- without REDIS_URL: it is sent with MAIL_SYNC_ATTEMPTS tries and a short backoff, on a daemon
  thread (MAIL_ASYNC, on by default outside tests) or in the calling thread; a message that still
  fails is written to `instance/mail-outbox/` and sent again by the next `make worker` (which,
  without REDIS_URL, just empties that folder and exits).
The transport (one SMTP attempt) is the function `app.mail.init_app` registered on the app
(`app.extensions[TRANSPORT]`); this module never imports `app.mail`, which imports it.
"""
from __future__ import annotations

import sys
import threading
import time
import uuid
from pathlib import Path

from flask import current_app, has_app_context

from app.mail_message import Message, from_json, to_json

TRANSPORT = "cocrea.mail_transport"  # app.extensions key: Message -> bool (accepted)
QUEUE_NAME = "cocrea-mail"
DEFAULT_RETRY_INTERVALS = (30, 120, 600, 1800, 3600)  # seconds between RQ retries
OUTBOX = "mail-outbox"

_redis_clients: dict[str, object] = {}


class MailDeliveryFailed(RuntimeError):
    """Raised in the worker so RQ retries the job."""


def _transport(message: Message) -> bool:
    """One attempt through the app's registered transport; True when the server accepted."""
    return current_app.extensions[TRANSPORT](message)


def _config(key: str, default):
    return current_app.config.get(key, default) if has_app_context() else default


def dispatch(messages: list) -> None:
    """Deliver committed messages: enqueue with REDIS_URL, else send with retries."""
    if not messages:
        return
    url = _config("REDIS_URL", None)
    if url:
        left = []
        for message in messages:
            try:
                enqueue(message, url)
            except Exception as error:  # noqa: BLE001 - Redis down: do not lose the message
                current_app.logger.warning("mail: queue unavailable (%s); sending now",
                                           type(error).__name__)
                left.append(message)
        messages = left
        if not messages:
            return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy
    if app.config.get("MAIL_ASYNC", not app.testing):
        threading.Thread(target=_deliver_in_background, args=(app, list(messages)),
                         name="cocrea-mail", daemon=True).start()
    else:
        for message in messages:
            deliver_with_retries(message)


def _deliver_in_background(app, messages: list) -> None:
    with app.app_context():
        for message in messages:
            try:
                deliver_with_retries(message)
            except Exception:  # noqa: BLE001 - the thread must log, never die silently
                app.logger.exception("mail: background sending failed")


def deliver_with_retries(message) -> bool:
    """Send with MAIL_SYNC_ATTEMPTS tries; a message that still fails goes to the outbox."""
    attempts = max(1, int(_config("MAIL_SYNC_ATTEMPTS", 3)))
    backoff = float(_config("MAIL_SYNC_BACKOFF_SECONDS", 0.5))
    for attempt in range(attempts):
        try:
            if _transport(message):
                return True
        except Exception:  # noqa: BLE001 - a sender bug must not break the request
            current_app.logger.exception("mail: sending raised")
        if attempt + 1 < attempts:
            time.sleep(backoff * (2 ** attempt))
    spool(message)
    return False


# -- the RQ queue ------------------------------------------------------------------------------

def redis_connection(url: str):
    from redis import Redis

    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5)
    return client


def mail_queue(url: str | None = None):
    from rq import Queue

    url = url or current_app.config["REDIS_URL"]
    return Queue(_config("MAIL_QUEUE_NAME", QUEUE_NAME), connection=redis_connection(url))


def enqueue(message, url: str | None = None):
    from rq import Retry

    intervals = list(_config("MAIL_RETRY_INTERVALS", DEFAULT_RETRY_INTERVALS))
    return mail_queue(url).enqueue(
        deliver_job, message,
        retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
        job_timeout=60, result_ttl=3600, failure_ttl=30 * 24 * 3600,
        description=f"mail {uuid.uuid4().hex[:8]}",  # no address, no subject in RQ's listings
    )


_job_app = None


def deliver_job(message) -> bool:
    """RQ job: send one message; raising makes RQ retry it later."""
    global _job_app
    if has_app_context():
        ok = _transport(message)
    else:
        if _job_app is None:
            from app import create_app

            _job_app = create_app()
        with _job_app.app_context():
            ok = _transport(message)
    if not ok:
        raise MailDeliveryFailed("the mail server refused or could not be reached")
    return True


# -- the outbox: messages that failed without a queue ------------------------------------------

def _outbox() -> Path:
    folder = current_app.config.get("MAIL_OUTBOX_DIR")
    return Path(folder) if folder else Path(current_app.instance_path) / OUTBOX


def spool(message) -> None:
    """Keep a message that could not be sent, so `make worker` sends it later."""
    try:
        folder = _outbox()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{time.time():.6f}-{uuid.uuid4().hex}.json"
        path.write_text(to_json(message), encoding="utf-8")
        path.chmod(0o600)
        current_app.logger.error("mail: not sent; kept in the outbox (%s)", path.name)
    except Exception:  # noqa: BLE001 - still never break the request
        current_app.logger.exception("mail: could not keep the unsent message")


def retry_outbox() -> tuple[int, int]:
    """Send the kept messages again; returns (sent, still failing)."""
    folder = _outbox()
    sent = failed = 0
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        message = from_json(path.read_text(encoding="utf-8"))
        if _transport(message):
            path.unlink()
            sent += 1
        else:
            failed += 1
    return sent, failed


def main() -> int:
    """`make worker`: the RQ mail worker (with REDIS_URL), or one pass over the outbox."""
    from app import create_app

    app = create_app()
    with app.app_context():
        sent, failed = retry_outbox()
        if sent or failed:
            print(f"mail outbox: {sent} sent, {failed} still failing", file=sys.stderr)
        url = app.config.get("REDIS_URL")
        if not url:
            print("REDIS_URL is not set: the web processes send mail themselves; "
                  "no worker is needed.", file=sys.stderr)
            return 1 if failed else 0
        from rq import Worker

        worker = Worker([mail_queue(url)], connection=redis_connection(url))
        worker.work(with_scheduler=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
