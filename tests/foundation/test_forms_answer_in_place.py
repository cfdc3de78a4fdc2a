"""Every form answers bad input in place (app/forms.py): the same form again, the message
next to its field, what was typed kept, status 400; never a bare error page, never a 500."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.models import Commitment, Flag, Milestone, PlanVersion, User
from app.models.base import utcnow
from tests.factories import (
    CommentFactory,
    MesaFactory,
    ModeratorFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
)

GENERIC_PAGE = "Volver al inicio"


def _html(response) -> str:
    return response.get_data(as_text=True)


def assert_form_again(response, *, message: str, kept: str | None = None, field_id=None):
    """400, the form with the message (next to its field when `field_id` is given) and what
    was typed; not the generic error page."""
    html = _html(response)
    assert response.status_code == 400, html[:400]
    assert GENERIC_PAGE not in html
    assert "<form" in html and message in html, html[:2000]
    if field_id:
        assert f'id="{field_id}-error"' in html, field_id
        error = html[html.index(f'id="{field_id}-error"'):]
        assert message in error[:600]
    if kept is not None:
        assert kept in html


@pytest.fixture
def moderator(db, auth):
    return auth.login_as(ModeratorFactory())


@pytest.fixture
def commitment(db):
    theme = ThemeFactory()
    item = Commitment(plan_id=theme.plan_id, theme_id=theme.id, number=1,
                      title="Compras abiertas", start_date=date(2018, 9, 1),
                      end_date=date(2020, 6, 30))
    _db.session.add(item)
    _db.session.flush()
    return item


# --- moderation decisions -------------------------------------------------------------------

@pytest.mark.parametrize("data, message, field", [
    ({"status": "accepted", "response": ""}, "al menos 20 caracteres", "response"),
    ({"status": "rejected", "response": "Muy corta"}, "al menos 20 caracteres", "response"),
    ({"status": "merged", "response": "Se fusiona con otra que dice lo mismo.",
      "merge_into": "SELF"}, "consigo misma", "merge_into"),
    ({"status": "merged", "response": "Se fusiona con otra que dice lo mismo.",
      "merge_into": "99999"}, "No existe la propuesta #99999", "merge_into"),
    ({"status": "merged", "response": "Se fusiona con otra que dice lo mismo.",
      "merge_into": "99999999999999"}, "No existe la propuesta", "merge_into"),
    ({"status": "merged", "response": "Se fusiona con otra que dice lo mismo.",
      "merge_into": "abc"}, "Indique el número", "merge_into"),
])
def test_a_bad_decision_comes_back_on_the_proposal_page_with_its_input(
        client, moderator, data, message, field):
    proposal = ProposalFactory(title="Portal de compras")
    data = {**data}
    if data.get("merge_into") == "SELF":
        data["merge_into"] = str(proposal.id)
    response = client.post(f"/moderation/proposals/{proposal.id}/decision", data=data)
    assert_form_again(response, message=message, kept=data["response"] or None,
                      field_id=f"{field}-{proposal.id}")
    assert "Portal de compras" in _html(response)  # the proposal's page, not another
    _db.session.refresh(proposal)
    assert proposal.status == "open"


def _flagged(comment) -> None:
    _db.session.add(Flag(target_type="comment", target_id=comment.id,
                         user_id=UserFactory().id, reason="spam"))
    _db.session.flush()


def test_a_hide_without_reason_comes_back_on_the_page_it_was_sent_from(client, moderator):
    comment = CommentFactory()
    _flagged(comment)
    response = client.post(f"/moderation/comments/{comment.id}/hide",
                           data={"reason": "   ", "next": "/moderation"})
    assert_form_again(response, message="Indique el motivo",
                      field_id=f"reason-comments-{comment.id}")
    assert "Cola de moderación" in _html(response)
    assert 'value="/moderation"' in _html(response)  # the next submission goes back there
    proposal = ProposalFactory()
    response = client.post(f"/moderation/proposals/{proposal.id}/hide",
                           data={"reason": "", "next": f"/proposals/{proposal.id}"})
    assert_form_again(response, message="Indique el motivo",
                      field_id=f"reason-proposals-{proposal.id}")
    assert proposal.title in _html(response)


def test_a_report_without_reason_answers_with_the_form_open_and_the_details_kept(
        client, auth, db):
    proposal = ProposalFactory()
    auth.login_as(UserFactory())
    data = {"reason": "", "details": "Copia un texto de otra página"}
    response = client.post(f"/proposals/{proposal.id}/flag", data=data)
    assert_form_again(response, message="Elija un motivo", kept=data["details"],
                      field_id=f"reason-p{proposal.id}")
    assert f'id="flag-p{proposal.id}" open' in _html(response)
    fragment = client.post(f"/proposals/{proposal.id}/flag", data=data,
                           headers={"HX-Request": "true"})
    assert fragment.status_code == 400
    assert fragment.headers["HX-Retarget"] == f"#flag-p{proposal.id}"
    assert fragment.headers["HX-Reswap"] == "outerHTML"
    assert "<html" not in _html(fragment) and data["details"] in _html(fragment)


def test_blocking_asks_for_confirmation_without_javascript(client, moderator):
    user = UserFactory(display_name="Cuenta Ruidosa")
    response = client.post(f"/moderation/users/{user.id}/block", data={"reason": "Spam"})
    html = _html(response)
    assert response.status_code == 200 and "¿Bloquear la cuenta de Cuenta Ruidosa?" in html
    assert 'name="confirm" value="yes"' in html and 'name="reason" value="Spam"' in html
    _db.session.refresh(user)
    assert not user.is_blocked
    assert client.post(f"/moderation/users/{user.id}/block",
                       data={"reason": "Spam", "confirm": "yes"}).status_code == 303
    _db.session.refresh(user)
    assert user.is_blocked


# --- the plan draft -------------------------------------------------------------------------

def test_a_version_label_over_120_characters_comes_back_with_it(client, moderator, commitment):
    label = "Borrador " + "x" * 130
    response = client.post("/plan/versions", data={"label": label})
    assert_form_again(response, message="hasta 120 caracteres", kept=label, field_id="label")
    assert _db.session.query(PlanVersion).count() == 0


@pytest.mark.parametrize("data, message, field", [
    ({"description": "Portal", "start_date": "2019-05-01", "end_date": "2019-01-01"},
     "no puede ser anterior a la de inicio", "end_date"),
    ({"description": "Portal", "start_date": "2017-01-01"}, "el hito no puede ser anterior",
     "start_date"),
    ({"description": "Portal", "end_date": "2021-01-01"}, "el hito no puede ser posterior",
     "end_date"),
    ({"description": "Portal", "end_date": "2019-02-30"}, "fecha válida", "end_date"),
    ({"description": "   ", "deliverable": "Informe"}, "Describa el hito", "description"),
])
def test_a_bad_milestone_comes_back_on_the_commitment_page(
        client, moderator, commitment, data, message, field):
    response = client.post(f"/plan/commitments/{commitment.id}/milestones", data=data)
    assert_form_again(response, message=message, field_id=f"{field}-new")
    for value in data.values():
        if value.strip():
            assert f'value="{value}"' in _html(response) or f"\n{value}</textarea>" in _html(
                response)
    assert _db.session.query(Milestone).count() == 0


def test_editing_a_milestone_with_bad_dates_reopens_that_milestone_form(
        client, moderator, commitment):
    milestone = Milestone(commitment=commitment, position=1, description="Publicar")
    _db.session.add(milestone)
    _db.session.flush()
    response = client.post(f"/plan/milestones/{milestone.id}/edit", data={
        "description": "Publicar el portal", "start_date": "2019-05-01",
        "end_date": "2019-01-01"})
    assert_form_again(response, message="no puede ser anterior",
                      kept="Publicar el portal", field_id=f"end_date-{milestone.id}")


def test_deleting_a_milestone_asks_for_confirmation_first(client, moderator, commitment):
    milestone = Milestone(commitment=commitment, position=1, description="Publicar")
    _db.session.add(milestone)
    _db.session.flush()
    response = client.post(f"/plan/milestones/{milestone.id}/delete")
    assert response.status_code == 200 and "¿Eliminar el hito «Publicar»?" in _html(response)
    assert _db.session.get(Milestone, milestone.id) is not None


# --- mesas ----------------------------------------------------------------------------------

def _mesa_form(**changes) -> dict:
    return {"day": "2030-03-14", "starts": "09:00", "ends": "13:00", "place": "INAP",
            "capacity": "30", **changes}


def test_an_impossible_mesa_date_says_so_and_keeps_what_was_typed(client, moderator):
    mesa = MesaFactory()
    response = client.post(f"/mesas/{mesa.id}/edit", data=_mesa_form(day="2026-02-30"))
    assert_form_again(response, message="fecha válida", kept='value="2026-02-30"',
                      field_id="day")
    assert "Indique la fecha" not in _html(response)


def test_a_mesa_cannot_move_into_the_past(client, moderator):
    mesa = MesaFactory()
    past = (utcnow() - timedelta(days=3)).date().isoformat()
    response = client.post(f"/mesas/{mesa.id}/edit", data=_mesa_form(day=past))
    assert_form_again(response, message="ya pasaron", field_id="day")


# --- NUL characters -------------------------------------------------------------------------

def test_nul_characters_come_back_as_a_message_next_to_their_field(client, moderator, commitment):
    response = client.post(f"/plan/commitments/{commitment.id}/milestones",
                           data={"description": "Portal\x00 abierto"})
    assert_form_again(response, message="caracteres no permitidos", kept="Portal abierto",
                      field_id="description-new")
    proposal = ProposalFactory()
    response = client.post(f"/moderation/proposals/{proposal.id}/decision", data={
        "status": "accepted", "response": "Una respuesta razonada\x00 y completa."})
    assert_form_again(response, message="caracteres no permitidos",
                      kept="Una respuesta razonada y completa.",
                      field_id=f"response-{proposal.id}")
    assert client.get("/api/v1/proposals?q=a%00b").status_code == 400


# --- whitespace in every required field of every form ---------------------------------------

@pytest.fixture
def world(db, auth):
    """A moderator signed in, and one of everything a form can be about."""
    moderator = auth.login_as(ModeratorFactory())
    theme = ThemeFactory()
    proposal = ProposalFactory(theme=theme)
    comment = CommentFactory(proposal_id=proposal.id)
    _flagged(comment)  # in the queue, with the forms to hide it and block its author
    mine = CommentFactory(proposal_id=proposal.id, author_id=moderator.id)
    commitment = Commitment(plan_id=theme.plan_id, theme_id=theme.id, number=1, title="C")
    _db.session.add(commitment)
    _db.session.flush()
    milestone = Milestone(commitment=commitment, position=1, description="Hito")
    _db.session.add(milestone)
    _db.session.flush()
    return {"moderator": moderator, "theme": theme, "proposal": proposal, "comment": comment,
            "mine": mine, "commitment": commitment, "milestone": milestone,
            "mesa": MesaFactory(theme=theme), "user": comment.author}


BLANK = "   "
# (name, url, the other fields, the required fields that get only spaces)
SIGNED_IN_FORMS = [
    ("account", "/account", {"sector": "academia", "locale": "es"}, ("display_name",)),
    ("delete account", "/account/delete", {}, ("password",)),
    ("new proposal", "/proposals/new", {"theme": "{theme}"},
     ("title", "problem", "description")),
    ("edit proposal", "/proposals/{proposal}/edit", {"theme": "{theme}"},
     ("title", "problem", "description")),
    ("comment", "/proposals/{proposal}/comments", {"alignment": "neutral"}, ("body",)),
    ("edit comment", "/comments/{mine}/edit", {"alignment": "neutral"}, ("body",)),
    ("report", "/proposals/{proposal}/flag", {}, ("reason",)),
    ("decision", "/moderation/proposals/{proposal}/decision", {"status": "accepted"},
     ("response",)),
    ("hide", "/moderation/comments/{comment}/hide", {}, ("reason",)),
    ("block", "/moderation/users/{user}/block", {"next": "/moderation"}, ("reason",)),
    ("commitment", "/plan/commitments/{commitment}/edit", {}, ("title",)),
    ("add milestone", "/plan/commitments/{commitment}/milestones", {}, ("description",)),
    ("edit milestone", "/plan/milestones/{milestone}/edit", {}, ("description",)),
    ("mesa", "/mesas/{mesa}/edit", {"day": "2030-03-14", "starts": "09:00", "ends": "13:00",
                                    "capacity": "30"}, ("place",)),
]
SIGNED_OUT_FORMS = [
    ("sign up", "/auth/register", {"sector": "academia", "accept_terms": "y"},
     ("email", "display_name", "password", "password_confirm")),
    ("sign in", "/auth/login", {}, ("email", "password")),
    ("reset request", "/auth/reset", {}, ("email",)),
]


def _ids(world) -> dict:
    return {name: (value.slug if name == "theme" else value.id)
            for name, value in world.items()}


@pytest.mark.parametrize("name, url, others, required", SIGNED_IN_FORMS,
                         ids=[form[0] for form in SIGNED_IN_FORMS])
def test_only_spaces_in_required_fields_answer_with_the_form(
        client, world, name, url, others, required):
    ids = _ids(world)
    data = {key: value.format(**ids) for key, value in others.items()}
    data.update({field: BLANK for field in required})
    response = client.post(url.format(**ids), data=data)
    html = _html(response)
    assert response.status_code == 400, f"{name}: {response.status_code}"
    assert GENERIC_PAGE not in html and "<form" in html and "field-error" in html, name


@pytest.mark.parametrize("name, url, others, required", SIGNED_OUT_FORMS,
                         ids=[form[0] for form in SIGNED_OUT_FORMS])
def test_only_spaces_in_required_fields_answer_with_the_form_signed_out(
        client, db, name, url, others, required):
    data = {**others, **{field: BLANK for field in required}}
    response = client.post(url, data=data)
    html = _html(response)
    assert response.status_code == 400, f"{name}: {response.status_code}"
    assert GENERIC_PAGE not in html and "<form" in html, name
    assert _db.session.query(User).count() == 0
