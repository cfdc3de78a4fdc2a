"""One transaction per request: a failure after the first of two writes stores nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from app.models import User
from tests.conftest import PASSWORD
from tests.security.conftest import ConfirmationConfig, build_client


def _count(db, email):
    return db.session.scalar(select(func.count(User.id)).where(User.email == email))


def test_a_failure_after_the_first_write_rolls_the_request_back(db):
    from flask import Blueprint

    from app.auth.services import register_user
    from app.extensions import db as _db

    client = build_client(ConfirmationConfig)
    app = client.application
    bp = Blueprint("two_writes", __name__)

    @bp.route("/test-two-writes", methods=["POST"])
    def two_writes():
        register_user(email="primera@ejemplo.org", display_name="Primera", password=PASSWORD,
                      sector="academia")
        _db.session.flush()
        raise RuntimeError("injected failure before the second write")

    app.register_blueprint(bp)
    response = client.post("/test-two-writes")
    assert response.status_code == 500
    assert "Algo salió mal" in response.get_data(as_text=True)
    assert _count(db, "primera@ejemplo.org") == 0


def test_sign_up_that_fails_while_mailing_leaves_no_account(db, monkeypatch):
    from app import mail

    def _broken(message):
        raise RuntimeError("injected: mail queue down")

    monkeypatch.setattr(mail, "send", _broken)
    client = build_client(ConfirmationConfig)
    response = client.post("/auth/register", data={
        "email": "medias@ejemplo.org", "display_name": "Medias", "password": PASSWORD,
        "password_confirm": PASSWORD, "sector": "academia", "accept_terms": "y"})
    assert response.status_code == 500
    assert _count(db, "medias@ejemplo.org") == 0
