"""The container deployment: compose.yaml validates with `docker compose config` where Docker
is installed, and its topology (nginx in front of two or more app containers, PostgreSQL,
Redis, the mail worker, a one-shot migration, secrets from the environment) is checked
without Docker. The same topology without containers runs in test_two_instances.py."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
SECRETS = {"SECRET_KEY": "0" * 64, "POSTGRES_PASSWORD": "not-a-real-password",
           "BASE_URL": "https://cocrea.example.gob.gt"}


def _compose() -> list[str]:
    """`docker compose` (the plugin), else the standalone `docker-compose`; skips, saying why,
    where neither runs."""
    if shutil.which("docker"):
        version = subprocess.run(["docker", "compose", "version"],  # noqa: S607
                                 capture_output=True, text=True, timeout=30, check=False)
        if version.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("Docker Compose is not installed here (neither `docker compose version` nor "
                "`docker-compose` runs); the topology tests below still check compose.yaml")


def _compose_config(environment: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in SECRETS}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [*_compose(), "-f", str(COMPOSE), "config", "--quiet"],
        cwd=ROOT, env={**env, **environment}, capture_output=True, text=True, timeout=60,
        check=False)


def test_docker_compose_config_accepts_the_file():
    result = _compose_config(SECRETS)
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_without_the_secrets():
    result = _compose_config({k: v for k, v in SECRETS.items() if k != "SECRET_KEY"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_topology_is_nginx_before_two_or_more_app_containers(services):
    assert set(services) == {"nginx", "app", "worker", "migrate", "db", "redis"}
    assert services["app"]["deploy"]["replicas"] >= 2
    assert "container_name" not in services["app"]  # `--scale app=N` needs unnamed containers
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}  # the app, database and Redis are reachable only inside
    assert services["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    proxy = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    assert "proxy_pass $app" in proxy and "http://app:8000" in proxy


def test_migration_runs_once_before_the_app_and_the_worker(services):
    assert services["migrate"]["restart"] == "no"
    assert "flask db upgrade" in " ".join(services["migrate"]["command"])
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
    assert services["worker"]["command"] == ["python", "-m", "app.mail_queue"]


def test_secrets_come_from_the_environment(services):
    environment = services["app"]["environment"]
    for name in ("SECRET_KEY", "BASE_URL"):
        assert environment[name].startswith(f"${{{name}:?"), name  # required, no default
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert environment["RATELIMIT_STORAGE_URI"].startswith("redis://redis")
    assert environment["REDIS_URL"].startswith("redis://redis")


def test_image_is_slim_non_root_and_has_pango():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "libpango-1.0-0" in dockerfile and "libpangoft2-1.0-0" in dockerfile
    assert "--require-hashes -r requirements.lock" in dockerfile
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and all(user not in ("root", "0") for user in users)
