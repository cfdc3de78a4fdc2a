"""`make translations` fails on a broken catalogue instead of hiding the error."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "app" / "translations"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_translations(folder: Path) -> subprocess.CompletedProcess:
    # -o: the virtualenv counts as installed (a test must not reinstall packages).
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-s", "-o", ".venv/.installed", "translations", f"TRANSLATIONS={folder}"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def catalogues(tmp_path):
    shutil.copytree(CATALOGUES, tmp_path / "translations",
                    ignore=shutil.ignore_patterns("*.mo"))
    return tmp_path / "translations"


def test_make_translations_compiles_the_catalogues(catalogues):
    result = make_translations(catalogues)
    assert result.returncode == 0, result.stderr
    assert (catalogues / "en" / "LC_MESSAGES" / "messages.mo").stat().st_size > 0


@pytest.mark.parametrize("broken", [
    '\n#, python-format\nmsgid "Hola %(n)d"\nmsgstr "Hello %(m)s"\n',  # a wrong placeholder
    '\nesto no es una entrada\nmsgid "Hola"\nmsgstr "Hello"\n',  # not .po syntax
])
def test_make_translations_fails_on_a_broken_catalogue(catalogues, broken):
    with open(catalogues / "en" / "LC_MESSAGES" / "messages.po", "a", encoding="utf-8") as po:
        po.write(broken)
    result = make_translations(catalogues)
    assert result.returncode != 0
    assert "error" in (result.stderr + result.stdout).lower()
