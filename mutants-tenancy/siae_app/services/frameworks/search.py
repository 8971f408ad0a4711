"""Search across competencies (title and savoir-faire) and criteria, ignoring accents and case."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Competency, Criterion, Framework
from siae_app.services import ServiceError
from siae_app.services.frameworks.queries import current_frameworks_query

MIN_WORD = 2
MAX_QUERY = 100
TOO_SHORT = f"Tapez au moins {MIN_WORD} caractères."
CONTROL_MESSAGE = "La recherche contient des caractères invisibles non autorisés ; retapez-la."


def fold(text: str) -> str:
    """Lower case without accents, for search that ignores é/e and É/é."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def competency_search_text(title: str, knowledge: dict[str, list[str]] | None) -> str:
    """What a competency is found by: its title and its savoir-faire and savoirs, folded."""
    items = [item for values in (knowledge or {}).values() for item in values]
    return fold("\n".join([title, *items]))


def query_words(query: str) -> list[str]:
    """The words searched for; a French error when the query cannot be searched."""
    if any(ord(c) < 32 or ord(c) == 127 for c in query):
        raise ServiceError(CONTROL_MESSAGE, field="q")
    words = [w for w in fold(query).split() if len(w) >= MIN_WORD][:6]
    if not words:
        raise ServiceError(TOO_SHORT, field="q")
    return words


@dataclass
class Results:
    query: str = ""
    error: str | None = None
    competencies: list[Competency] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def matching_knowledge(self, comp: Competency) -> list[str]:
        """The savoir-faire of ``comp`` that contain a searched word (why it was found)."""
        items = [item for values in (comp.knowledge or {}).values() for item in values]
        return [item for item in items if any(w in fold(item) for w in self.words)][:3]

    @property
    def ambiguous_titles(self) -> set[str]:
        """Titles of which several versions are in the results: show their version numbers."""
        seen: dict[str, set] = {}
        frameworks = [c.framework for c in self.competencies] + [
            k.competency.framework for k in self.criteria
        ]
        for fw in frameworks:
            seen.setdefault(fw.title, set()).add(fw.id)
        return {title for title, ids in seen.items() if len(ids) > 1}


def _in_scope(stmt, framework_id: uuid.UUID | None, include_old: bool):
    if framework_id is not None:
        return stmt.where(Framework.id == framework_id)
    if include_old:
        return stmt
    current = current_frameworks_query().with_only_columns(Framework.id)
    return stmt.where(Framework.id.in_(current))


def search(
    session: Session,
    query: str,
    framework_id: uuid.UUID | None = None,
    limit: int = 40,
    include_old: bool = False,
) -> Results:
    """Competencies and criteria whose text contains every word of ``query``; current
    versions only unless ``include_old`` (or a framework is named)."""
    query = query.strip()[:MAX_QUERY]
    results = Results(query=query)
    if not query:
        return results
    try:
        results.words = query_words(query)
    except ServiceError as exc:
        results.error = exc.message
        return results
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
    for w in results.words:
        like = f"%{w}%"
        comp_stmt = comp_stmt.where(Competency.search_text.like(like))
        crit_stmt = crit_stmt.where(Criterion.search_text.like(like))
    comp_stmt = _in_scope(comp_stmt, framework_id, include_old)
    crit_stmt = _in_scope(crit_stmt, framework_id, include_old)
    results.competencies = list(
        session.scalars(comp_stmt.order_by(Framework.title, Competency.position).limit(limit))
    )
    results.criteria = list(
        session.scalars(
            crit_stmt.order_by(Framework.title, Competency.position, Criterion.position).limit(
                limit
            )
        )
    )
    return results
