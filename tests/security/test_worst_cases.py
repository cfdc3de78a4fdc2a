"""Anonymous routes do bounded work: the worst input we could build for each, measured.

Work is counted, not timed: `work()` counts the Python and C function calls a piece of code
makes (sys.setprofile), which does not depend on the machine's load. Doubling the input of a
linear algorithm about doubles the count; a quadratic one quadruples it. README ("Worst cases
of anonymous routes") records each route's worst case.
"""
from __future__ import annotations

import sys

import pytest

from app.extensions import db as _db
from app.models import ProposalRevision
from app.proposals import history
from app.proposals.search import MAX_TERMS, terms
from app.text import render_markdown
from tests.factories import CommentFactory, ProposalFactory

LINEAR = 2.6  # the most a linear algorithm's count may grow when its input doubles


def work(function, *args, **kwargs) -> int:
    """How many function calls `function(*args, **kwargs)` makes."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        function(*args, **kwargs)
    finally:
        sys.setprofile(None)
    return calls


def _interleaved(lines: int, changed: bool) -> str:
    """The worst input of a line diff: every other line differs between the two versions."""
    return "\n".join(f"x{i}" if changed and i % 2 else f"{i}" for i in range(lines))


FIELDS = ("problem", "cause", "description", "contribution")


def _revised_proposal(lines: int):
    """A proposal whose four long fields hold `lines` short lines, revised once."""
    proposal = ProposalFactory(**{name: _interleaved(lines, True) for name in FIELDS})
    _db.session.add(ProposalRevision(
        proposal_id=proposal.id, number=1, title=proposal.title,
        **{name: _interleaved(lines, False) for name in FIELDS}))
    _db.session.flush()
    return proposal


# --- /proposals/<id>/history ----------------------------------------------------------------

def test_history_of_a_huge_revision_spends_at_most_the_diff_budget(client, db, monkeypatch):
    proposal = _revised_proposal(2_000)
    spent = []
    original = history._line_diff

    def spy(before, after):
        spent.append(max(len(before), 1) * max(len(after), 1))
        return original(before, after)

    monkeypatch.setattr(history, "_line_diff", spy)
    response = client.get(f"/proposals/{proposal.id}/history")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert sum(spent) <= history.DIFF_BUDGET_CELLS
    assert html.count("demasiado extensos para compararlos") == len(FIELDS)
    assert "x1999" in html and "\n1999" in html  # both texts, whole


def test_history_diff_work_grows_linearly_with_the_texts(db):
    def diff(lines: int) -> int:
        versions = history.proposal_versions(_revised_proposal(lines))
        return work(history.diff_versions, versions[0], versions[1])

    assert diff(4_000) <= LINEAR * diff(2_000)


def test_history_still_compares_small_edits_in_long_texts(client, db):
    long_text = "\n".join(f"línea {i}" for i in range(5_000))
    proposal = ProposalFactory(problem=long_text.replace("línea 2500", "línea cambiada"))
    _db.session.add(ProposalRevision(proposal_id=proposal.id, number=1, title=proposal.title,
                                     problem=long_text, description=proposal.description,
                                     cause=proposal.cause, contribution=proposal.contribution))
    _db.session.flush()
    html = client.get(f"/proposals/{proposal.id}/history").get_data(as_text=True)
    assert "línea cambiada</ins>" in html and "línea 2500</del>" in html
    assert "demasiado extensos" not in html


# --- Markdown (rendered once, when a text is saved) -----------------------------------------

@pytest.mark.parametrize("unit", ["[", "[a](", "*a_", "**_", "`a``", "<a ", "&#", "a\n", "> "],
                         ids=repr)
def test_markdown_work_grows_linearly_on_pathological_input(unit):
    def render(size: int) -> int:
        return work(render_markdown, unit * (size // len(unit)))

    assert render(4_000) <= LINEAR * render(2_000)


# --- search, similar-proposal hints ---------------------------------------------------------

def test_search_terms_are_capped_whatever_the_query(client, db):
    query = " ".join(f"palabra{i}" for i in range(5_000))
    assert len(terms(query)) == MAX_TERMS
    assert work(terms, query * 2) <= LINEAR * work(terms, query)
    assert client.get("/proposals", query_string={"q": query}).status_code == 200


def test_similar_hints_read_a_capped_title(client, db):
    proposal = ProposalFactory()
    title = "palabra " * 5_000
    response = client.get("/proposals/similar",
                          query_string={"theme": proposal.theme.slug, "title": title})
    assert response.status_code == 200


# --- exports, the API, transparency ---------------------------------------------------------

def test_csv_export_work_grows_linearly_with_the_proposals(client, db):
    def export(count: int) -> int:
        for _ in range(count):
            ProposalFactory(problem="=1+1\n" * 1_000)
        return work(lambda: client.get("/api/v1/export/proposals.csv").get_data())

    small = export(10)
    assert export(10) <= LINEAR * small  # 20 proposals now


def test_api_proposal_with_many_comments_grows_linearly(client, db):
    proposal = ProposalFactory()

    def read(count: int) -> int:
        for _ in range(count):
            CommentFactory(proposal_id=proposal.id)
        return work(lambda: client.get(f"/api/v1/proposals/{proposal.id}").get_data())

    small = read(20)
    assert read(20) <= LINEAR * small


@pytest.mark.parametrize("page", ["999999", "9" * 40, "-1", "²"])
def test_transparency_deep_pages_are_capped(client, db, page):
    assert client.get("/transparency", query_string={"page": page}).status_code in (200, 404)
