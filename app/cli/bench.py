"""`flask bench-data --scale S`: the national-scale benchmark dataset, in bulk.

At S=1: 50,000 participants, 20,000 proposals over the 12 themes, 1,000,000 supports
(skewed: a few proposals get tens of thousands), 200,000 comments (threads of hundreds,
some replies), flags, moderation decisions and a plan of 40 commitments. Stored counters
are computed from the rows written, so they are exact. Markdown is rendered once per
template text, not per row, and every account shares one password hash.
"""
from __future__ import annotations

import importlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from app.cli.bulk import BulkWriter
from app.cli.counts import repair_statements
from app.cli.demo import move_schedule_to_coming_weeks
from app.cli.reference import PREVIOUS_PLAN_SLUG, seed_reference_data
from app.extensions import db
from app.models import (
    ActionPlan,
    Comment,
    Commitment,
    Consultation,
    Flag,
    Mesa,
    Milestone,
    ModerationAction,
    PlanVersion,
    Proposal,
    Theme,
    User,
    Vote,
)
from app.models.base import utcnow
from app.models.plan import OGP_VALUES, commitment_sources
from app.models.user import SECTORS
from app.repository.bench_data import add_documents
from app.text import render_markdown

BENCH_PASSWORD = "bench-cocrea-2018"  # noqa: S105 - published benchmark accounts only
EMAIL_DOMAIN = "bench.cocrea.gt"
FULL = {"users": 50_000, "proposals": 20_000, "votes": 1_000_000, "comments": 200_000}
COMMITMENTS = 40
CONSULTATION_COMMENTS = 500  # on commitment 1 (the commitment page's benchmark)
MODERATORS = 5
PUBLIC_SERVANTS_SHARE = 250  # one account in 250 is a public servant
SEED = 2018
#: Comments hidden by moderation do not count in Proposal.comment_count (`flask counts check`:
#: the comments the public can read).
HIDDEN_COMMENT_SHARE = 0.005


