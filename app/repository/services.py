"""Every rule of the repository: what may be filed, by whom, and withdrawing with a reason.

Verbs flush and never commit; the view commits once. A file is written to the storage after
its row is flushed, so a refused or failed upload leaves neither a row nor a file (a file
whose transaction then fails to commit is removed by `discard_file`).
"""
from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import joinedload
from werkzeug.utils import secure_filename

from app.database import get_or_404
from app.errors import Forbidden, InvalidInput, NotFound
from app.extensions import db
from app.models import ActionPlan, Commitment, Document, Mesa, ModerationAction
from app.models.base import utcnow
from app.models.document import DOCUMENT_TYPES
from app.repository.content import detect
from app.repository.storage import get_storage

MB = 1024 * 1024
PER_PAGE = 50
MAX_PAGE = 10_000
REASON_MIN, REASON_MAX = 10, 2000
_PATHLIKE = re.compile(r"[/\\\x00-\x1f]|(^|\.)\.(\.|$)")


@dataclass
class DocumentFilters:
    """The listing's filters, as given (`plan` is a slug; ids are integers)."""

    type: str | None = None
    plan: str | None = None
    mesa: int | None = None
    commitment: int | None = None
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class DocumentPage:
    items: list[Document]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _int_arg(args, name: str, maximum: int = 2**31 - 1) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > maximum:
        raise InvalidInput(_("El filtro «%(name)s» debe ser un número.", name=name), field=name)
    return int(value)


def parse_filters(args, *, max_per_page: int = 100, default_per_page: int = PER_PAGE,
                  strict: bool = False) -> DocumentFilters:
    """Filters from a query string (`type`, `plan`, `mesa`, `commitment`, `page`,
    `per_page`). InvalidInput (400) for an unknown type or a non-numeric id; when `strict`
    (the API), also for a page below 1 or a per_page outside 1..max_per_page (the pages clamp
    them)."""
    kind = (args.get("type") or "").strip() or None
    if kind is not None and kind not in DOCUMENT_TYPES:
        raise InvalidInput(_("No existe ese tipo de documento."), field="type")
    page = _int_arg(args, "page")
    if page is not None and page > MAX_PAGE or strict and page == 0:
        raise InvalidInput(_("Esa página no existe."), field="page")
    per_page = _int_arg(args, "per_page")
    if strict and per_page is not None and not 1 <= per_page <= max_per_page:
        raise InvalidInput(_("El parámetro %(name)s debe estar entre %(min)d y %(max)d.",
                             name="per_page", min=1, max=max_per_page), field="per_page")
    page = page or 1
    per_page = min(per_page or default_per_page, max_per_page)
    return DocumentFilters(type=kind, plan=(args.get("plan") or "").strip()[:80] or None,
                           mesa=_int_arg(args, "mesa"), commitment=_int_arg(args, "commitment"),
                           page=page, per_page=per_page)


def _public_query(filters: DocumentFilters):
    query = select(Document).where(Document.withdrawn_at.is_(None))
    if filters.type:
        query = query.where(Document.type == filters.type)
    if filters.plan:
        query = query.where(Document.plan_id == select(ActionPlan.id)
                            .where(ActionPlan.slug == filters.plan).scalar_subquery())
    if filters.mesa is not None:
        query = query.where(Document.mesa_id == filters.mesa)
    if filters.commitment is not None:
        query = query.where(Document.commitment_id == filters.commitment)
    return query


def list_documents(filters: DocumentFilters, *, related: bool = True) -> DocumentPage:
    """One page of the public documents, newest first (document date, then filing order),
    with their mesa, commitment and plan loaded when `related` (the page shows them; the
    API needs only the ids). Two queries whatever the number of documents."""
    query = _public_query(filters)
    # Counted on the conditions alone (a count over `SELECT documents.*` as a subquery read
    # every row of the table on SQLite).
    total = db.session.scalar(query.with_only_columns(func.count(Document.id)))
    if related:
        query = query.options(joinedload(Document.mesa).joinedload(Mesa.theme),
                              joinedload(Document.commitment), joinedload(Document.plan))
    items = db.session.scalars(
        query.order_by(Document.document_date.desc(), Document.id.desc())
        .limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    ).all()
    return DocumentPage(list(items), filters.page, filters.per_page, total or 0)


