"""The status machine: every allowed and refused transition, responses, merges."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import Conflict, InvalidInput
from app.models import ModerationAction
from app.moderation.services import TRANSITIONS, decide_proposal
from app.plan.services import commitments_of
from tests.factories import ModeratorFactory

STATUSES = ("open", "under_review", "accepted", "merged", "rejected")
RESPONSE = "La mesa técnica revisó la propuesta y su viabilidad con las instituciones."
ALLOWED = {
    ("open", "under_review"), ("open", "accepted"), ("open", "merged"), ("open", "rejected"),
    ("under_review", "accepted"), ("under_review", "merged"), ("under_review", "rejected"),
    ("under_review", "open"),
    ("accepted", "open"), ("accepted", "under_review"),
    ("merged", "open"), ("merged", "under_review"),
    ("rejected", "open"), ("rejected", "under_review"),
}


def test_the_machine_is_exactly_the_documented_one():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


def _at(status, make_proposal, moderator):
    """A proposal brought to `status` through the machine itself."""
    proposal = make_proposal()
    if status == "open":
        return proposal
    target = make_proposal() if status == "merged" else None
    decide_proposal(moderator, proposal, status, RESPONSE, target.id if target else None)
    return proposal


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("destination", STATUSES)
def test_each_transition_is_allowed_or_refused(db, make_proposal, source, destination):
    moderator = ModeratorFactory()
    proposal = _at(source, make_proposal, moderator)
    merge_into = make_proposal().id if destination == "merged" else None
    if (source, destination) in ALLOWED:
        entry = decide_proposal(moderator, proposal, destination, RESPONSE, merge_into)
        assert proposal.status == destination
        assert (entry.from_status, entry.to_status) == (source, destination)
    else:
        with pytest.raises(Conflict):
            decide_proposal(moderator, proposal, destination, RESPONSE, merge_into)
        assert proposal.status == source


@pytest.mark.parametrize("status", ["accepted", "merged", "rejected"])
@pytest.mark.parametrize("response", ["", "   ", "Demasiado corta."])
def test_decisions_need_a_reasoned_response_of_twenty_characters(db, make_proposal, status,
                                                                  response):
    proposal, target = make_proposal(), make_proposal()
    with pytest.raises(InvalidInput) as error:
        decide_proposal(ModeratorFactory(), proposal, status, response, target.id)
    assert error.value.field == "response"
    assert proposal.status == "open"


def test_under_review_needs_no_response(db, make_proposal):
    proposal = make_proposal()
    decide_proposal(ModeratorFactory(), proposal, "under_review")
    assert proposal.status == "under_review"


def test_reopening_a_decision_needs_a_new_response_and_keeps_the_history(db, make_proposal):
    moderator, proposal = ModeratorFactory(), make_proposal()
    decide_proposal(moderator, proposal, "rejected", RESPONSE)
    with pytest.raises(InvalidInput):
        decide_proposal(moderator, proposal, "open", "")
    decide_proposal(moderator, proposal, "open", "Reabrimos: hay información nueva del ministerio.")
    decide_proposal(moderator, proposal, "accepted", RESPONSE + " Ahora sí.")
    history = db.session.scalars(select(ModerationAction).where(
        ModerationAction.target_id == proposal.id, ModerationAction.action == "decision")
        .order_by(ModerationAction.id)).all()
    assert [(h.from_status, h.to_status) for h in history] == [
        ("open", "rejected"), ("rejected", "open"), ("open", "accepted")]
    assert proposal.response.endswith("Ahora sí.")


@pytest.mark.parametrize("merge_into", [None, "", "abc", "999999", "self"])
def test_merge_needs_a_valid_other_proposal(db, make_proposal, merge_into):
    proposal = make_proposal()
    if merge_into == "self":
        merge_into = str(proposal.id)
    with pytest.raises(InvalidInput) as error:
        decide_proposal(ModeratorFactory(), proposal, "merged", RESPONSE, merge_into)
    assert error.value.field == "merge_into"
    assert proposal.status == "open"


def test_unknown_status_is_bad_input(db, make_proposal):
    with pytest.raises(InvalidInput):
        decide_proposal(ModeratorFactory(), make_proposal(), "published", RESPONSE)


def test_accepting_creates_a_commitment_prefilled_from_the_proposal(db, make_proposal):
    proposal = make_proposal(title="Datos abiertos de obra pública", lead_institution="CIV")
    decide_proposal(ModeratorFactory(), proposal, "accepted", RESPONSE)
    [commitment] = commitments_of(proposal)
    assert commitment.title == "Datos abiertos de obra pública"
    assert commitment.lead_institution == "CIV"
    assert commitment.problem == proposal.problem
    assert [p.id for p in commitment.source_proposals] == [proposal.id]
    assert commitment.number == 1


def test_merging_into_an_accepted_proposal_joins_its_commitment(db, make_proposal):
    moderator = ModeratorFactory()
    target, duplicate = make_proposal(), make_proposal()
    decide_proposal(moderator, target, "accepted", RESPONSE)
    decide_proposal(moderator, duplicate, "merged", RESPONSE, target.id)
    [commitment] = commitments_of(target)
    assert {p.id for p in commitment.source_proposals} == {target.id, duplicate.id}
    assert duplicate.merged_into_id == target.id


def test_proposals_merged_earlier_are_carried_along_when_the_target_is_accepted(
        db, make_proposal):
    moderator = ModeratorFactory()
    target, middle, first = make_proposal(), make_proposal(), make_proposal()
    decide_proposal(moderator, first, "merged", RESPONSE, middle.id)
    decide_proposal(moderator, middle, "merged", RESPONSE, target.id)  # a chain
    assert commitments_of(target) == []
    decide_proposal(moderator, target, "accepted", RESPONSE)
    [commitment] = commitments_of(target)
    assert {p.id for p in commitment.source_proposals} == {target.id, middle.id, first.id}


def test_reopening_an_accepted_proposal_withdraws_its_commitment(db, make_proposal):
    moderator, proposal = ModeratorFactory(), make_proposal()
    decide_proposal(moderator, proposal, "accepted", RESPONSE)
    decide_proposal(moderator, proposal, "under_review", "Se revisará de nuevo con la mesa.")
    assert commitments_of(proposal) == []


def test_merging_into_a_rejected_proposal_is_refused(db, make_proposal):
    moderator, target, proposal = ModeratorFactory(), make_proposal(), make_proposal()
    decide_proposal(moderator, target, "rejected", RESPONSE)
    with pytest.raises(InvalidInput):
        decide_proposal(moderator, proposal, "merged", RESPONSE, target.id)
