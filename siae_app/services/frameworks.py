"""Competence frameworks: save a parsed tree, versions, editing, duplication, search."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.importers import (
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)
from siae_app.importers.framework_format import from_json_dict, to_json_dict
from siae_app.models import (
    Block,
    Competency,
    Criterion,
    Framework,
    FrameworkImport,
    Membership,
)
from siae_app.services import ServiceError

READ_ONLY = "Un REAC importé est en lecture seule : utilisez « Dupliquer » pour le modifier."
DRAFT_LIFETIME = timedelta(hours=24)


def fold(text: str) -> str:
    """Lower case without accents, for search that ignores é/e and É/é."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _competency(fw: Framework, block: Block | None, pc: ParsedCompetency, pos: int):
    comp = Competency(
        structure_id=fw.structure_id,
        framework=fw,
        block=block,
        position=pos,
        number=pc.number,
        kind=pc.kind,
        title=pc.title,
        description=pc.description or None,
        knowledge={k: list(v) for k, v in (pc.knowledge or {}).items() if v},
        search_text=fold(pc.title),
    )
    comp.criteria = [
        Criterion(
            structure_id=fw.structure_id,
            framework_id=fw.id,
            position=i,
            text=c.text,
            search_text=fold(c.text),
        )
        for i, c in enumerate(pc.criteria)
    ]
    return comp


def reac_family(parsed: ParsedFramework) -> str:
    """Versions of one titre share this key: its code (TP-xxxxx), else its folded title."""
    return parsed.code or f"reac:{fold(parsed.title)[:70]}"


def _next_version(session: Session, family_key: str) -> int:
    current = session.scalar(
        select(func.max(Framework.version_number)).where(Framework.family_key == family_key)
    )
    return (current or 0) + 1


def save_parsed(
    session: Session,
    parsed: ParsedFramework,
    *,
    source: str,
    filename: str | None = None,
    title: str | None = None,
) -> Framework:
    """Store a parsed tree as a framework; a REAC of a titre already held becomes a new version."""
    family_key = reac_family(parsed) if source == "reac" else f"own:{uuid.uuid4()}"
    fw = Framework(
        title=title or parsed.title,
        source=source,
        family_key=family_key,
        version_number=_next_version(session, family_key),
        acronym=parsed.acronym,
        code=parsed.code,
        level=parsed.level,
        vintage=parsed.version,
        validated_on=parsed.validated_on,
        updated_on=parsed.updated_on,
        source_filename=filename,
        import_warnings=list(parsed.warnings),
    )
    session.add(fw)
    session.flush()  # the framework's id and structure before its children
    position = 0
    for b_pos, pb in enumerate(parsed.blocks):
        block = Block(
            structure_id=fw.structure_id,
            framework=fw,
            position=b_pos,
            number=pb.number,
            kind=pb.kind,
            title=pb.title,
            description=pb.description or None,
        )
        session.add(block)
        for pc in pb.competencies:
            session.add(_competency(fw, block, pc, position))
            position += 1
    for pc in parsed.transversal:
        session.add(_competency(fw, None, pc, position))
        position += 1
    session.flush()
    return fw


def tree_query():
    """Frameworks with blocks, competencies and criteria loaded in three more queries."""
    return select(Framework).options(
        selectinload(Framework.blocks),
        selectinload(Framework.competencies).selectinload(Competency.criteria),
    )


def to_parsed(fw: Framework, include_archived: bool = False) -> ParsedFramework:
    """The framework as the exchange tree (export, duplication); numbers filled in order."""

    def keep(obj) -> bool:
        return include_archived or not obj.is_archived

    def as_parsed(comp: Competency, number: int | None) -> ParsedCompetency:
        return ParsedCompetency(
            number=number,
            title=comp.title,
            kind=comp.kind,
            criteria=[ParsedCriterion(text=c.text) for c in comp.criteria if keep(c)],
            description=comp.description or "",
            knowledge={k: list(v) for k, v in (comp.knowledge or {}).items()},
        )

    blocks: list[ParsedBlock] = []
    n_comp = 0
    by_block: dict[uuid.UUID | None, list[Competency]] = {}
    for comp in fw.competencies:
        if keep(comp):
            by_block.setdefault(comp.block_id, []).append(comp)
    for i, block in enumerate(b for b in fw.blocks if keep(b)):
        comps = []
        for comp in by_block.get(block.id, []):
            n_comp += 1
            comps.append(as_parsed(comp, comp.number if fw.is_read_only else n_comp))
        blocks.append(
            ParsedBlock(
                number=block.number if fw.is_read_only and block.number else i + 1,
                title=block.title,
                kind=block.kind,
                competencies=comps,
                description=block.description or "",
            )
        )
    transversal = [
        as_parsed(c, c.number if fw.is_read_only else i + 1)
        for i, c in enumerate(by_block.get(None, []))
    ]
    return ParsedFramework(
        title=fw.title,
        acronym=fw.acronym,
        code=fw.code,
        level=fw.level,
        version=fw.vintage,
        validated_on=fw.validated_on,
        updated_on=fw.updated_on,
        blocks=blocks,
        transversal=transversal,
        warnings=[],
    )


def duplicate(session: Session, fw: Framework) -> Framework:
    """An editable copy (the structure's own), e.g. to adapt an imported REAC."""
    copy = save_parsed(session, to_parsed(fw), source="structure", title=f"{fw.title} (copie)")
    copy.description = fw.description
    session.flush()
    return copy


def versions(session: Session, fw: Framework) -> list[Framework]:
    return list(
        session.scalars(
            select(Framework)
            .where(Framework.family_key == fw.family_key)
            .order_by(Framework.version_number.desc())
        )
    )


# ----------------------------------------------------------------- writing by hand


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
        search_text=fold(title),
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
    comp.search_text = fold(comp.title)
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


# ----------------------------------------------------------------------- search


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


# ---------------------------------------------------------------- import drafts


def create_import(
    session: Session, membership: Membership, filename: str, source: str, parsed
) -> FrameworkImport:
    purge_old_imports(session)
    draft = FrameworkImport(
        membership_id=membership.id,
        filename=filename[:255],
        source=source,
        payload=to_json_dict(parsed),  # the exchange format keeps the warnings too
    )
    session.add(draft)
    session.flush()
    return draft


def draft_tree(draft: FrameworkImport) -> ParsedFramework:
    return from_json_dict(draft.payload)


def confirm_import(session: Session, draft: FrameworkImport) -> Framework:
    if draft.framework_id is not None:
        raise ServiceError("Cet import a déjà été enregistré.")
    fw = save_parsed(session, draft_tree(draft), source=draft.source, filename=draft.filename)
    draft.framework_id = fw.id
    session.flush()
    return fw


def purge_old_imports(session: Session) -> int:
    cutoff = datetime.now(UTC) - DRAFT_LIFETIME
    old = session.scalars(select(FrameworkImport).where(FrameworkImport.created_at < cutoff)).all()
    for draft in old:
        session.delete(draft)
    return len(old)
