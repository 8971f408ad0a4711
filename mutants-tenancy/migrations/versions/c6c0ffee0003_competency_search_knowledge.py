"""competencies are found by their savoir-faire too: recompute search_text

Revision ID: c6c0ffee0003
Revises: 0e613cd46977
Create Date: 2026-11-30 19:00:00

Data only: ``framework_competencies.search_text`` held the folded title; it now holds the
folded title and knowledge items (savoir-faire, savoirs). The folding is frozen here (lower
case without accents), as the application computed it when this migration was written.
"""

import json
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "c6c0ffee0003"
down_revision = "b6c0ffee0002"
branch_labels = None
depends_on = None

SELECT = sa.text("SELECT id, title, knowledge FROM framework_competencies")
UPDATE = sa.text("UPDATE framework_competencies SET search_text = :text WHERE id = :id")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _items(knowledge) -> list[str]:
    if isinstance(knowledge, str):
        knowledge = json.loads(knowledge or "{}")
    return [item for values in (knowledge or {}).values() for item in values]


def _recompute(with_knowledge: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("SET LOCAL app.system = 'on'")
    for comp_id, title, knowledge in bind.execute(SELECT).all():
        items = _items(knowledge) if with_knowledge else []
        bind.execute(UPDATE, {"text": _fold("\n".join([title, *items])), "id": comp_id})


def upgrade():
    _recompute(with_knowledge=True)


def downgrade():
    _recompute(with_knowledge=False)
