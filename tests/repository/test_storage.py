"""Both stores keep a file under its key and hand back the same bytes."""
from __future__ import annotations

import io

import boto3
import pytest
from moto import mock_aws

from app.repository.storage import LocalStorage, S3Storage, StorageError, build_storage
from tests.repository import samples

KEY = "Zr2c9Qn1v8Lw0XkT5aPq"


@pytest.fixture
def s3_client(monkeypatch):
    """An in-process S3 (moto) with an empty bucket; no request leaves the machine."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="cocrea-repositorio")
        yield client


def test_local_storage_keeps_the_bytes_under_the_key(tmp_path):
    storage = LocalStorage(tmp_path / "repositorio")
    storage.save(KEY, io.BytesIO(samples.PDF))
    with storage.open(KEY) as stream:
        assert stream.read() == samples.PDF
    assert [path.name for path in (tmp_path / "repositorio").iterdir()] == [KEY]
    storage.delete(KEY)
    with pytest.raises(StorageError):
        storage.open(KEY)


@pytest.mark.parametrize("key", ["../secreto-de-otro-lugar", "a/b/c/d/e/f/g/h/i/j", "corta"])
def test_local_storage_refuses_keys_that_are_not_its_own(tmp_path, key):
    with pytest.raises(StorageError):
        LocalStorage(tmp_path).save(key, io.BytesIO(b"x"))


def test_s3_storage_keeps_the_bytes_under_the_prefixed_key(s3_client):
    storage = S3Storage("cocrea-repositorio", prefix="documentos", client=s3_client)
    storage.save(KEY, io.BytesIO(samples.PDF))
    listed = s3_client.list_objects_v2(Bucket="cocrea-repositorio")["Contents"]
    assert [item["Key"] for item in listed] == [f"documentos/{KEY}"]
    assert storage.open(KEY).read() == samples.PDF
    storage.delete(KEY)
    with pytest.raises(StorageError):
        storage.open(KEY)


def test_s3_storage_reports_a_missing_bucket_as_a_storage_error(s3_client):
    with pytest.raises(StorageError):
        S3Storage("no-existe", client=s3_client).save(KEY, io.BytesIO(b"x"))


def test_settings_choose_the_store(app, tmp_path, s3_client, monkeypatch):
    monkeypatch.setitem(app.config, "REPOSITORY_STORAGE", "s3")
    monkeypatch.setitem(app.config, "REPOSITORY_S3_BUCKET", "cocrea-repositorio")
    assert isinstance(build_storage(app), S3Storage)
    monkeypatch.setitem(app.config, "REPOSITORY_STORAGE", "local")
    monkeypatch.setitem(app.config, "REPOSITORY_DIR", str(tmp_path))
    assert build_storage(app).root == tmp_path
    monkeypatch.setitem(app.config, "REPOSITORY_STORAGE", "ftp")
    with pytest.raises(RuntimeError):
        build_storage(app)


def test_uploads_and_downloads_go_through_the_s3_store(app, client, db, moderator, upload,
                                                       s3_client, monkeypatch):
    from sqlalchemy import select

    from app.models import Document
    from tests.factories import PlanFactory

    monkeypatch.setitem(app.extensions, "repository_storage",
                        S3Storage("cocrea-repositorio", client=s3_client))
    plan = PlanFactory()
    assert upload(samples.PNG, "foto.png", type="evidence",
                  plan_id=str(plan.id)).status_code == 303
    document = db.session.scalar(select(Document))
    stored = s3_client.get_object(Bucket="cocrea-repositorio", Key=document.stored_name)
    assert stored["Body"].read() == samples.PNG
    response = client.get(f"/repository/{document.id}/{document.original_filename}")
    assert response.status_code == 200 and response.data == samples.PNG
    assert response.headers["Content-Type"] == "image/png"
