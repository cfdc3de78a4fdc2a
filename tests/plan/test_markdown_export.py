"""The Markdown export shows participants' text as text: no HTML, images or headings of theirs."""
from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from app.models import Theme
from app.moderation.services import decide_proposal
from app.plan import services
from app.plans.services import current_plan_id_subquery
from tests.factories import ModeratorFactory, ProposalFactory

RESPONSE = "Se incorpora al borrador del plan de acción."
HOSTILE = {
    "title": "<img src=x onerror=alert(1)> ![rastreo](http://evil.example/t.png)",
    "problem": "# Encabezado falso\nTexto\n===\n<script>alert(1)</script>\n\n    código",
    "cause": "- lista falsa\n1. otra\n> cita\n[enlace](javascript:alert(1)) &amp; `x`",
    "description": "**negrita** ~~tachado~~ | tabla | falsa |\n|---|---|",
    "contribution": "![](http://evil.example/pixel.gif)",
    "lead_institution": "Ministerio <b>falso</b>",
    "partners": "## Socios\n* uno",
}


@pytest.fixture
def hostile_plan(seeded):
    # The current plan's first theme (the seed also loads the previous plan, whose theme
    # positions repeat: ordering by position alone picks either on PostgreSQL).
    theme = Theme.query.filter(Theme.plan_id == current_plan_id_subquery()).order_by(
        Theme.position).first()
    moderator = ModeratorFactory()
    proposal = ProposalFactory(theme=theme, **HOSTILE)
    decide_proposal(moderator, proposal, "accepted", RESPONSE)
    commitment = services.commitments_of(proposal)[0]
    services.add_milestone(commitment, {"description": "<img src=y> # hito",
                                        "deliverable": "![x](http://evil.example/x.png)"})
    return commitment


def _tokens(text: str):
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = parser.parse(text)
    flat = list(tokens)
    for token in tokens:
        flat += token.children or []
    return flat


def test_markdown_export_never_renders_participants_markup(client, hostile_plan):
    text = client.get("/plan/export.md").get_data(as_text=True)
    kinds = {token.type for token in _tokens(text)}
    assert not kinds & {"html_block", "html_inline", "image", "link_open", "code_block",
                        "fence", "table_open", "s_open", "blockquote_open"}
    headings = [token for token in _tokens(text) if token.type == "heading_open"]
    assert len(headings) == 3  # the plan, its theme, the commitment: ours only
    assert [t.type for t in _tokens(text)].count("bullet_list_open") == 1  # our field list
    assert [t.type for t in _tokens(text)].count("ordered_list_open") == 1  # our milestones


def test_markdown_export_keeps_the_text_as_written(client, hostile_plan):
    parser = MarkdownIt("commonmark", {"html": True})
    html = parser.render(client.get("/plan/export.md").get_data(as_text=True))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "![rastreo](http://evil.example/t.png)" in html
    assert "# Encabezado falso" in html and "&lt;script&gt;" in html
    assert "Ministerio &lt;b&gt;falso&lt;/b&gt;" in html
