"""Packaging: one pyproject.toml, locks compiled from it with hashes, .flaskenv, and an
.env.example that names every setting the code reads."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCKS = {"runtime": ROOT / "requirements.lock", "dev": ROOT / "requirements-dev.lock"}
# Settings the code reads from the environment (WSGI environ keys are not settings).
SETTING = re.compile(r"""(?:_flag|_int_env|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
NOT_SETTINGS = {"PATH_INFO", "REMOTE_ADDR", "REQUEST_METHOD"}


def _declared(group: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    names = project["dependencies"] if group == "runtime" else \
        project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in names]


def _locked(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_dependency_is_pinned_once():
    requirements = _declared("dev")
    names = [canonicalize_name(r.name) for r in requirements]
    assert len(names) == len(set(names)), "a package is declared twice"
    loose = [str(r) for r in requirements if not str(r.specifier).startswith("==")]
    assert not loose, f"pin with ==: {loose}"


@pytest.mark.parametrize("group", list(LOCKS))
def test_lock_is_compiled_from_pyproject_with_hashes(group):
    """Fails when pyproject.toml changed and `make lock` was not run."""
    text = LOCKS[group].read_text()
    locked = _locked(LOCKS[group])
    for requirement in _declared(group):
        version = str(requirement.specifier).removeprefix("==")
        assert locked.get(canonicalize_name(requirement.name)) == version, \
            f"{requirement} is not in {LOCKS[group].name}: run `make lock`"
    pins = re.findall(r"^[A-Za-z0-9_.\-]+==", text, flags=re.M)
    assert len(re.findall(r"^[A-Za-z0-9_.\-]+==\S+ \\\n\s+--hash=sha256:", text, flags=re.M)) \
        == len(pins), "every locked package carries its hashes"


def test_runtime_lock_holds_no_test_tool():
    runtime = _locked(LOCKS["runtime"])
    for tool in ("pytest", "ruff", "playwright", "schemathesis", "mypy"):
        assert tool not in runtime


def test_flaskenv_names_the_app():
    assert "FLASK_APP=wsgi" in (ROOT / ".flaskenv").read_text().splitlines()


def test_env_example_names_every_setting_the_code_reads():
    read = set()
    for path in [ROOT / "config.py", ROOT / "gunicorn.conf.py", *(ROOT / "app").rglob("*.py")]:
        read |= set(SETTING.findall(path.read_text()))
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    missing = sorted(read - NOT_SETTINGS - named)
    assert not missing, f".env.example lacks {missing}"
