"""The public response report (/plan/consultation and .csv): every readable consultation
comment with its commitment, disposition and response; filters; counts; the PDF annex."""
from __future__ import annotations

import csv
import io

from app.consultation import queries
from app.plan.serializers import plan_document
from tests.consultation.conftest import add_comment

RESPONSE = "Fuera del alcance del plan: corresponde a la ley de compras."


def _sample(consultation_plan):
    s = consultation_plan
    add_comment(s.first, s.participant, body="Publiquen los contratos",
                disposition="incorporated", disposition_response="Se publicarán cada mes, hito 2.")
    add_comment(s.first, s.participant, body="Reformen la ley", disposition="out_of_scope",
                disposition_response=RESPONSE)
    add_comment(s.second, s.participant, body="=HYPERLINK(\"http://x\")")
    add_comment(s.second, s.participant, body="Comentario oculto", hidden=True)
    return s


def test_report_lists_every_readable_comment_with_counts(client, consultation_plan):
    _sample(consultation_plan)
    response = client.get("/plan/consultation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Publiquen los contratos" in page and "Reformen la ley" in page
    assert RESPONSE in page
    assert "Comentario oculto" not in page
    counts = queries.counts_by_disposition(consultation_plan.plan.id)
    assert counts == {"incorporated": 1, "partially_incorporated": 0, "not_incorporated": 0,
                      "out_of_scope": 1, "pending": 1, "total": 3}


def test_report_filters_by_commitment_and_disposition(client, consultation_plan):
    s = _sample(consultation_plan)
    page = client.get(f"/plan/consultation?commitment={s.first.id}").get_data(as_text=True)
    assert "Publiquen los contratos" in page and "HYPERLINK" not in page
    page = client.get("/plan/consultation?disposition=out_of_scope").get_data(as_text=True)
    assert "Reformen la ley" in page and "Publiquen los contratos" not in page
    page = client.get("/plan/consultation?disposition=pending").get_data(as_text=True)
    assert "HYPERLINK" in page and "Reformen la ley" not in page


def test_report_refuses_unknown_filters_with_400(client, consultation_plan):
    assert client.get("/plan/consultation?disposition=maybe").status_code == 400
    assert client.get("/plan/consultation?commitment=abc").status_code == 400
    assert client.get("/plan/consultation.csv?page=0").status_code == 400


def test_csv_has_a_bom_neutralised_formulas_and_the_filters(client, consultation_plan):
    s = _sample(consultation_plan)
    response = client.get("/plan/consultation.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == queries.REPORT_COLUMNS
    assert len(rows) == 4  # header and the three readable comments
    by_body = {row[6]: row for row in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in by_body
    assert by_body["Reformen la ley"][7:9] == ["out_of_scope", RESPONSE]
    assert by_body["'=HYPERLINK(\"http://x\")"][7] == "pending"
    filtered = client.get(f"/plan/consultation.csv?commitment={s.second.id}")
    assert len(list(csv.reader(io.StringIO(filtered.get_data(as_text=True)[1:])))) == 2


def test_pdf_annex_holds_the_report(app, client, consultation_plan):
    _sample(consultation_plan)
    from flask import render_template

    document = plan_document(consultation_plan.plan)
    document["consultation"] = queries.annex(consultation_plan.plan.id)
    assert [row["body"] for row in document["consultation"]] == [
        "Publiquen los contratos", "Reformen la ley", "=HYPERLINK(\"http://x\")"]
    with app.test_request_context():
        html = render_template("plan/print.html", document=document, version_label=None)
    assert "Anexo: respuestas a la consulta pública" in html
    assert RESPONSE in html and "Comentario oculto" not in html
    assert f"/plan/commitments/{consultation_plan.first.id}" in html  # linked from the PDF


def test_plan_pdf_download_carries_the_annex(client, consultation_plan, monkeypatch):
    _sample(consultation_plan)
    seen = []
    monkeypatch.setattr("app.plan.pdf.to_pdf",
                        lambda document, label=None: seen.append(document) or b"%PDF-")
    assert client.get("/plan/export.pdf").status_code == 200
    [document] = seen
    assert [row["disposition"] for row in document["consultation"]] == [
        "incorporated", "out_of_scope", None]
    # The JSON export (the open-data plan document) stays as it was.
    assert "consultation" not in client.get("/plan/export.json").get_json()


def test_the_admin_dashboard_counts_consultation_comments_awaiting_a_response(
        client, auth, db, consultation_plan):
    from app.plans.services import make_current
    from tests.consultation.conftest import add_comment

    make_current(consultation_plan.plan)
    add_comment(consultation_plan.first, consultation_plan.participant)
    add_comment(consultation_plan.first, consultation_plan.participant,
                disposition="incorporated",
                disposition_response="Se incorporó en el hito 2 del compromiso.")
    auth.login_as(consultation_plan.moderator)
    page = client.get("/admin").get_data(as_text=True)
    assert "1 comentario de la consulta espera una respuesta" in page
