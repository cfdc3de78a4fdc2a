"""Comments: post, reply (one level), edit within 15 minutes, soft delete, pin an official answer.

A comment belongs to a proposal or to a commitment of the plan (its "owner"); consultation
comments on commitments use these same verbs (app/consultation/services.py adds the window
and the dispositions). Only proposals keep a stored count.

`proposals.comment_count` counts the comments the public can read: not hidden by the
moderation, not deleted by their author (app/proposals/counters.py). It only changes by an
atomic `comment_count ± 1` next to the row change that justifies it: posting, deleting a
visible comment, hiding or restoring one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import mail
from app.database import MAX_ID, get_or_404
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.models import Comment, Commitment, ProgressUpdate, Proposal, User
from app.models.base import utcnow
from app.models.participation import ALIGNMENTS, CommentRules
from app.plans.services import check_accepts_participation
from app.proposals.counters import bump_counter
from app.text import render_markdown

BODY_MAX = 5000


@dataclass(frozen=True, slots=True)
class CommentAuthor:
    """What a comment shows of its author."""
    id: int
    display_name: str
    role: str
    institution: str | None
    organization: str | None

    @property
    def is_public_servant(self) -> bool:
        return self.role == "public_servant"


@dataclass(frozen=True)
class CommentView(CommentRules):
    """A comment as a thread page shows it: a plain row with the same rules as the model.
    Reading a hundred rows this way costs a third of building ORM objects."""
    id: int
    proposal_id: int | None
    commitment_id: int | None
    author_id: int
    parent_id: int | None
    body_html: str
    alignment: str
    pinned: bool
    hidden: bool
    hidden_reason: str | None
    deleted_at: datetime | None
    created_at: datetime
    edited_at: datetime | None
    disposition: str | None
    disposition_response_html: str | None
    disposition_at: datetime | None
    author: CommentAuthor


_VIEW_COLUMNS = (Comment.id, Comment.proposal_id, Comment.commitment_id, Comment.author_id,
                 Comment.parent_id, Comment.body_html, Comment.alignment, Comment.pinned,
                 Comment.hidden, Comment.hidden_reason, Comment.deleted_at, Comment.created_at,
                 Comment.edited_at, Comment.disposition, Comment.disposition_response_html,
                 Comment.disposition_at)
_AUTHOR_COLUMNS = (User.id, User.display_name, User.role, User.institution, User.organization)


@dataclass
class ThreadItem:
    comment: CommentView
    replies: list[CommentView] = field(default_factory=list)


class ThreadPage(list):
    """One page of a thread (a list of ThreadItem) and where the other pages are."""

    def __init__(self, items, page: int = 1, has_older: bool = False):
        super().__init__(items)
        self.page = page
        self.has_older = has_older
        self.has_newer = page > 1


Owner = Proposal | Commitment | ProgressUpdate


def owned_by(owner: Owner) -> sa.ColumnElement[bool]:
    """The condition selecting the comments of `owner` (a proposal, a commitment or a
    progress update)."""
    if isinstance(owner, Commitment):
        return Comment.commitment_id == owner.id
    if isinstance(owner, ProgressUpdate):
        return Comment.update_id == owner.id
    return Comment.proposal_id == owner.id


def _owner_key(owner: Owner) -> dict:
    if isinstance(owner, Commitment):
        return {"commitment_id": owner.id}
    if isinstance(owner, ProgressUpdate):
        return {"update_id": owner.id}
    return {"proposal_id": owner.id}


def _no_parent(owner: Owner) -> sa.ColumnElement[bool]:
    """`parent_id IS NULL`, for the thread's top-level comments.

    For a commitment, SQLite (which keeps no statistics) read the page's newest comments
    through ix_comments_parent, that is every top-level comment of the site (150 ms at
    200,000 comments), rather than the commitment's partial index (0.3 ms). `parent_id + 0`
    is the same test with no index of its own, so the owner's index is the only candidate.
    Proposals keep the plain test: their index is chosen on both databases."""
    if isinstance(owner, Proposal):
        return Comment.parent_id.is_(None)
    return (Comment.parent_id + sa.literal_column("0")).is_(None)


def thread(owner: Owner, page: int = 1, per_page: int | None = None) -> ThreadPage:
    """A page of the comments of `owner` (a proposal or a commitment) with their authors, in
    one query.

    Page 1 holds the pinned answer first, then the `per_page` most recent top-level comments
    (oldest first, as a conversation reads), each with all its replies; page 2 the
    `per_page` before those, and so on. Without `per_page`, the whole thread."""
    top_level = sa.and_(owned_by(owner), _no_parent(owner))
    statement = (sa.select(*_VIEW_COLUMNS, *_AUTHOR_COLUMNS)
                 .join(User, User.id == Comment.author_id)
                 .order_by(Comment.created_at, Comment.id))
    if per_page:
        # The page's top-level comments, one more than a page (its presence says older ones
        # exist), and on page 1 the pinned answer; replies go with their parent (one level).
        # Read by id and by parent (two index lookups each), never by testing every comment
        # of the thread: a thread of thousands costs what one of a hundred does.
        newest = (sa.select(Comment.id).where(top_level, Comment.pinned.is_(False))
                  .order_by(Comment.created_at.desc(), Comment.id.desc())
                  .limit(per_page + 1).offset((page - 1) * per_page).subquery())
        pages = [sa.select(newest.c.id)]
        if page == 1 and isinstance(owner, Proposal):
            # Only proposals have a pinned answer. Written as the partial unique index's own
            # condition, so both databases read that index (one entry) rather than the thread.
            pages.append(sa.select(Comment.id).where(Comment.proposal_id == owner.id,
                                                     sa.text("comments.pinned")))
        tops = sa.union_all(*pages).subquery()
        replies = sa.select(Comment.id).where(Comment.parent_id.in_(sa.select(tops.c.id)))
        # One set of ids, the page's and their replies': read through the primary key
        # (an OR of two IN tests made PostgreSQL scan the whole table).
        statement = statement.where(Comment.id.in_(
            sa.union_all(sa.select(tops.c.id), replies)))
    else:
        statement = statement.where(owned_by(owner))
    split = len(_VIEW_COLUMNS)
    comments = [CommentView(*row[:split], author=CommentAuthor(*row[split:]))
                for row in db.session.execute(statement)]
    items: dict[int, ThreadItem] = {}
    orphans: list[CommentView] = []
    for comment in comments:
        if comment.parent_id is None:
            items[comment.id] = ThreadItem(comment)
        elif comment.parent_id in items:
            items[comment.parent_id].replies.append(comment)
        else:
            orphans.append(comment)
    for comment in orphans:  # a parent newer than its reply cannot happen, but never lose one
        items.setdefault(comment.parent_id, ThreadItem(comment)).replies.append(comment)
    ordered = sorted(items.values(), key=lambda item: not item.comment.pinned)
    has_older = False
    if per_page:
        unpinned = [item for item in ordered if not item.comment.pinned]
        if len(unpinned) > per_page:  # the extra, oldest ones belong to the next page
            has_older = True
            for item in unpinned[:len(unpinned) - per_page]:
                ordered.remove(item)
    return ThreadPage(ordered, page, has_older)


def _clean_body(body: str | None) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise InvalidInput(_("Escriba su comentario."), field="body")
    if len(body) > BODY_MAX:
        raise InvalidInput(_("El comentario puede tener hasta %(max)d caracteres.", max=BODY_MAX),
                           field="body")
    return body


def _clean_alignment(alignment: str | None) -> str:
    alignment = alignment or "neutral"
    if alignment not in ALIGNMENTS:
        raise InvalidInput(_("Indique si está a favor, en contra o neutral."), field="alignment")
    return alignment


def check_account_can_comment(user: User) -> None:
    """Forbidden unless `user` is signed in and may take part (confirmed, not blocked)."""
    require = current_app.config.get("REQUIRE_EMAIL_CONFIRMATION", False)
    if not (user and user.is_authenticated):
        raise Forbidden(_("Inicie sesión para comentar."))
    if not user.can_participate(require):
        if user.is_active and not user.is_blocked:
            raise Forbidden(_("Confirme su correo electrónico para comentar."))
        raise Forbidden(_("Su cuenta no puede comentar."))


def _check_can_comment(user: User, proposal: Proposal) -> None:
    check_account_can_comment(user)
    if proposal.hidden:
        raise Conflict(_("Esta propuesta fue ocultada por la moderación y no admite comentarios."))
    check_accepts_participation(proposal.theme.plan)
    if proposal.status != "open":
        raise Conflict(_("Los comentarios de esta propuesta están cerrados: ya no está abierta."))


def comment_refusal(user: User, proposal: Proposal) -> str | None:
    try:
        _check_can_comment(user, proposal)
    except (Forbidden, Conflict) as error:
        return error.message
    return None


def _parent(owner: Owner, parent_id) -> Comment | None:
    if parent_id in (None, ""):
        return None
    try:
        parent_id = int(parent_id)
        if not 0 < parent_id <= MAX_ID:
            raise ValueError(parent_id)
    except (TypeError, ValueError):
        raise InvalidInput(_("El comentario al que responde no existe."),
                           field="parent_id") from None
    parent = db.session.get(Comment, parent_id)
    key = _owner_key(owner)
    if parent is None or any(getattr(parent, name) != value for name, value in key.items()):
        raise InvalidInput(_("El comentario al que responde no existe."), field="parent_id")
    if parent.parent_id is not None:
        # One level of replies: answering a reply joins the same conversation.
        parent = db.session.get(Comment, parent.parent_id)
    if not parent.is_visible:
        raise Conflict(_("Ese comentario ya no admite respuestas."))
    return parent


def post_comment(user: User, proposal: Proposal, body: str | None, parent_id=None,
                 alignment: str | None = None) -> Comment:
    """Add a comment or a reply, count it, and queue the notices."""
    _check_can_comment(user, proposal)
    comment = add_comment(user, proposal, body, parent_id, alignment)
    mail.notify_new_comment(comment, proposal)
    return comment


def add_comment(user: User, owner: Owner, body: str | None, parent_id=None,
                alignment: str | None = None) -> Comment:
    """Insert a comment or a reply on `owner` once the caller has checked who may comment;
    a proposal's stored count moves with it. InvalidInput (field `body`, `alignment`,
    `parent_id`) for bad input, Conflict for a reply to a hidden or deleted comment."""
    body = _clean_body(body)
    alignment = _clean_alignment(alignment)
    parent = _parent(owner, parent_id)
    comment = Comment(
        **_owner_key(owner), author_id=user.id, author=user,
        parent_id=parent.id if parent else None, body=body, body_html=render_markdown(body),
        alignment=alignment, created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    if isinstance(owner, Proposal):
        bump_counter(Proposal.__table__.c.comment_count, owner, 1)
    return comment


def get_comment(comment_id: int) -> Comment:
    return get_or_404(Comment, comment_id, _("Ese comentario no existe."))


def visible_comment(comment_id: int, user) -> Comment:
    """The comment, when `user` may see the proposal it belongs to; NotFound otherwise (a
    comment of a hidden proposal answers 404 like the proposal itself). A commitment of the
    plan is public: its consultation comments are always reachable."""
    comment = get_comment(comment_id)
    if comment.proposal_id is None:  # on a commitment or a progress update: public
        return comment
    proposal = db.session.get(Proposal, comment.proposal_id)
    if proposal is None or not proposal.can_view(user):
        raise NotFound(_("Ese comentario no existe."))
    return comment


def edit_comment(user: User, comment: Comment, body: str | None,
                 alignment: str | None = None) -> Comment:
    """Its author may correct a comment during the first 15 minutes."""
    if not comment.can_edit(user):
        raise Forbidden(_("Solo su autor puede editar un comentario, durante los primeros "
                          "%(minutes)d minutos.", minutes=Comment.EDIT_WINDOW_MINUTES))
    if comment.proposal_id is not None:
        proposal = db.session.get(Proposal, comment.proposal_id)
        if proposal.status != "open":
            raise Conflict(_("Los comentarios de esta propuesta están cerrados: "
                             "ya no está abierta."))
    comment.body = _clean_body(body)
    comment.body_html = render_markdown(comment.body)
    if alignment is not None:
        comment.alignment = _clean_alignment(alignment)
    comment.edited_at = utcnow()
    return comment


def delete_comment(user: User, comment: Comment) -> None:
    """Soft delete by its author: the thread keeps a placeholder, replies stay."""
    if not comment.can_delete(user):
        raise Forbidden(_("Solo su autor puede eliminar este comentario."))
    table = Comment.__table__
    deleted = db.session.execute(
        sa.update(table).where(table.c.id == comment.id, table.c.deleted_at.is_(None))
        .values(deleted_at=utcnow(), pinned=False).returning(table.c.hidden)
    ).first()
    db.session.refresh(comment)
    if deleted is not None and not deleted.hidden and comment.proposal_id is not None:
        # a hidden comment was not counted; commitments keep no count
        proposal = db.session.get(Proposal, comment.proposal_id)
        bump_counter(Proposal.__table__.c.comment_count, proposal, -1)


def pin_comment(user: User, comment: Comment) -> bool:
    """Mark `comment` as the proposal's official answer (or unmark it); returns its new state."""
    if not (user and user.is_authenticated and user.is_moderator):
        raise Forbidden(_("Solo la moderación puede destacar la respuesta oficial."))
    if not comment.can_pin(user):
        raise Conflict(_("Solo un comentario visible, no una respuesta, puede ser la "
                         "respuesta oficial."))
    table = Comment.__table__
    pin = not comment.pinned
    db.session.execute(
        sa.update(table).where(table.c.proposal_id == comment.proposal_id, table.c.pinned)
        .values(pinned=False)
    )
    if pin:
        db.session.execute(sa.update(table).where(table.c.id == comment.id).values(pinned=True))
    db.session.expire_all()
    return pin