def last_changed() -> datetime | None:
    """When the repository last changed: the latest filing or withdrawal (one query)."""
    filed, withdrawn = db.session.execute(
        select(func.max(Document.created_at), func.max(Document.withdrawn_at))).one()
    present = [value for value in (filed, withdrawn) if value is not None]
    if not present:
        return None
    # SQLite hands aggregates back as naive UTC values (no column type to re-attach it).
    return max(value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)
               for value in present)


# Documents a mesa shows where mesas are listed (/mesas, a commitment's trail): agenda,
# minutes, attendance list. The rest are one link away: /repository?mesa=<id>.
MESA_DOCUMENTS = 3


class MesaDocuments(list):
    """The first public documents of a mesa (a list of Document), and whether it has more."""

    def __init__(self, documents=(), more: bool = False):
        super().__init__(documents)
        self.more = more


def first_documents(owner, ids: list[int], limit: int) -> list[Document]:
    """The `limit` + 1 oldest public documents of each owner in `ids` (`owner` is
    Document.mesa_id or Document.commitment_id), in one query: one `LIMIT` per owner, each
    read from the (owner, withdrawn_at, document_date, id) index, so an owner with thousands
    of documents costs what one with five does. The extra one says there are more."""
    firsts = [select(Document.id).where(owner == owner_id, Document.withdrawn_at.is_(None))
              .order_by(Document.document_date, Document.id).limit(limit + 1).subquery()
              for owner_id in ids]
    if not firsts:
        return []
    chosen = union_all(*(select(first.c.id) for first in firsts))
    return list(db.session.scalars(
        select(Document).where(Document.id.in_(chosen))
        .order_by(Document.document_date, Document.id)))


def documents_by_mesa(mesa_ids, limit: int | None = None) -> dict[int, MesaDocuments]:
    """The first `limit` (MESA_DOCUMENTS) public documents of each of these mesas, by mesa
    id, agenda and minutes first, each list saying whether the mesa has more (one query)."""
    limit = limit or MESA_DOCUMENTS
    found: dict[int, MesaDocuments] = {}
    for document in first_documents(Document.mesa_id, list(mesa_ids), limit):
        assert document.mesa_id is not None  # the query asked for these mesas' documents
        found.setdefault(document.mesa_id, MesaDocuments()).append(document)
    order = {kind: position for position, kind in enumerate(DOCUMENT_TYPES)}
    for documents in found.values():
        documents.more = len(documents) > limit
        del documents[limit:]
        documents.sort(key=lambda document: order[document.type])
    return found


def get_document(document_id: int, user) -> Document:
    """A document `user` may see; NotFound (404) when unknown or withdrawn for them."""
    document = get_or_404(Document, document_id, _("No existe ese documento."))
    if not document.can_view(user):
        raise NotFound(_("No existe ese documento."))
    return document


def upload_choices() -> tuple[list[ActionPlan], list[Mesa], list[Commitment]]:
    """What an upload may be filed under: plans (newest first), mesas, commitments."""
    plans = db.session.scalars(select(ActionPlan).order_by(ActionPlan.id.desc())).all()
    mesas = db.session.scalars(select(Mesa).options(joinedload(Mesa.theme))
                               .order_by(Mesa.starts_at, Mesa.id)).all()
    commitments = db.session.scalars(select(Commitment)
                                     .order_by(Commitment.plan_id, Commitment.number)).all()
    return list(plans), list(mesas), list(commitments)


def safe_filename(filename: str, extension: str) -> str:
    """The name a download gets: the uploaded stem made safe, with the detected extension."""
    stem = secure_filename(filename.rsplit(".", 1)[0] if "." in filename else filename)
    return f"{(stem or 'documento')[:100]}.{extension}"


