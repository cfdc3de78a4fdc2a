"""The commitment page's implementation section (the page itself is rendered by
app/consultation/views.py; the tracking views re-render it on bad input)."""
from __future__ import annotations

from flask_login import current_user

from app.tracking import queries
from app.tracking.forms import StewardForm, update_form_for
from app.tracking.labels import MILESTONE_STATUS_LABELS
from app.urls import page_arg


def page_context(commitment, update_form=None, steward_form=None) -> dict:
    """What the commitment page shows of its implementation (app/consultation/views.py
    renders the page): the timeline, stewards, following, and the forms the reader may use.
    Five queries at most (follows, the timeline's four), whatever the number of updates."""
    from app.tracking.completion import commitment_completion

    milestones = commitment.milestones
    reporting = commitment.can_report(current_user)
    followers, following = queries.follow_state(commitment.id, current_user)
    return {
        "tracking": {
            "completion": commitment_completion(commitment),
            "done": sum(m.status == "completed" for m in milestones),
            "counted": sum(m.status != "withdrawn" for m in milestones),
            "today": queries.local_today(),
            "timeline": queries.timeline(commitment, page_arg("updates_page", 10_000)),
            "stewards": queries.stewards_of(commitment),
            "following": following,
            "followers": followers,
            "takes_updates": commitment.plan.takes_progress_updates(),
        },
        "update_form": update_form or (
            update_form_for(commitment, MILESTONE_STATUS_LABELS, formdata=None)
            if reporting else None),
        "steward_form": steward_form or (StewardForm(formdata=None)
                                         if current_user.is_authenticated
                                         and current_user.is_admin else None),
    }
