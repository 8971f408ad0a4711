"""Editing a structure's own framework by hand: titles, blocks, competencies, criteria."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from siae_app.models import Block, Competency, Criterion, Framework
from siae_app.services import ServiceError
from siae_app.services.frameworks.search import competency_search_text, fold

READ_ONLY = "Un REAC importé est en lecture seule : utilisez « Dupliquer » pour le modifier."


def _title(value: str, what: str, limit: int = 300) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"{what} est obligatoire.", field="title")
    if len(value) > limit:
        raise ServiceError(f"{what} ne doit pas dépasser {limit} caractères.", field="title")
    return value


def ensure_editable(fw: Framework) -> None:
    if fw.is_read_only:
        raise ServiceError(READ_ONLY)


def create_framework(session: Session, title: str, description: str | None) -> Framework:
    fw = Framework(
        title=_title(title, "Le titre"),
        description=(description or "").strip() or None,
        source="structure",
        family_key=f"own:{uuid.uuid4()}",
        version_number=1,
    )
    session.add(fw)
    session.flush()
    return fw


def update_framework(session: Session, fw: Framework, title: str, description: str | None):
    ensure_editable(fw)
    fw.title = _title(title, "Le titre")
    fw.description = (description or "").strip() or None
    session.flush()


def add_block(session: Session, fw: Framework, title: str, description: str | None) -> Block:
    ensure_editable(fw)
    block = Block(
        structure_id=fw.structure_id,
        framework=fw,
        position=1 + max((b.position for b in fw.blocks), default=-1),
        number=1 + len(fw.blocks),
        kind="activity",
        title=_title(title, "L'intitulé du bloc", 500),
        description=(description or "").strip() or None,
    )
    session.add(block)
    session.flush()
    return block


def update_block(session: Session, block: Block, title: str, description: str | None) -> None:
    ensure_editable(block.framework)
    block.title = _title(title, "L'intitulé du bloc", 500)
    block.description = (description or "").strip() or None
    session.flush()


def add_competency(
    session: Session, fw: Framework, block: Block | None, title: str, description: str | None
) -> Competency:
    ensure_editable(fw)
    if block is not None and block.framework_id != fw.id:
        raise ServiceError("Ce bloc n'appartient pas à ce référentiel.")
    title = _title(title, "L'intitulé de la compétence", 500)
    comp = Competency(
        structure_id=fw.structure_id,
        framework=fw,
        block=block,
        position=1 + max((c.position for c in fw.competencies), default=-1),
        kind="professional" if block is not None else "transversal",
        title=title,
        description=(description or "").strip() or None,
        knowledge={},
        search_text=competency_search_text(title, {}),
    )
    session.add(comp)
    session.flush()
    return comp


def update_competency(
    session: Session, comp: Competency, title: str, description: str | None
) -> None:
    ensure_editable(comp.framework)
    comp.title = _title(title, "L'intitulé de la compétence", 500)
    comp.description = (description or "").strip() or None
    comp.search_text = competency_search_text(comp.title, comp.knowledge)
    session.flush()


def add_criterion(session: Session, comp: Competency, text: str) -> Criterion:
    ensure_editable(comp.framework)
    text = _title(text, "Le critère", 2000)
    crit = Criterion(
        structure_id=comp.structure_id,
        framework_id=comp.framework_id,
        position=1 + max((c.position for c in comp.criteria), default=-1),
        text=text,
        search_text=fold(text),
    )
    comp.criteria.append(crit)
    session.flush()
    return crit


def update_criterion(session: Session, crit: Criterion, text: str) -> None:
    ensure_editable(crit.competency.framework)
    crit.text = _title(text, "Le critère", 2000)
    crit.search_text = fold(crit.text)
    session.flush()


def _siblings(obj) -> list:
    if isinstance(obj, Block):
        return list(obj.framework.blocks)
    if isinstance(obj, Competency):
        return [c for c in obj.framework.competencies if c.block_id == obj.block_id]
    return list(obj.competency.criteria)


def _framework_of(obj) -> Framework:
    if isinstance(obj, Framework):
        return obj
    if isinstance(obj, Criterion):
        return obj.competency.framework
    return obj.framework


def move(session: Session, obj, direction: str) -> None:
    """Swap with the previous or next sibling."""
    ensure_editable(_framework_of(obj))
    if direction not in ("up", "down"):
        raise ServiceError("Direction inconnue.")
    siblings = sorted(_siblings(obj), key=lambda o: o.position)
    i = siblings.index(obj)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        other = siblings[j]
        obj.position, other.position = other.position, obj.position
        if obj.position == other.position:  # positions were equal: renumber all
            siblings[i], siblings[j] = siblings[j], siblings[i]
            for k, sib in enumerate(siblings):
                sib.position = k
    session.flush()


def set_archived(session: Session, obj, archived: bool) -> None:
    """Archive (hide from new grids) without deleting: later records may point at it."""
    if not isinstance(obj, Framework):
        ensure_editable(_framework_of(obj))
    obj.is_archived = archived
    session.flush()
