"""Search across competencies and criteria, ignoring accents and case."""

from __future__ import annotations

import unicodedata
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Competency, Criterion, Framework


def fold(text: str) -> str:
    """Lower case without accents, for search that ignores é/e and É/é."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(session: Session, query: str, framework_id: uuid.UUID | None = None, limit: int = 40):
    """Competencies and criteria whose text contains every word of ``query``."""
    words = [w for w in fold(query).split() if len(w) >= 2][:6]
    if not words:
        return [], []
    comp_stmt = (
        select(Competency)
        .join(Framework, Framework.id == Competency.framework_id)
        .where(Framework.is_archived.is_(False), Competency.is_archived.is_(False))
        .options(selectinload(Competency.framework))
    )
    crit_stmt = (
        select(Criterion)
        .join(Competency, Competency.id == Criterion.competency_id)
        .join(Framework, Framework.id == Criterion.framework_id)
        .where(Framework.is_archived.is_(False), Criterion.is_archived.is_(False))
        .options(selectinload(Criterion.competency).selectinload(Competency.framework))
    )
    for w in words:
        like = f"%{w}%"
        comp_stmt = comp_stmt.where(Competency.search_text.like(like))
        crit_stmt = crit_stmt.where(Criterion.search_text.like(like))
    if framework_id is not None:
        comp_stmt = comp_stmt.where(Competency.framework_id == framework_id)
        crit_stmt = crit_stmt.where(Criterion.framework_id == framework_id)
    comps = session.scalars(
        comp_stmt.order_by(Framework.title, Competency.position).limit(limit)
    ).all()
    crits = session.scalars(
        crit_stmt.order_by(Framework.title, Competency.position, Criterion.position).limit(limit)
    ).all()
    return list(comps), list(crits)
