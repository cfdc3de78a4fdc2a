"""Every email leaves as text and HTML made from its one template: the HTML part says the
same, in the recipient's language, with a title and real links, under 30 KB."""
from __future__ import annotations

import re

from app import mail
from tests.factories import ProposalFactory, UserFactory


def _comment(client, proposal, body):
    return client.post(f"/proposals/{proposal.id}/comments", data={"body": body})


def _parts(message):
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def _visible_text(html: str) -> str:
    body = re.sub(r"(?s).*<body[^>]*>|</body>.*", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&#34;", '"').split())


def test_a_notice_arrives_as_text_and_html_that_agree(client, auth, inbox):
    proposal = ProposalFactory(title="Portal de compras abiertas")
    auth.login_as(UserFactory(display_name="Jorge Xicará"))
    _comment(client, proposal, "Me parece muy útil.")
    [message] = inbox.to(proposal.author.email)
    text, html = _parts(message)
    assert '<html lang="es">' in html
    assert f"<title>{message['Subject']}</title>" in html
    links = re.findall(r'<a href="([^"]+)"', html)
    assert [url for url in re.findall(r"https?://\S+", text)] == links
    for words in ("Jorge Xicará comentó su propuesta", "Me parece muy útil."):
        assert words in text and words in _visible_text(html)
    assert len(html.encode()) < mail.HTML_MAX_BYTES


def test_password_reset_mail_has_an_html_part_too(client, inbox, db):
    user = UserFactory(email="ana@ejemplo.org")
    client.post("/auth/reset", data={"email": user.email})
    [message] = inbox.to(user.email)
    text, html = _parts(message)
    assert re.search(r'<a href="http://localhost/auth/reset/[^"]+"', html)


def test_html_part_is_in_the_recipients_language(app):
    with app.test_request_context():
        message = mail.Message(to="a@b.c", subject="New comment", body="Hello,\n\nBye", lang="en")
        html = mail.html_version(message)
    assert '<html lang="en">' in html and "<p" in html


def test_html_escapes_the_text_and_footer_follows_the_signature(app):
    body = "Hola <b>&</b> \"amigos\"\n\nhttps://cocrea.example/x?a=1&b=2\n\n--\nPie del correo"
    with app.test_request_context():
        html = mail.html_version(mail.Message(to="a@b.c", subject="S", body=body))
    assert "<b>" not in html and "&lt;b&gt;&amp;&lt;/b&gt;" in html
    assert '<a href="https://cocrea.example/x?a=1&amp;b=2"' in html
    assert re.search(r"<hr>\s*<p><small>Pie del correo</small></p>", html)


def test_a_very_long_message_keeps_the_html_part_under_30_kb(app):
    body = "Hola:\n\n" + "\n\n".join("palabra " * 800 for _ in range(10)) + "\n\nhttps://x.y/z"
    with app.test_request_context():
        message = mail.Message(to="a@b.c", subject="Largo", body=body)
        html = mail.html_version(message)
        built = mail.build(message)
    assert len(html.encode()) < mail.HTML_MAX_BYTES
    assert "Mensaje abreviado" in html and '<a href="https://x.y/z"' in html
    assert built.get_body(("plain",)).get_content().strip() == body.strip()  # text keeps all
