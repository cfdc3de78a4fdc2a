"""Files are recognised by their content, never by their name."""
from __future__ import annotations

import io

import pytest

from app.repository.content import detect
from tests.repository import samples


@pytest.mark.parametrize(("data", "extension", "content_type"), [
    (samples.PDF, "pdf", "application/pdf"),
    (samples.PNG, "png", "image/png"),
    (samples.JPEG, "jpg", "image/jpeg"),
    (samples.CSV, "csv", "text/csv"),
    (samples.docx(), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (samples.xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (samples.odf("text"), "odt", "application/vnd.oasis.opendocument.text"),
    (samples.odf("spreadsheet"), "ods", "application/vnd.oasis.opendocument.spreadsheet"),
])
def test_accepted_formats_are_recognised_by_content(data, extension, content_type):
    kind = detect(io.BytesIO(data))
    assert (kind.extension, kind.content_type) == (extension, content_type)


@pytest.mark.parametrize("data", [
    samples.EXE,
    samples.HTML,
    b"  <svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"una sola columna\nsin separadores\n",
    "nombre,organización\n".encode("latin-1") + b"\xe9\xff\xfe,x\n",
    b"a,b\n\x00\x01,c\n",
    samples._zip({"cualquier.txt": b"hola"}),
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
])
def test_other_content_is_refused(data):
    assert detect(io.BytesIO(data)) is None


def test_detection_leaves_the_stream_at_its_start():
    stream = io.BytesIO(samples.CSV)
    detect(stream)
    assert stream.read() == samples.CSV