def _size_of(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(MB), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _plan_for(plan_id: int | None, mesa: Mesa | None, commitment: Commitment | None) -> int:
    plans = {plan for plan in (mesa and mesa.plan_id, commitment and commitment.plan_id)
             if plan}
    if len(plans) > 1:
        raise InvalidInput(_("La mesa y el compromiso son de planes distintos."),
                           field="commitment_id")
    if plans:
        return plans.pop()
    if plan_id is None or db.session.get(ActionPlan, plan_id) is None:
        raise InvalidInput(_("Seleccione el plan de acción del documento."), field="plan_id")
    return plan_id


def upload_document(*, user, stream: BinaryIO | None, filename: str, title: str, type: str,
                    document_date: date, max_bytes: int, plan_id: int | None = None,
                    mesa: Mesa | None = None, commitment: Commitment | None = None) -> Document:
    """File a document: checks who, the name, the size (1 byte to `max_bytes`) and the
    content (app.repository.content), then stores the file under a random name.

    Raises Forbidden (403) for a user who may not file it; InvalidInput (400, with the
    form field) for a bad name, size, type or plan. Nothing is stored when it raises.
    """
    if not Document.can_upload(user, commitment):
        raise Forbidden(_("Solo la mesa técnica puede publicar documentos en el repositorio."))
    if type not in DOCUMENT_TYPES:
        raise InvalidInput(_("Seleccione el tipo de documento."), field="type")
    filename = (filename or "").strip()
    if stream is None or not filename:
        raise InvalidInput(_("Seleccione el archivo que desea publicar."), field="file")
    if _PATHLIKE.search(filename) or len(filename) > 255:
        raise InvalidInput(_("El nombre del archivo no puede incluir carpetas ni caracteres "
                             "de control."), field="file")
    size = _size_of(stream)
    if size == 0:
        raise InvalidInput(_("El archivo está vacío."), field="file")
    if size > max_bytes:
        raise InvalidInput(_("El archivo pesa más de %(mb)d MB.", mb=max_bytes // MB),
                           field="file")
    kind = detect(stream)
    if kind is None:
        raise InvalidInput(_("Solo se aceptan archivos PDF, ODT, ODS, DOCX, XLSX, CSV, PNG o "
                             "JPEG, reconocidos por su contenido."), field="file")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(_("Escriba un título de hasta 200 caracteres."), field="title")
    document = Document(
        plan_id=_plan_for(plan_id, mesa, commitment), mesa_id=mesa.id if mesa else None,
        commitment_id=commitment.id if commitment else None, title=title, type=type,
        document_date=document_date, original_filename=safe_filename(filename, kind.extension),
        stored_name=secrets.token_urlsafe(24), size=size, content_type=kind.content_type,
        sha256=_sha256(stream), uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    get_storage().save(document.stored_name, stream)
    return document


def discard_file(document: Document) -> None:
    """Remove the stored file of a document whose transaction did not commit."""
    get_storage().delete(document.stored_name)


def withdraw_document(document: Document, user, reason: str) -> ModerationAction:
    """Withdraw a document from the public repository, with a public reason.

    The row and the file are kept (the record of what was published); the public gets 404.
    The withdrawal is logged in the public moderation log. Forbidden (403) for a
    non-moderator or an already withdrawn document.
    InvalidInput (400, field `reason`) for a reason under 10 or over 2,000 characters.
    """
    if not document.can_withdraw(user):
        raise Forbidden(_("No puede retirar este documento."))
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise InvalidInput(_("Explique el motivo en %(min)d a %(max)d caracteres.",
                             min=REASON_MIN, max=REASON_MAX), field="reason")
    document.withdrawn_at = utcnow()
    document.withdrawn_by_id = user.id
    document.withdrawn_reason = reason
    action = ModerationAction(moderator_id=user.id, action="withdraw_document",
                              target_type="document", target_id=document.id, reason=reason,
                              public=True)
    db.session.add(action)
    db.session.flush()
    return action
