"""Framework trees, stored frameworks and import drafts."""

from __future__ import annotations

from siae_app.extensions import db
from siae_app.models import Membership
from siae_app.services.frameworks.imports import create_import
from siae_app.services.frameworks.storage import save_parsed
from siae_app.services.frameworks.tree import (
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)


def parsed_tree(title: str, blocks: int = 1, comps: int = 2, criteria: int = 2):
    """A small framework tree (as the importers produce), with a transversal competency."""
    n = 0
    parsed_blocks = []
    for b in range(1, blocks + 1):
        items = []
        for _ in range(comps):
            n += 1
            items.append(
                ParsedCompetency(
                    number=n,
                    title=f"Compétence {n} : respecter les consignes de sécurité",
                    kind="professional",
                    criteria=[
                        ParsedCriterion(text=f"Critère {n}.{k} : porte les équipements")
                        for k in range(1, criteria + 1)
                    ],
                )
            )
        parsed_blocks.append(
            ParsedBlock(
                number=b, title=f"Bloc {b} du chantier", kind="activity", competencies=items
            )
        )
    return ParsedFramework(
        title=title,
        acronym=None,
        code=None,
        level=None,
        version=None,
        validated_on=None,
        updated_on=None,
        blocks=parsed_blocks,
        transversal=[
            ParsedCompetency(
                number=1,
                title="Travailler en équipe",
                kind="transversal",
                criteria=[ParsedCriterion(text="Aide un collègue en difficulté")],
            )
        ],
    )


def make_framework(title: str, source: str = "structure", **tree):
    """An editable framework saved in the active structure (the caller activates it)."""
    return save_parsed(db.session, parsed_tree(title, **tree), source=source)


def make_import_draft(membership: Membership, title: str):
    return create_import(db.session, membership, "gestes.json", "structure", parsed_tree(title))
