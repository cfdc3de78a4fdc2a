"""Mail: sent once the data is committed, retried on failure, queued through RQ with Redis."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app import mail, mail_queue
from app.extensions import db as _db
from app.models import User
from tests.factories import UserFactory
from tests.production.conftest import make_app, needs_redis


class FakeSender:
    """Stands in for app.mail.send: fails `failures` times, then accepts."""

    def __init__(self, failures: int = 0, log: list | None = None):
        self.failures = failures
        self.sent: list = []
        self.calls = 0
        self.log = log if log is not None else []

    def __call__(self, message) -> bool:
        self.calls += 1
        if self.calls <= self.failures:
            return False
        self.sent.append(message)
        self.log.append("sent")
        return True


def _message(to="persona@ejemplo.org"):
    return mail.Message(to=to, subject="Asunto", body="Cuerpo",
                        attachments=[mail.Attachment("a.txt", b"\x00\x01", "text/plain")])


@pytest.fixture
def mail_app(app, db, tmp_path):
    """An app with routes that save a row and queue a mail (before or after the commit)."""
    instance = make_app(MAIL_SYNC_BACKOFF_SECONDS=0, MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))
    instance.events = []

    def _save_user():
        user = UserFactory.build(email=f"{uuid.uuid4().hex[:8]}@ejemplo.org")
        _db.session.add(user)
        return user

    @instance.route("/_test/mail/<int:status>", methods=["POST"])
    def _send(status):
        user = _save_user()
        _db.session.flush()
        mail.queue(_message(user.email))
        instance.events.append("queued")
        if status >= 500:
            raise RuntimeError("the view failed before its commit")
        _db.session.commit()
        instance.events.append("committed")
        return str(user.id), status

    @instance.route("/_test/mail-after-commit", methods=["POST"])
    def _send_after_commit():
        user = _save_user()
        _db.session.commit()
        mail.queue(_message(user.email))  # outside any transaction: held until the response
        instance.events.append("view returned")
        return str(user.id)

    return instance


def test_mail_is_sent_after_the_view_has_committed(mail_app, monkeypatch):
    sender = FakeSender(log=mail_app.events)
    monkeypatch.setattr(mail, "send", sender)
    response = mail_app.test_client().post("/_test/mail/200")
    assert response.status_code == 200
    assert mail_app.events == ["queued", "sent", "committed"]  # sent by the commit itself


def test_mail_queued_after_the_commit_is_sent_after_the_view_returned(mail_app, monkeypatch):
    sender = FakeSender(log=mail_app.events)
    monkeypatch.setattr(mail, "send", sender)
    response = mail_app.test_client().post("/_test/mail-after-commit")
    assert response.status_code == 200
    assert mail_app.events == ["view returned", "sent"]


def test_a_failed_send_is_retried(mail_app, monkeypatch):
    sender = FakeSender(failures=2)
    monkeypatch.setattr(mail, "send", sender)
    assert mail_app.test_client().post("/_test/mail/200").status_code == 200
    assert sender.calls == 3 and len(sender.sent) == 1


def test_a_mail_server_down_never_loses_the_request_data_nor_the_message(mail_app, monkeypatch):
    monkeypatch.setattr(mail, "send", FakeSender(failures=99))
    response = mail_app.test_client().post("/_test/mail/200")
    assert response.status_code == 200
    user_id = int(response.get_data(as_text=True))
    assert _db.session.scalar(select(User).where(User.id == user_id)) is not None

    working = FakeSender()
    monkeypatch.setattr(mail, "send", working)
    with mail_app.app_context():
        assert mail_queue.retry_outbox() == (1, 0)
        assert mail_queue.retry_outbox() == (0, 0)
    assert working.sent[0].attachments[0].content == b"\x00\x01"


def test_a_request_that_failed_sends_no_mail(mail_app, monkeypatch):
    sender = FakeSender()
    monkeypatch.setattr(mail, "send", sender)
    mail_app.config["PROPAGATE_EXCEPTIONS"] = False
    assert mail_app.test_client().post("/_test/mail/500").status_code == 500
    assert sender.calls == 0


def test_outside_a_request_mail_is_sent_at_once(mail_app, monkeypatch):
    sender = FakeSender()
    monkeypatch.setattr(mail, "send", sender)
    with mail_app.app_context():
        _db.session.commit()  # no transaction in progress, as in a CLI command between commits
        mail.queue(_message())
        assert len(sender.sent) == 1


def test_outside_a_request_mail_waits_for_the_commit(mail_app, monkeypatch):
    sender = FakeSender()
    monkeypatch.setattr(mail, "send", sender)
    with mail_app.app_context():
        user = UserFactory.build(email=f"{uuid.uuid4().hex[:8]}@ejemplo.org")
        _db.session.add(user)
        _db.session.flush()
        mail.queue(_message())
        assert sender.calls == 0
        _db.session.commit()
        assert len(sender.sent) == 1


@needs_redis
def test_with_redis_mail_is_queued_and_the_worker_retries_a_failed_send(app, db, monkeypatch):
    from rq import SimpleWorker

    name = f"cocrea-mail-test-{uuid.uuid4().hex[:8]}"
    instance = make_app(REDIS_URL="redis://127.0.0.1:6379/13", MAIL_QUEUE_NAME=name,
                        MAIL_RETRY_INTERVALS=[0, 0])
    sender = FakeSender(failures=1)
    monkeypatch.setattr(mail, "send", sender)

    @instance.route("/_test/queue", methods=["POST"])
    def _queue():
        mail.queue(_message())
        return "ok"

    with instance.app_context():
        queue = mail_queue.mail_queue()
        try:
            assert instance.test_client().post("/_test/queue").status_code == 200
            assert sender.calls == 0 and queue.count == 1  # queued, not sent by the web process
            worker = SimpleWorker([queue], connection=queue.connection)
            worker.work(burst=True)
            assert sender.calls == 2 and len(sender.sent) == 1  # failed once, retried, sent
            assert queue.count == 0 and queue.failed_job_registry.count == 0
        finally:
            queue.delete(delete_jobs=True)
            for key in queue.connection.scan_iter(f"rq:*{name}*"):
                queue.connection.delete(key)


def test_with_redis_down_mail_is_sent_synchronously(app, db, monkeypatch):
    from tests.production.conftest import closed_port

    instance = make_app(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    sender = FakeSender()
    monkeypatch.setattr(mail, "send", sender)
    with instance.app_context():
        _db.session.commit()
        mail.queue(_message())
    assert len(sender.sent) == 1
