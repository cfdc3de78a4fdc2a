"""Every model, imported here so Alembic and the app see the whole schema."""
from app.models.document import Document
from app.models.mesa import Mesa, MesaRegistration
from app.models.moderation import Flag, ModerationAction
from app.models.participation import Comment, Vote
from app.models.plan import ActionPlan, Commitment, Milestone, PlanPhase, PlanVersion, Theme
from app.models.proposal import Proposal, ProposalRevision
from app.models.security import AccountNotice, UsedFormStamp
from app.models.user import User
from app.models.user_session import UserSession

__all__ = [
    "ActionPlan", "Comment", "Commitment", "Document", "Flag", "Mesa", "MesaRegistration",
    "Milestone", "ModerationAction", "PlanPhase", "PlanVersion", "Proposal", "ProposalRevision",
    "Theme", "User", "UserSession", "Vote", "AccountNotice", "UsedFormStamp",
]
