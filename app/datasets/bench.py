"""The national-scale benchmark dataset (`flask bench-data --scale S`), written in bulk.

At S=1: 50,000 participants, 20,000 proposals over the 12 themes, 1,000,000 supports
(skewed: a few proposals get tens of thousands), 200,000 comments (threads of hundreds,
some replies), flags, moderation decisions and a plan of 40 commitments; S=10 is ten times
that. Stored counters are computed from the rows written, so they are exact. Markdown is
rendered once per template text, not per row, and every account shares one password hash.
"""
from __future__ import annotations

import importlib
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

import click
import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from app.cli.bulk import BulkWriter
from app.cli.counts import repair_statements
from app.cli.demo import move_schedule_to_coming_weeks
from app.cli.reference import PREVIOUS_PLAN_SLUG, seed_reference_data
from app.datasets.bench_plan import MODERATORS, PlanRows
from app.datasets.bench_texts import (
    ACTIONS,
    ALIGNMENTS,
    CAUSES,
    COMMENT_TEXTS,
    CONTRIBUTIONS,
    DESCRIPTIONS,
    FIRST_NAMES,
    LAST_NAMES,
    OBJECTS,
    ORGANIZATIONS,
    PROBLEMS,
    QUALIFIERS,
    RESPONSES,
)
from app.extensions import db
from app.models import ActionPlan, Comment, Mesa, Proposal, Theme, User, Vote
from app.models.base import utcnow
from app.models.plan import OGP_VALUES
from app.models.user import SECTORS
from app.repository.bench_data import add_documents
from app.text import render_markdown

#: `track(rows, total, label)`: wraps a table's rows (a progress bar, or nothing).
Track = Callable[[Iterable, int, str], Iterable]


def no_progress(rows: Iterable, _total: int, _label: str) -> Iterable:
    return rows


def progress_bar(rows: Iterable, total: int, label: str) -> Iterable:
    """tqdm over a table's rows: count, total, rate and time left, on stderr."""
    from tqdm import tqdm

    return tqdm(rows, total=total, desc=f"  {label:<9}", unit=" rows", unit_scale=True,
                mininterval=0.5, smoothing=0.05, dynamic_ncols=True)


BENCH_PASSWORD = "bench-cocrea-2018"  # noqa: S105 - published benchmark accounts only
EMAIL_DOMAIN = "bench.cocrea.gt"
FULL = {"users": 50_000, "proposals": 20_000, "votes": 1_000_000, "comments": 200_000}
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


class Generator(PlanRows):
    """Builds the dataset; every method writes one table through the BulkWriter."""

    def __init__(self, writer: BulkWriter, sizes: DatasetSizes, themes: list[Theme],
                 plan_id: int, password_hash: str, track: Track = no_progress):
        self.w = writer
        self.track = track
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
        ), self.track(rows(), self.sizes.users, "users"))

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
        ), self.track(rows(), sizes.proposals, "proposals"))

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
        """One support per (voter, proposal), never the author's own. Hot loop (10 million
        rows at S=10): timestamps come from the pool, already in the driver's form, by a
        stride through it rather than a random draw per row."""
        rng, sizes = self.rng, self.sizes
        voters = range(MODERATORS + 1, sizes.users + 1)
        times = self.w.prepare(Vote.__table__, "created_at", self.times)
        pool = len(times)
        written: dict[int, int] = {}

        def rows():
            vote_id = 0
            for pid in range(1, sizes.proposals + 1):
                wanted = self.vote_counts[pid - 1]
                if not wanted:
                    continue
                author = self.proposal_author[pid]
                picked = rng.sample(voters, min(len(voters), wanted + 1))
                if author in picked:
                    picked.remove(author)
                picked = picked[:wanted]
                written[pid] = len(picked)
                theme_id = self.proposal_theme[pid]
                offset = int(rng.random() * pool)
                first = vote_id + 1
                vote_id += len(picked)
                yield from [(first + index, user_id, pid, theme_id,
                             times[(offset + index * 7) % pool])
                            for index, user_id in enumerate(picked)]

        self.sizes.counts["votes"] = self.w.insert(
            Vote.__table__, ("id", "user_id", "proposal_id", "theme_id", "created_at"),
            self.track(rows(), sizes.votes, "supports"), prepared=("created_at",))
        # Fewer voters than wanted (tiny scales): store what was written, exactly.
        self.fix_vote_counts = {pid: written.get(pid, 0)
                                for pid in range(1, sizes.proposals + 1)
                                if written.get(pid, 0) != self.vote_counts[pid - 1]}

    def comments(self) -> None:
        """Threads in time order (replies to one of the latest 20 top-level comments), a few
        hidden. Hot loop (2 million rows at S=10): random numbers from `random()` rather than
        `randrange`, timestamps walked forward through the pool (already converted)."""
        rng, sizes = self.rng, self.sizes
        rand = rng.random
        texts = [(text, render_markdown(text)) for text in COMMENT_TEXTS]
        text_count = len(texts)
        users = sizes.users
        times = self.w.prepare(Comment.__table__, "created_at", self.times)
        last_time = len(times) - 1
        self.comment_ids: list[tuple[int, int]] = []

        def rows():
            comment_id = 0
            for pid in range(1, sizes.proposals + 1):
                total = self.comment_totals[pid - 1]
                hide = set(rng.sample(range(total), self.hidden_comments[pid]))
                moment = int(rand() * len(times) * 0.2)  # threads start in the first days
                top_level: list[int] = []
                for index in range(total):
                    comment_id += 1
                    moment = min(last_time, moment + 1 + int(rand() * 4))
                    parent = None
                    if top_level and rand() < 0.15:
                        recent = min(20, len(top_level))
                        parent = top_level[-1 - int(rand() * recent)]
                    else:
                        top_level.append(comment_id)
                    body, html = texts[int(rand() * text_count)]
                    hidden = index in hide
                    if not hidden and len(self.comment_ids) < 5000:
                        self.comment_ids.append((comment_id, pid))
                    yield (comment_id, pid, 1 + int(rand() * users), parent, body, html,
                           ALIGNMENTS[int(rand() * 4)], False, hidden,
                           "Lenguaje ofensivo." if hidden else None, times[moment])

        self.sizes.counts["comments"] = self.w.insert(Comment.__table__, (
            "id", "proposal_id", "author_id", "parent_id", "body", "body_html", "alignment",
            "pinned", "hidden", "hidden_reason", "created_at",
        ), self.track(rows(), sizes.comments, "comments"), prepared=("created_at",))


def database_is_empty() -> bool:
    for model in (User, Proposal, Vote, Comment):
        if db.session.scalar(sa.select(sa.func.count()).select_from(model)):
            return False
    return True


def generate(scale: float, echo=print, track: Track | None = None) -> dict:
    """Fill the (empty) database at `scale` (1: 50,000 participants; 10 at most).

    `echo(line)` reports each step's seconds; `track(rows, total, label)` wraps each large
    table's rows (`progress_bar` for a progress bar). Returns {"dataset": {table: rows},
    "seconds": wall seconds, "cpu_seconds": this process's CPU seconds}. Raises
    click.ClickException when the database already holds accounts or content.
    """
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
        gen = Generator(writer, sizes, themes, plan_id, password_hash, track or no_progress)
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
