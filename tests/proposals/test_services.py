"""The rules of submit_proposal and revise_proposal, tested directly."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.errors import Conflict, Forbidden, InvalidInput
from app.models import Proposal, ProposalRevision
from app.models.base import utcnow
from app.proposals.services import ProposalInvalid, revise_proposal, submit_proposal
from tests.factories import ProposalFactory, ThemeFactory, UserFactory
from tests.proposals.conftest import proposal_form


@pytest.fixture(autouse=True)
def _request_context(app):
    """Messages are translated for the request's language, as in the views."""
    with app.test_request_context():
        yield


def _count(db) -> int:
    return db.session.scalar(select(func.count(Proposal.id)))


def test_participant_submits_an_open_proposal_with_rendered_markdown(db, theme, participant):
    data = proposal_form(problem="Un problema *grave*:\n\n- uno\n- dos")
    proposal = submit_proposal(participant, theme, data)
    assert proposal.id and proposal.status == "open"
    assert proposal.author is participant and proposal.theme is theme
    assert "<em>grave</em>" in proposal.problem_html and "<li>uno</li>" in proposal.problem_html
    assert proposal.ogp_values == ["transparency", "accountability"]


def test_every_missing_required_field_is_reported_at_once(db, theme, participant):
    with pytest.raises(ProposalInvalid) as caught:
        submit_proposal(participant, theme, proposal_form(title="  ", problem="",
                                                          description="\n"))
    assert set(caught.value.errors) == {"title", "problem", "description"}
    assert _count(db) == 0


@pytest.mark.parametrize(("field", "value"), [
    ("title", "x" * 151),
    ("problem", "x" * 20_001),
    ("cause", "x" * 20_001),
    ("description", "x" * 20_001),
    ("contribution", "x" * 20_001),
    ("lead_institution", "x" * 201),
    ("partners", "x" * 501),
])
def test_too_long_fields_are_refused(db, theme, participant, field, value):
    with pytest.raises(ProposalInvalid) as caught:
        submit_proposal(participant, theme, proposal_form(**{field: value}))
    assert field in caught.value.errors
    assert _count(db) == 0


def test_fields_at_their_limit_are_accepted(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form(
        title="t" * 150, problem="p" * 20_000, partners="a" * 500))
    assert len(proposal.title) == 150


@pytest.mark.parametrize("values", [["transparency", "bribery"], ["TRANSPARENCY"], [""], [3]])
def test_only_the_four_ogp_values_are_accepted(db, theme, participant, values):
    with pytest.raises(ProposalInvalid) as caught:
        submit_proposal(participant, theme, proposal_form(ogp_values=values))
    assert "ogp_values" in caught.value.errors


def test_control_characters_and_title_whitespace_are_cleaned(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form(
        title="  Datos\x00  abiertos\n ya ", problem="uno\r\ndos\x07"))
    assert proposal.title == "Datos abiertos ya"
    assert proposal.problem == "uno\ndos"


def test_a_closed_theme_refuses_proposals(db, closed_theme, participant):
    with pytest.raises(InvalidInput) as caught:
        submit_proposal(participant, closed_theme, proposal_form())
    assert caught.value.field == "theme" and "cerrado" in caught.value.message
    assert _count(db) == 0


def test_no_theme_is_a_field_error(db, participant):
    with pytest.raises(InvalidInput) as caught:
        submit_proposal(participant, None, proposal_form())
    assert caught.value.field == "theme"


def test_blocked_participant_cannot_propose(db, theme):
    blocked = UserFactory(blocked_reason="spam")
    with pytest.raises(Forbidden):
        submit_proposal(blocked, theme, proposal_form())


def test_unconfirmed_participant_cannot_propose_when_confirmation_is_required(
        app, db, theme):
    user = UserFactory(email_confirmed_at=None)
    app.config["REQUIRE_EMAIL_CONFIRMATION"] = True
    try:
        with pytest.raises(Forbidden):
            submit_proposal(user, theme, proposal_form())
    finally:
        app.config["REQUIRE_EMAIL_CONFIRMATION"] = False
    assert submit_proposal(user, theme, proposal_form()).id


def test_open_proposals_per_participant_are_limited_per_theme(db, participant):
    theme = ThemeFactory(max_open_proposals_per_user=2)
    other_theme = ThemeFactory()
    ProposalFactory(theme=theme, author=participant)
    ProposalFactory(theme=theme, author=participant, status="rejected")
    submit_proposal(participant, theme, proposal_form())
    with pytest.raises(Conflict) as caught:
        submit_proposal(participant, theme, proposal_form())
    assert "2" in caught.value.message
    assert submit_proposal(participant, other_theme, proposal_form()).theme is other_theme


def test_default_limit_is_five_open_proposals(db, theme, participant):
    for _ in range(5):
        submit_proposal(participant, theme, proposal_form())
    with pytest.raises(Conflict):
        submit_proposal(participant, theme, proposal_form())


def test_revision_keeps_the_previous_text(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form(title="Primera versión"))
    revise_proposal(proposal, participant, proposal_form(title="Segunda versión",
                                                         description="Nueva **idea**"))
    revise_proposal(proposal, participant, proposal_form(title="Tercera versión"))
    revisions = db.session.scalars(
        select(ProposalRevision).order_by(ProposalRevision.number)).all()
    assert [r.title for r in revisions] == ["Primera versión", "Segunda versión"]
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].description == "Nueva **idea**"
    assert revisions[0].editor_id == participant.id
    assert proposal.title == "Tercera versión"
    assert "<strong>" not in proposal.description_html


def test_revision_without_changes_stores_nothing(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form())
    revise_proposal(proposal, participant, proposal_form())
    assert db.session.scalar(select(func.count(ProposalRevision.id))) == 0


def test_invalid_revision_changes_nothing(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form(title="Original"))
    with pytest.raises(ProposalInvalid):
        revise_proposal(proposal, participant, proposal_form(title="", ogp_values=["x"]))
    assert proposal.title == "Original"
    assert db.session.scalar(select(func.count(ProposalRevision.id))) == 0


def test_other_participant_cannot_revise(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form())
    with pytest.raises(Forbidden):
        revise_proposal(proposal, UserFactory(), proposal_form(title="Mío ahora"))


def test_author_cannot_revise_a_decided_proposal_but_a_moderator_can(
        db, theme, participant, moderator):
    proposal = ProposalFactory(theme=theme, author=participant, status="accepted")
    with pytest.raises(Forbidden):
        revise_proposal(proposal, participant, proposal_form(title="Cambio"))
    revise_proposal(proposal, moderator, proposal_form(title="Redacción final"))
    assert proposal.title == "Redacción final"


def test_author_cannot_revise_after_the_theme_window_closes(db, participant, moderator):
    theme = ThemeFactory(proposals_close_at=utcnow() - timedelta(minutes=1))
    proposal = ProposalFactory(theme=theme, author=participant)
    with pytest.raises(InvalidInput):
        revise_proposal(proposal, participant, proposal_form(title="Tarde"))
    revise_proposal(proposal, moderator, proposal_form(title="Corrección de la mesa"))
    assert proposal.title == "Corrección de la mesa"


def test_revision_may_move_the_proposal_to_another_open_theme(db, theme, participant):
    proposal = submit_proposal(participant, theme, proposal_form())
    target = ThemeFactory()
    revise_proposal(proposal, participant, {**proposal_form(), "theme": target})
    assert proposal.theme is target
    assert db.session.scalar(select(func.count(ProposalRevision.id))) == 1
