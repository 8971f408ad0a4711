"""Stored frameworks: save a parsed tree (a REAC of a titre already held becomes its next
version), the exchange tree of a stored framework, a copy, and whether a document is
already held. Reading stored frameworks is :mod:`.queries`.
"""

from __future__ import annotations

import hashlib
import json
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siae_app.models import Block, Competency, Criterion, Framework
from siae_app.services.frameworks.exchange.json_writer import to_json_dict
from siae_app.services.frameworks.queries import tree_query
from siae_app.services.frameworks.search import competency_search_text, fold
from siae_app.services.frameworks.tree import (
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)


def _part(fw: Framework, parsed: ParsedBlock | ParsedCompetency, position: int) -> dict:
    """The columns a block and a competency take alike from their parsed tree."""
    return {
        "structure_id": fw.structure_id,
        "framework": fw,
        "position": position,
        "number": parsed.number,
        "kind": parsed.kind,
        "title": parsed.title,
        "description": parsed.description or None,
    }


def _competency(fw: Framework, block: Block | None, pc: ParsedCompetency, pos: int):
    knowledge = {k: list(v) for k, v in (pc.knowledge or {}).items() if v}
    comp = Competency(**_part(fw, pc, pos), block=block, knowledge=knowledge)
    comp.search_text = competency_search_text(comp.title, comp.knowledge)
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


# What a document says about its titre: (Framework column, ParsedFramework attribute).
_FACTS = (
    ("acronym", "acronym"),
    ("code", "code"),
    ("level", "level"),
    ("vintage", "version"),
    ("validated_on", "validated_on"),
    ("updated_on", "updated_on"),
)


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
        **{column: getattr(parsed, name) for column, name in _FACTS},
        source_filename=filename,
        import_warnings=list(parsed.warnings),
    )
    session.add(fw)
    session.flush()  # the framework's id and structure before its children
    position = 0
    for b_pos, pb in enumerate(parsed.blocks):
        block = Block(**_part(fw, pb, b_pos))
        session.add(block)
        for pc in pb.competencies:
            session.add(_competency(fw, block, pc, position))
            position += 1
    for pc in parsed.transversal:
        session.add(_competency(fw, None, pc, position))
        position += 1
    session.flush()
    return fw


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
        **{name: getattr(fw, column) for column, name in _FACTS},
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


# ------------------------------------------------------------------------- identity


def content_digest(parsed: ParsedFramework) -> str:
    """SHA-256 of the exchange tree as canonical JSON (warnings left out): same content, same
    digest, whether the tree comes from an uploaded file or from stored rows."""
    data = to_json_dict(parsed)
    data.pop("avertissements", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def identical_version(session: Session, parsed: ParsedFramework) -> Framework | None:
    """The stored REAC of the same family whose content is the same as ``parsed``, if any."""
    digest = content_digest(parsed)
    family = session.scalars(
        tree_query()
        .where(Framework.family_key == reac_family(parsed))
        .order_by(Framework.version_number.desc())
    ).all()
    return next((fw for fw in family if content_digest(to_parsed(fw)) == digest), None)
