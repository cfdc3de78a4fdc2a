"""The terms, the privacy notice, and an account page that links to everything."""
from __future__ import annotations

import re

import pytest

from tests.factories import UserFactory


@pytest.mark.parametrize("path, title_es, title_en", [
    ("/terms", "Condiciones de uso", "Terms of use"),
    ("/privacy", "Aviso de privacidad", "Privacy notice"),
])
def test_terms_and_privacy_read_in_spanish_and_english(client, db, path, title_es, title_en):
    spanish = client.get(path)
    assert spanish.status_code == 200
    assert f"<h1>{title_es}</h1>" in spanish.get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    english = client.get(path).get_data(as_text=True)
    assert f"<h1>{title_en}</h1>" in english and '<html lang="en">' in english


def test_privacy_notice_says_what_is_public_and_that_the_email_never_is(client, app, db):
    page = client.get("/privacy").get_data(as_text=True)
    assert "nombre para mostrar, su sector y su organización" in page
    assert "Su correo electrónico nunca se publica" in page
    for route in ("/account/export.json", "/account/sessions", "/account#eliminar"):
        assert f'href="{route}"' in page  # download, sessions, deletion
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in page  # contact
    idle = int(app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600)
    assert f"tras {idle} horas sin uso" in page  # how long, from the settings


def test_footer_links_to_terms_and_privacy_on_every_page(client, db):
    footer = re.search(r"<footer.*</footer>", client.get("/").get_data(as_text=True), re.S)
    assert 'href="/terms"' in footer.group(0) and 'href="/privacy"' in footer.group(0)


def test_sign_up_checkbox_label_links_to_terms_and_privacy(client, db):
    page = client.get("/auth/register").get_data(as_text=True)
    label = re.search(r'<label for="accept_terms">(.*?)</label>', page, re.S).group(1)
    assert '<a href="/terms">' in label and '<a href="/privacy">' in label


def test_account_page_links_to_everything_one_may_do(client, auth, db):
    auth.login_as(UserFactory())
    page = client.get("/account").get_data(as_text=True)
    nav = re.search(r'<nav class="account-links".*?</nav>', page, re.S).group(0)
    for target in ('href="/account/export.json"', 'href="/account/sessions"',
                   'href="/account/password"', 'href="#avisos"', 'href="#eliminar"'):
        assert target in nav
    assert 'id="avisos"' in page and 'id="eliminar"' in page


def test_legal_pages_read_only_the_current_plan_of_the_header(client, db):
    from tests.bench.test_query_counts import queries_for

    assert queries_for(client, "/terms") == 1  # the header's "Plan actual", nothing else
    assert queries_for(client, "/privacy") == 1
