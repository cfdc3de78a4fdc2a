"""/readyz: 200 when the database (and Redis when configured) answer, 503 naming what failed."""
from __future__ import annotations

from tests.production.conftest import closed_port, make_app, needs_redis


def test_readyz_answers_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["checks"] == {"database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_naming_the_database_when_its_port_is_closed():
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/cocrea"
    app = make_app(SQLALCHEMY_DATABASE_URI=url,
                   SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["database"]
    assert response.json["checks"]["database"].startswith("unavailable")
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no connection details leak


def test_readyz_is_503_naming_redis_when_redis_is_configured_and_down(app):
    broken = make_app(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["redis"]
    assert response.json["checks"]["database"] == "ok"


@needs_redis
def test_readyz_checks_redis_when_configured_and_answering(app):
    ready = make_app(REDIS_URL="redis://127.0.0.1:6379/13")
    response = ready.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}
