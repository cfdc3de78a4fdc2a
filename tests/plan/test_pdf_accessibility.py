"""The plan PDF is tagged for accessibility (PDF/UA-1) with its title and language, as
`pdfinfo` (poppler-utils) and the document catalogue report it."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.plan.test_plan import _filled, moderator, themes  # noqa: F401 - fixtures


@pytest.fixture
def plan_pdf(client, themes, moderator):  # noqa: F811 - the imported fixtures
    _filled(themes, moderator)
    response = client.get("/plan/export.pdf")
    assert response.status_code == 200
    return response.data


def test_plan_pdf_is_tagged_with_title_and_language(plan_pdf):
    catalog = PdfReader(io.BytesIO(plan_pdf)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "es"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = PdfReader(io.BytesIO(plan_pdf)).metadata
    assert metadata.title.startswith("Cuarto Plan de Acción")


@pytest.mark.skipif(shutil.which("pdfinfo") is None,
                    reason="pdfinfo is not installed (apt-get install poppler-utils)")
def test_pdfinfo_reports_the_plan_pdf_tagged(plan_pdf, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(plan_pdf)
    result = subprocess.run(["pdfinfo", str(path)],  # noqa: S603, S607 - fixed arguments
                            capture_output=True, text=True, timeout=60, check=True)
    info = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    info = {key.strip(): value.strip() for key, value in info.items()}
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith("Cuarto Plan de Acción")
    assert info["PDF version"] == "1.7"
