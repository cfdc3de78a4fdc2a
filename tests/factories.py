"""factory_boy factories; they flush into the test's session."""
from __future__ import annotations

from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select, update

from app.extensions import db
from app.models import ActionPlan, Comment, Document, Mesa, Proposal, Theme, User
from app.models.base import utcnow
from app.text import render_markdown
from tests.conftest import PASSWORD

_HASHES: dict[str, str] = {}


def _password_hash() -> str:
    from werkzeug.security import generate_password_hash

    if "default" not in _HASHES:
        _HASHES["default"] = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    return _HASHES["default"]


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"persona{n}@ejemplo.org")
    display_name = factory.Sequence(lambda n: f"Persona {n}")
    password_hash = factory.LazyFunction(_password_hash)
    role = "participant"
    sector = "sociedad_civil"
    organization = "Organización de prueba"
    email_confirmed_at = factory.LazyFunction(utcnow)


class EstablishedUserFactory(UserFactory):
    """A confirmed account made two months ago: its reports weigh fully (app/moderation)."""

    created_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=60))


class ModeratorFactory(UserFactory):
    role = "moderator"
    sector = "sector_publico"


class PlanFactory(BaseFactory):
    class Meta:
        model = ActionPlan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = "Cuarto Plan de Acción Nacional de Gobierno Abierto"
    period = "2018-2020"


def current_plan() -> ActionPlan:
    """The test's current plan (created, marked current, on first use)."""
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.is_current.is_(True)))
    return plan or PlanFactory(is_current=True)


class ThemeFactory(BaseFactory):
    """A theme whose proposal and voting windows are open now."""

    class Meta:
        model = Theme

    plan = factory.LazyFunction(current_plan)
    slug = factory.Sequence(lambda n: f"tematica-{n}")
    name = factory.Sequence(lambda n: f"Temática {n}")
    position = factory.Sequence(lambda n: n + 1)
    proposals_open_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=7))
    proposals_close_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
    voting_open_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=7))
    voting_close_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))


class ProposalFactory(BaseFactory):
    class Meta:
        model = Proposal

    theme = factory.SubFactory(ThemeFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Portal de datos abiertos de compras número {n}")
    problem = "La información de compras públicas es difícil de encontrar."
    cause = "Los datos se publican en formatos cerrados."
    description = "Publicar los datos de compras en formato abierto cada mes."
    contribution = "Permite a la ciudadanía vigilar el gasto."
    ogp_values = factory.LazyFunction(lambda: ["transparency"])
    lead_institution = "Ministerio de Finanzas Públicas"
    partners = "Acción Ciudadana"
    problem_html = factory.LazyAttribute(lambda o: render_markdown(o.problem))
    cause_html = factory.LazyAttribute(lambda o: render_markdown(o.cause))
    description_html = factory.LazyAttribute(lambda o: render_markdown(o.description))
    contribution_html = factory.LazyAttribute(lambda o: render_markdown(o.contribution))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Counted as the services count it (app/proposals/counters.py): a visible proposal
        adds one, and its supports, to its theme's stored totals."""
        from app.proposals.counters import count_new_proposal

        proposal = super()._create(model_class, *args, **kwargs)
        count_new_proposal(proposal)
        return proposal


class CommentFactory(BaseFactory):
    class Meta:
        model = Comment

    proposal_id = factory.LazyFunction(lambda: ProposalFactory().id)
    author_id = factory.LazyFunction(lambda: UserFactory().id)
    body = "Estoy de acuerdo con esta propuesta."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Counted as the service counts it (app/proposals/counters.py): a comment the public
        can read (not hidden, not deleted) adds one to its proposal's stored comment_count."""
        comment = super()._create(model_class, *args, **kwargs)
        if comment.deleted_at is None and not comment.hidden:
            db.session.execute(
                update(Proposal).where(Proposal.id == comment.proposal_id)
                .values(comment_count=Proposal.comment_count + 1))
        return comment


class MesaFactory(BaseFactory):
    class Meta:
        model = Mesa

    theme = factory.SubFactory(ThemeFactory)
    plan = factory.LazyAttribute(lambda o: o.theme.plan if o.theme else current_plan())
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=7))
    place = "Ciudad de Guatemala"
    capacity = 50


class DocumentFactory(BaseFactory):
    """A repository row whose file is not stored (listings, the API, query counts)."""

    class Meta:
        model = Document

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Minuta de la sesión {n}")
    type = "minutes"
    document_date = factory.LazyFunction(lambda: utcnow().date())
    original_filename = factory.Sequence(lambda n: f"minuta-{n}.pdf")
    stored_name = factory.Sequence(lambda n: f"no-file-stored-{n:08d}")
    size = 1024
    content_type = "application/pdf"
    sha256 = "0" * 64