@dataclass
class DatasetSizes:
    users: int
    proposals: int
    votes: int
    comments: int
    counts: dict = field(default_factory=dict)

    @classmethod
    def for_scale(cls, scale: float) -> DatasetSizes:
        users = max(20, round(FULL["users"] * scale))
        proposals = max(12, round(FULL["proposals"] * scale))
        votes = min(round(FULL["votes"] * scale), users * proposals // 2)
        comments = max(60, round(FULL["comments"] * scale))
        return cls(users, proposals, votes, comments)


FIRST_NAMES = ("Ana", "Carlos", "María", "José", "Lucía", "Jorge", "Rosa", "Luis", "Sofía",
               "Ernesto", "Gabriela", "Juan", "Marta", "Pedro", "Carmen", "Diego", "Elena",
               "Hugo", "Isabel", "Manuel", "Andrea", "Fernando", "Paola", "Ricardo")
LAST_NAMES = ("Pérez", "Méndez", "Castillo", "Xicará", "Tzul", "Ortiz", "Coc", "Barrios",
              "Ajú", "López", "García", "Morales", "Hernández", "Cux", "Say", "Chávez",
              "Rodríguez", "Ixcoy", "Son", "Batz", "Quiché", "Velásquez")
ORGANIZATIONS = ("Acción Ciudadana", "Red Ciudadana", "Cámara de Industria",
                 "Municipalidad de Cobán", "Universidad de San Carlos de Guatemala",
                 "Ministerio de Finanzas Públicas", "Asociación de Desarrollo Comunitario",
                 None, None)
ACTIONS = ("Publicar", "Crear", "Fortalecer", "Implementar", "Digitalizar", "Abrir",
           "Monitorear", "Transparentar", "Capacitar sobre", "Simplificar")
OBJECTS = ("el presupuesto municipal", "las compras públicas", "los servicios de salud",
           "la contratación docente", "las licencias ambientales", "los datos de seguridad",
           "el registro de obras", "los programas sociales", "las becas de estudio",
           "el gasto en alimentación escolar", "los procesos electorales",
           "los trámites en línea", "las denuncias ciudadanas", "los fideicomisos públicos")
QUALIFIERS = ("en datos abiertos", "con participación comunitaria", "en idiomas mayas",
              "con tablero público", "en todos los departamentos", "con auditoría social",
              "para la juventud", "con indicadores de seguimiento", "en Alta Verapaz",
              "en Quetzaltenango", "con rendición de cuentas trimestral")
PROBLEMS = (
    "La información sobre **{o}** está dispersa y llega tarde a la ciudadanía.",
    "Las comunidades no pueden dar seguimiento a {o}; no hay datos *comparables* por año.",
    "Existen denuncias repetidas sobre {o} y ningún mecanismo de respuesta pública.",
    "El acceso a {o} depende de trámites en papel que excluyen a las áreas rurales.",
)
CAUSES = (
    "Falta de estándares de publicación y de capacidades técnicas en las instituciones.",
    "Procesos manuales, poca coordinación interinstitucional y ausencia de presupuesto.",
    "",
)
DESCRIPTIONS = (
    "Proponemos:\n\n- publicar {o} cada mes;\n- abrir un canal de consultas;\n"
    "- presentar avances en la mesa técnica.",
    "Un portal único donde se consulte {o}, con descarga en formatos abiertos y una "
    "[guía de uso](https://www.gobiernoabierto.gob.gt).",
    "Crear un comité de seguimiento con sociedad civil que revise {o} cada trimestre.",
)
CONTRIBUTIONS = (
    "Permite que la ciudadanía vigile {o} y que las autoridades respondan a tiempo.",
    "Reduce la discrecionalidad y mejora la confianza en las instituciones.",
    "",
)
COMMENT_TEXTS = (
    "Apoyo esta propuesta; en mi municipio el problema es exactamente este.",
    "¿Qué institución tendría el presupuesto para implementarla?",
    "Sugiero incluir **indicadores** medibles desde el primer año.",
    "No estoy de acuerdo: ya existe una ley que cubre este tema.",
    "Desde la academia podemos apoyar con la metodología de evaluación.",
    "Sería importante publicar la información también en *idiomas mayas*.",
    "Propongo fusionarla con otra propuesta similar de esta temática.",
    "Excelente iniciativa. ¿Cómo participarían los gobiernos locales?",
    "Hay experiencias en otros países: ver https://www.opengovpartnership.org",
    "La mesa técnica debería priorizar esta propuesta.\n\nGracias por el trabajo.",
)
RESPONSES = {
    "accepted": "La mesa técnica **acepta** la propuesta y la integra al borrador del plan "
                "como compromiso, con la institución responsable indicada.",
    "rejected": "La propuesta no se incluye: su alcance excede el periodo 2018-2020. "
                "Se recomienda presentarla en el próximo plan.",
    "under_review": "",
}
ALIGNMENTS = ("in_favor", "in_favor", "neutral", "against")
FLAG_REASONS = ("spam", "offensive", "off_topic", "duplicate", "other")


def skewed_counts(total: int, buckets: int, cap: int, exponent: float, offset: float,
                  rng: random.Random) -> list[int]:
    """`total` split over `buckets` with a Zipf-like tail, each at most `cap`, shuffled."""
    weights = [1.0 / (rank + offset) ** exponent for rank in range(buckets)]
    scale = total / sum(weights)
    counts = [min(cap, int(weight * scale)) for weight in weights]
    missing = total - sum(counts)
    index = 0
    while missing > 0 and index < 50 * buckets:  # top up the tail, one by one
        bucket = index % buckets
        if counts[bucket] < cap:
            counts[bucket] += 1
            missing -= 1
        index += 1
    rng.shuffle(counts)
    return counts


class Generator:
    """Builds the dataset; every method writes one table through the BulkWriter."""

    def __init__(self, writer: BulkWriter, sizes: DatasetSizes, themes: list[Theme],
                 plan_id: int, password_hash: str):
        self.w = writer
        self.sizes = sizes
        self.themes = themes
        self.plan_id = plan_id
        self.password_hash = password_hash
        self.rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
        self.now = utcnow()
        self.start = self.now - timedelta(days=30)
        # A pool of timestamps: the SQLite converter caches each one once.
        self.times = sorted(self.start + timedelta(seconds=self.rng.randrange(30 * 86400))
                            for _ in range(20_000))

    def when(self):
        return self.times[self.rng.randrange(len(self.times))]

    def users(self) -> None:
        rng, now = self.rng, self.now
        moderators = range(1, MODERATORS + 1)
        servants = range(MODERATORS + 1, MODERATORS + 2 + self.sizes.users // PUBLIC_SERVANTS_SHARE)

        def rows():
            for user_id in range(1, self.sizes.users + 1):
                role = ("admin" if user_id == 1 else "moderator" if user_id in moderators
                        else "public_servant" if user_id in servants else "participant")
                name = f"{FIRST_NAMES[user_id % 24]} {LAST_NAMES[(user_id // 24) % 22]}"
                sector = "sector_publico" if role != "participant" else SECTORS[user_id % 7]
                institution = "Ministerio de Finanzas Públicas" if role == "public_servant" \
                    else None
                yield (user_id, f"bench{user_id}@{EMAIL_DOMAIN}", name, self.password_hash,
                       role, sector, ORGANIZATIONS[rng.randrange(len(ORGANIZATIONS))],
                       institution, True, now, now)

        self.w.insert(User.__table__, (
            "id", "email", "display_name", "password_hash", "role", "sector", "organization",
            "institution", "active", "email_confirmed_at", "created_at",
        ), rows())

    def proposal_texts(self) -> list[tuple]:
        """Every distinct text once, with its HTML rendered once."""
        texts = []
        for index, obj in enumerate(OBJECTS):
            problem = PROBLEMS[index % len(PROBLEMS)].format(o=obj)
            cause = CAUSES[index % len(CAUSES)]
            description = DESCRIPTIONS[index % len(DESCRIPTIONS)].format(o=obj)
            contribution = CONTRIBUTIONS[index % len(CONTRIBUTIONS)].format(o=obj)
            texts.append((obj, problem, cause, description, contribution,
                          render_markdown(problem), render_markdown(cause),
                          render_markdown(description), render_markdown(contribution)))
        return texts

    def plan_votes_and_comments(self) -> None:
        sizes, rng = self.sizes, self.rng
        self.vote_counts = skewed_counts(sizes.votes, sizes.proposals,
                                         cap=int(sizes.users * 0.9), exponent=1.15,
                                         offset=2.0, rng=rng)
        self.comment_totals = skewed_counts(sizes.comments, sizes.proposals,
                                            cap=max(600, sizes.comments // 50),
                                            exponent=1.0, offset=30.0, rng=rng)
        # A proposal with 50 to 100 comments exists at every scale (the benchmark's page).
        totals = self.comment_totals
        if not any(50 <= count < 100 for count in totals):
            target = min(range(sizes.proposals), key=totals.__getitem__)
            need = 60 - totals[target]
            totals[target] = 60
            donors = sorted((i for i in range(sizes.proposals) if i != target),
                            key=lambda i: -totals[i])
            index = 0
            while need > 0:
                donor = donors[index % len(donors)]
                if totals[donor] > 1:
                    totals[donor] -= 1
                    need -= 1
                index += 1
        # Comments hidden by moderation: chosen now, so counters are exact.
        self.hidden_comments = Counter()

    def decisions(self) -> None:
        """Statuses and responses: accepted ones feed the plan; a few hidden proposals."""
        sizes, rng = self.sizes, self.rng
        ids = list(range(1, sizes.proposals + 1))
        by_votes = sorted(ids, key=lambda pid: -self.vote_counts[pid - 1])
        accepted_count = max(COMMITMENTS, sizes.proposals // 200)
        self.status = {pid: "open" for pid in ids}
        # Most-supported proposals stay open (the benchmark votes on them); decisions go to
        # the next ones, as a technical table would after the mesas.
        decided = by_votes[10:10 + accepted_count + sizes.proposals // 40]
        for index, pid in enumerate(decided):
            self.status[pid] = ("accepted" if index < accepted_count
                                else "rejected" if index % 3 else "under_review")
        self.accepted = [pid for pid in decided if self.status[pid] == "accepted"]
        open_ids = [pid for pid in by_votes[10:] if self.status[pid] == "open"]
        self.hidden = set(rng.sample(open_ids, min(len(open_ids) // 2,
                                                   max(1, sizes.proposals // 500))))

    def proposals(self) -> None:
        sizes, rng = self.sizes, self.rng
        texts = self.proposal_texts()
        responses = {status: (text, render_markdown(text)) for status, text in RESPONSES.items()}
        values = [json.dumps(sorted(rng.sample(OGP_VALUES, k)))
                  for k in (1, 2, 2, 3, 4) for _ in range(4)]
        authors = [rng.randrange(MODERATORS + 1, sizes.users + 1) for _ in range(sizes.proposals)]
        self.proposal_theme = {}
        self.proposal_author = {}
        visible_comments = self.visible_comment_counts()

        def rows():
            for pid in range(1, sizes.proposals + 1):
                theme = self.themes[(pid - 1) % len(self.themes)]
                self.proposal_theme[pid] = theme.id
                self.proposal_author[pid] = author = authors[pid - 1]
                action = ACTIONS[rng.randrange(len(ACTIONS))]
                text = texts[rng.randrange(len(texts))]
                qualifier = QUALIFIERS[rng.randrange(len(QUALIFIERS))]
                status = self.status[pid]
                response, response_html = responses.get(status, (None, None))
                decided = status != "open"
                hidden = pid in self.hidden
                created = self.when()
                yield (pid, theme.id, author, f"{action} {text[0]} {qualifier}",
                       *text[1:], values[pid % len(values)],
                       "Ministerio de Finanzas Públicas", "Sociedad civil organizada",
                       status, response or None, response_html or None,
                       self.now if decided else None, 2 if decided else None,
                       self.vote_counts[pid - 1], visible_comments[pid], hidden,
                       "Contenido duplicado." if hidden else None,
                       self.now if hidden else None, created, created)

        self.w.insert(Proposal.__table__, (
            "id", "theme_id", "author_id", "title", "problem", "cause", "description",
            "contribution", "problem_html", "cause_html", "description_html",
            "contribution_html", "ogp_values", "lead_institution", "partners", "status",
            "response", "response_html", "decided_at", "decided_by_id", "vote_count",
            "comment_count", "hidden", "hidden_reason", "hidden_at", "created_at", "updated_at",
        ), rows())

    def visible_comment_counts(self) -> dict[int, int]:
        """Readable comments per proposal (hidden ones left out), choosing which will be
        hidden."""
        rng = self.rng
        counts = {}
        for pid in range(1, self.sizes.proposals + 1):
            total = self.comment_totals[pid - 1]
            hidden = sum(1 for _ in range(total) if rng.random() < HIDDEN_COMMENT_SHARE) \
                if total > 20 else 0
            self.hidden_comments[pid] = hidden
            counts[pid] = total - hidden
        return counts

    def votes(self) -> None:
        rng, sizes = self.rng, self.sizes
        voters = range(MODERATORS + 1, sizes.users + 1)
        allow_self = False

        def rows():
            vote_id = 0
            for pid in range(1, sizes.proposals + 1):
                wanted = self.vote_counts[pid - 1]
                if not wanted:
                    continue
                author = self.proposal_author[pid]
                picked = rng.sample(voters, min(len(voters), wanted + 1))
                if not allow_self and author in picked:
                    picked.remove(author)
                theme_id = self.proposal_theme[pid]
                for user_id in picked[:wanted]:
                    vote_id += 1
                    yield (vote_id, user_id, pid, theme_id, self.when())

        written = Counter()

        def counted():
            for row in rows():
                written[row[2]] += 1
                yield row

        self.sizes.counts["votes"] = self.w.insert(
            Vote.__table__, ("id", "user_id", "proposal_id", "theme_id", "created_at"), counted()
        )
        # Fewer voters than wanted (tiny scales): store what was written, exactly.
        self.fix_vote_counts = {pid: written[pid] for pid in range(1, sizes.proposals + 1)
                                if written[pid] != self.vote_counts[pid - 1]}

    def comments(self) -> None:
        rng, sizes = self.rng, self.sizes
        texts = [(text, render_markdown(text)) for text in COMMENT_TEXTS]
        users = sizes.users
        self.comment_ids: list[tuple[int, int]] = []

        def rows():
            comment_id = 0
            for pid in range(1, sizes.proposals + 1):
                total = self.comment_totals[pid - 1]
                hide = set(rng.sample(range(total), self.hidden_comments[pid]))
                moment = self.start + timedelta(seconds=rng.randrange(86400))
                top_level: list[int] = []
                for index in range(total):
                    comment_id += 1
                    moment += timedelta(seconds=rng.randrange(60, 3600))
                    parent = None
                    if top_level and rng.random() < 0.15:
                        parent = top_level[rng.randrange(max(0, len(top_level) - 20),
                                                         len(top_level))]
                    else:
                        top_level.append(comment_id)
                    body, html = texts[rng.randrange(len(texts))]
                    hidden = index in hide
                    if len(self.comment_ids) < 5000 and not hidden:
                        self.comment_ids.append((comment_id, pid))
                    yield (comment_id, pid, rng.randrange(1, users + 1), parent, body, html,
                           ALIGNMENTS[rng.randrange(4)], False, hidden,
                           "Lenguaje ofensivo." if hidden else None, moment)

        self.sizes.counts["comments"] = self.w.insert(Comment.__table__, (
            "id", "proposal_id", "author_id", "parent_id", "body", "body_html", "alignment",
            "pinned", "hidden", "hidden_reason", "created_at",
        ), rows())

    def flags_and_actions(self) -> None:
        rng, sizes = self.rng, self.sizes
        flags = set()
        targets = [("proposal", pid) for pid in range(1, sizes.proposals + 1)]
        targets += [("comment", cid) for cid, _ in self.comment_ids]
        for _ in range(max(10, sizes.comments // 100)):
            target_type, target_id = targets[rng.randrange(len(targets))]
            flags.add((target_type, target_id, rng.randrange(MODERATORS + 1, sizes.users + 1)))
        self.sizes.counts["flags"] = self.w.insert(Flag.__table__, (
            "id", "target_type", "target_id", "user_id", "reason", "details", "created_at",
        ), ((index, *flag, FLAG_REASONS[index % 5], "", self.when())
            for index, flag in enumerate(sorted(flags), start=1)))

        actions = []
        for pid, status in self.status.items():
            if status != "open":
                actions.append((2, "decide", "proposal", pid, RESPONSES[status], "open",
                                status, True, self.now))
        for pid in sorted(self.hidden):
            actions.append((2, "hide", "proposal", pid, "Contenido duplicado.", None, None, True,
                            self.now))
        self.sizes.counts["moderation_actions"] = self.w.insert(ModerationAction.__table__, (
            "id", "moderator_id", "action", "target_type", "target_id", "reason",
            "from_status", "to_status", "public", "created_at",
        ), ((index, *action) for index, action in enumerate(actions, start=1)))

    def plan(self) -> None:
        rng = self.rng
        commitments, milestones, sources = [], [], []
        accepted = self.accepted
        for number in range(1, COMMITMENTS + 1):
            source = accepted[(number - 1) % len(accepted)]
            theme_id = self.proposal_theme[source]
            obj = OBJECTS[number % len(OBJECTS)]
            commitments.append((
                number, self.plan_id, theme_id, number,
                f"{ACTIONS[number % len(ACTIONS)]} {obj}"[:200],
                PROBLEMS[number % len(PROBLEMS)].format(o=obj), CAUSES[number % 2],
                DESCRIPTIONS[number % 3].format(o=obj), CONTRIBUTIONS[number % 2].format(o=obj),
                json.dumps(sorted(rng.sample(OGP_VALUES, 2))),
                "Ministerio de Finanzas Públicas", "Acción Ciudadana; Red Ciudadana",
                "Responsable de Gobierno Abierto", "Director(a)", "gobiernoabierto@example.org",
                self.now, self.now,
            ))
            sources.append((number, source))
            extra = accepted[(number + COMMITMENTS - 1) % len(accepted)]
            if extra != source:
                sources.append((number, extra))
            for position in range(3):
                milestones.append((len(milestones) + 1, number, position,
                                   f"Hito {position + 1}: {obj}", "Informe público",
                                   "Ministerio de Finanzas Públicas"))
        self.w.insert(Commitment.__table__, (
            "id", "plan_id", "theme_id", "number", "title", "problem", "cause", "description",
            "contribution", "ogp_values", "lead_institution", "partners", "contact_name",
            "contact_role", "contact_email", "created_at", "updated_at",
        ), commitments)
        self.w.insert(Milestone.__table__, (
            "id", "commitment_id", "position", "description", "deliverable", "responsible",
        ), milestones)
        self.w.insert(commitment_sources, ("commitment_id", "proposal_id"), sources)
        self.sizes.counts["commitments"] = len(commitments)

    def consultation(self) -> None:
        """A consultation open now on a published version, and CONSULTATION_COMMENTS comments
        (a sixth of them replies, half answered) on commitment 1: the commitment page's
        worst case."""
        rng = self.rng
        self.w.insert(PlanVersion.__table__, (
            "id", "plan_id", "number", "label", "snapshot", "published_at"),
            [(1, self.plan_id, 1, "Borrador v1", json.dumps({"commitments": []}), self.now)])
        self.w.insert(Consultation.__table__, (
            "id", "plan_id", "version_id", "opens_at", "closes_at", "created_at"),
            [(1, self.plan_id, 1, self.now - timedelta(days=1), self.now + timedelta(days=30),
              self.now)])
        first_id = self.sizes.counts["comments"] + 1
        texts = [(text, render_markdown(text)) for text in COMMENT_TEXTS]
        response = "La mesa técnica lo incorporó en el hito 2 del compromiso."
        response_html = render_markdown(response)

        def rows():
            top_level: list[int] = []
            moment = self.now - timedelta(hours=20)
            for index in range(CONSULTATION_COMMENTS):
                comment_id = first_id + index
                moment += timedelta(seconds=60)
                parent = None
                if top_level and index % 6 == 5:
                    parent = top_level[-1]
                else:
                    top_level.append(comment_id)
                body, html = texts[rng.randrange(len(texts))]
                answered = parent is None and index % 2 == 0
                yield (comment_id, 1, rng.randrange(MODERATORS + 1, self.sizes.users + 1),
                       parent, body, html, ALIGNMENTS[index % 4], False, False, moment,
                       "incorporated" if answered else None,
                       response if answered else None, response_html if answered else None,
                       moment + timedelta(minutes=5) if answered else None)

        self.sizes.counts["consultation_comments"] = self.w.insert(Comment.__table__, (
            "id", "commitment_id", "author_id", "parent_id", "body", "body_html", "alignment",
            "pinned", "hidden", "created_at", "disposition", "disposition_response",
            "disposition_response_html", "disposition_at",
        ), rows())

    def tracking(self) -> None:
        """/tracking's benchmark data (app/tracking/bench_data.py)."""
        from app.tracking.bench_data import add_tracking

        self.sizes.counts.update(add_tracking(
            self.w, self.rng, self.tracked_plan_id, self.tracked_theme_ids, self.now,
            MODERATORS, first_commitment=COMMITMENTS + 1))


def database_is_empty() -> bool:
    for model in (User, Proposal, Vote, Comment):
        if db.session.scalar(sa.select(sa.func.count()).select_from(model)):
            return False
    return True


def generate(scale: float, echo=print) -> dict:
    """Fill the (empty) database; returns {"dataset": counts, "seconds": s}."""
    started, cpu_started = time.perf_counter(), time.process_time()
    if not database_is_empty():
        raise click.ClickException(
            "bench-data needs an empty database (no accounts, proposals, supports or "
            "comments); use a fresh database, e.g. DATABASE_URL=sqlite:////tmp/bench.db "
            "flask --app wsgi db upgrade first."
        )
    seed_reference_data()
    move_schedule_to_coming_weeks()
    db.session.commit()
    plan_id = db.session.scalar(sa.select(ActionPlan.id).where(ActionPlan.is_current.is_(True)))
    themes = list(db.session.scalars(
        sa.select(Theme).where(Theme.plan_id == plan_id).order_by(Theme.position)))
    tracked_plan_id = db.session.scalar(
        sa.select(ActionPlan.id).where(ActionPlan.slug == PREVIOUS_PLAN_SLUG))
    tracked_theme_ids = list(db.session.scalars(
        sa.select(Theme.id).where(Theme.plan_id == tracked_plan_id).order_by(Theme.position)))
    mesa_ids = list(db.session.scalars(sa.select(Mesa.id).order_by(Mesa.id)))
    db.session.close()  # releases the SQLite write lock taken by the reads above
    sizes = DatasetSizes.for_scale(scale)
    password_hash = generate_password_hash(
        BENCH_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA cache_size = -400000")  # 400 MB while loading
        writer = BulkWriter(connection)
        gen = Generator(writer, sizes, themes, plan_id, password_hash)
        gen.tracked_plan_id, gen.tracked_theme_ids = tracked_plan_id, tracked_theme_ids

        def documents() -> None:
            sizes.counts["documents"] = add_documents(writer, scale, plan_id, mesa_ids)

        steps = (("users", gen.users), ("plan supports", gen.plan_votes_and_comments),
                 ("decisions", gen.decisions), ("proposals", gen.proposals),
                 ("supports", gen.votes), ("comments", gen.comments),
                 ("flags and moderation", gen.flags_and_actions), ("plan", gen.plan),
                 ("documents", documents), ("consultation", gen.consultation),
                 ("tracking", gen.tracking))
        with writer.constraints_deferred(("proposals", "votes", "comments")):
            for name, step in steps:
                step_started = time.perf_counter()
                step()
                echo(f"  {name}: {time.perf_counter() - step_started:.1f} s")
            step_started = time.perf_counter()
        echo(f"  constraints and indexes: {time.perf_counter() - step_started:.1f} s")
        table = Proposal.__table__
        for pid, count in gen.fix_vote_counts.items():
            connection.execute(sa.update(table).where(table.c.id == pid)
                               .values(vote_count=count))
        for statement in repair_statements(("themes",)):  # the themes' stored totals
            connection.execute(statement)
        step_started = time.perf_counter()
        _rebuild_search_index(connection)
        echo(f"  search index: {time.perf_counter() - step_started:.1f} s")
        writer.finish()
    if connection.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    counts = {
        "users": sizes.users, "proposals": sizes.proposals, **sizes.counts,
        "themes": len(themes),
    }
    return {"dataset": counts, "seconds": round(time.perf_counter() - started, 2),
            "cpu_seconds": round(time.process_time() - cpu_started, 2)}


def _rebuild_search_index(connection) -> None:
    """Fill the full-text index in one pass when the search feature keeps one (its triggers
    were dropped during the load): `create_search_schema` is idempotent and re-indexes."""
    search = importlib.import_module("app.proposals.search")
    for name in ("rebuild_search_index", "create_search_schema"):
        rebuild = getattr(search, name, None)
        if callable(rebuild):
            rebuild(connection)
            return


@click.command("bench-data")
@click.option("--scale", default=1.0, type=click.FloatRange(0.0001, 10),
              help="1 is the national size: 50,000 participants, 1,000,000 supports.")
@with_appcontext
def bench_data_command(scale: float) -> None:
    """Fill an empty database with the benchmark dataset (and open every theme's windows)."""
    result = generate(scale, echo=click.echo)
    counts = ", ".join(f"{value:,} {name}" for name, value in result["dataset"].items())
    click.echo(f"bench-data: {counts} in {result['seconds']:.1f} s "
               f"({result['cpu_seconds']:.1f} s of this process's CPU). "
               f"Accounts bench<N>@{EMAIL_DOMAIN}, password {BENCH_PASSWORD!r}.")


def register(app: Flask) -> None:
    app.cli.add_command(bench_data_command)
