"""The benchmark dataset's moderation and plan: decisions with reasoned responses, hidden
proposals, flags, the moderation log and a plan of 40 commitments with milestones."""
from __future__ import annotations

import json
import random
from datetime import datetime
from typing import Any

from app.cli.bulk import BulkWriter
from app.datasets.bench_texts import (
    ACTIONS,
    CAUSES,
    CONTRIBUTIONS,
    DESCRIPTIONS,
    FLAG_REASONS,
    OBJECTS,
    PROBLEMS,
    RESPONSES,
)
from app.models import Commitment, Flag, Milestone, ModerationAction
from app.models.plan import OGP_VALUES, commitment_sources

COMMITMENTS = 40
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


def publish_first_version(plan_id: int, moderator_id: int) -> None:
    """Publish the draft as version 1 and revise one commitment since, as a technical table
    does: /plan then shows its versions and what changed (the page's full path)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import ActionPlan, User
    from app.plan.services import publish_version

    plan = db.session.get(ActionPlan, plan_id)
    moderator = db.session.get(User, moderator_id)
    if plan is None or moderator is None:
        return
    publish_version(plan, moderator, "Borrador v1")
    table = Commitment.__table__
    db.session.execute(sa.update(table).where(table.c.plan_id == plan_id, table.c.number == 1)
                       .values(title=table.c.title + " (revisado)"))
    db.session.commit()
