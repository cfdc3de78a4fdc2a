"""Property-based fuzzing of every form and query parameter: never a 500, nothing half-stored.

Forms are discovered by crawling the pages (so a new form is fuzzed without editing this
file); query parameters are those of the listing contract plus random names.
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from tests.conftest import AuthActions
from tests.security.test_route_audit import GET_ROUTES

FUZZ = settings(max_examples=50, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
QUICK = settings(FUZZ, max_examples=20)
SKIP_ACTIONS = {"/auth/logout", "/account/delete"}  # would end the session being fuzzed

text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "\x00", "a\x00b", "0", "-1", "1e309", "9" * 40, "NaN", "null",
                     "[]", "{}", "true", "\ud7ff", "\u202e", "🙂" * 50, "' OR 1=1 --",
                     "<script>", "%00", "../../etc/passwd"]),
    st.text(min_size=5000, max_size=5000, alphabet="ab<>&\"'"),
    st.just("x" * 100_000),
)
value = st.one_of(text, st.lists(text, min_size=2, max_size=3))


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self._current = (attributes.get("action") or "", set())
            self.forms.append(self._current)
        elif tag in ("input", "textarea", "select", "button") and self._current:
            if attributes.get("name") and attributes["name"] != "csrf_token":
                self._current[1].add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def discover_forms(client, pages) -> dict[str, set[str]]:
    forms: dict[str, set[str]] = {}
    for page in pages:
        parser = _Forms()
        parser.feed(client.get(page).get_data(as_text=True))
        for action, names in parser.forms:
            path = urlsplit(action).path or page
            if path not in SKIP_ACTIONS:
                forms.setdefault(path, set()).update(names)
    return forms


def table_counts() -> dict[str, int]:
    counts = {}
    for table in _db.metadata.sorted_tables:
        counts[table.name] = _db.session.scalar(select(func.count()).select_from(table))
    return counts


def _pages(world) -> list[str]:
    pages = [r.url() for r in GET_ROUTES if not r.rule.arguments and
             not r.rule.rule.endswith((".json", ".csv", ".md", ".pdf"))]
    return pages + [f"/proposals/{world.proposal.id}", f"/themes/{world.theme.slug}",
                    "/auth/reset/x"]


def _fuzz_forms(client, world, signed_in):
    forms = discover_forms(client, _pages(world))
    assert forms, "no forms found"

    @FUZZ
    @given(data=st.data())
    def run(data):
        action = data.draw(st.sampled_from(sorted(forms)))
        names = sorted(forms[action]) + ["extra"]
        payload = {name: data.draw(value) for name in names
                   if data.draw(st.booleans())}
        before = table_counts()
        response = client.post(action, data=payload)
        assert response.status_code < 500, (action, payload)
        if response.status_code >= 400:
            assert table_counts() == before, ("half-stored", action)
        if signed_in and not client.get("/account").status_code == 200:
            AuthActions(client).login_as(signed_in)

    run()


def test_fuzz_every_anonymous_form(client, world):
    _fuzz_forms(client, world, None)


@pytest.mark.parametrize("role", ["author", "moderator"])
def test_fuzz_every_signed_in_form(client, world, role):
    user = world.user(role)
    AuthActions(client).login_as(user)
    _fuzz_forms(client, world, user)


QUERY_NAMES = ["sort", "status", "q", "page", "per_page", "theme", "next", "fmt", "locale",
               "parent_id", "merge_into"]


@pytest.mark.parametrize("route", [r for r in GET_ROUTES if r.rule.rule not in ("/healthz",)],
                         ids=str)
def test_fuzz_query_parameters(client, world, route):
    url = route.url()

    @QUICK
    @given(params=st.dictionaries(st.sampled_from(QUERY_NAMES) | st.text(max_size=10), value,
                                  max_size=4))
    def run(params):
        response = client.get(url, query_string=params)
        assert response.status_code < 500, params

    run()


@pytest.mark.parametrize("template", ["/proposals/{}", "/themes/{}", "/auth/reset/{}",
                                      "/auth/confirm/{}"])
def test_fuzz_path_segments(client, world, template):
    from urllib.parse import quote

    @QUICK
    @given(segment=text.filter(lambda s: len(s) < 2000))
    def run(segment):
        response = client.get(template.format(quote(segment, safe="")))
        assert response.status_code < 500, segment

    run()


def test_undecodable_bytes_and_odd_bodies_are_not_errors(client, world):
    AuthActions(client).login_as(world.author)
    bodies = [b"display_name=%ff%fe%00&sector=academia", b"\xff\xfe\x00\x01",
              b"display_name=" + b"a" * 3_000_000, b"=&&==&"]
    for body in bodies:
        for content_type in ("application/x-www-form-urlencoded", "multipart/form-data",
                             "application/json", "text/plain"):
            response = client.post("/account", data=body, content_type=content_type)
            assert response.status_code < 500, (body[:30], content_type)
