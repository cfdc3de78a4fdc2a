"""The benchmark dataset's moderation and plan: decisions with reasoned responses, hidden
proposals, flags, the moderation log and a plan of 40 commitments with milestones."""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from app.cli.bulk import BulkWriter
from app.datasets.bench_texts import (
    ACTIONS,
    ALIGNMENTS,
    CAUSES,
    COMMENT_TEXTS,
    CONTRIBUTIONS,
    DESCRIPTIONS,
    FLAG_REASONS,
    OBJECTS,
    PROBLEMS,
    RESPONSES,
)
from app.models import (
    Comment,
    Commitment,
    Consultation,
    Flag,
    Milestone,
    ModerationAction,
    PlanVersion,
)
from app.models.plan import OGP_VALUES, commitment_sources
from app.text import render_markdown

COMMITMENTS = 40
CONSULTATION_COMMENTS = 500  # on commitment 1 (the commitment page's benchmark)
MODERATORS = 5


class PlanRows:
    """The Generator's moderation and plan tables (a mixin: it shares the writer, the
    random generator and the sizes)."""

    # Set by the Generator (app/datasets/bench.py) before these steps run.
    w: BulkWriter
    sizes: Any
    rng: random.Random
    now: datetime
    plan_id: int
    tracked_plan_id: int
    tracked_theme_ids: list[int]
    proposal_theme: dict[int, int]
    vote_counts: list[int]
    comment_ids: list[tuple[int, int]]
    status: dict[int, str]
    accepted: list[int]
    hidden: set[int]

    def when(self) -> datetime:  # the Generator's pool of timestamps
        raise NotImplementedError

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

        actions: list[tuple] = []
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
        commitments: list[tuple] = []
        milestones: list[tuple] = []
        sources: list[tuple[int, int]] = []
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
        """/tracking's benchmark data (app/tracking/bench_data.py): the previous plan's
        commitments, stewards and progress updates."""
        from app.tracking.bench_data import add_tracking

        self.sizes.counts.update(add_tracking(
            self.w, self.rng, self.tracked_plan_id, self.tracked_theme_ids, self.now,
            MODERATORS, first_commitment=COMMITMENTS + 1))
