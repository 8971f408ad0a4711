"""Writing the JSON exchange format: an object identified by ``"format"`` and ``"version"``,
French keys, the import warnings kept (an import draft is stored in this format).
"""

from __future__ import annotations

import json
from typing import Any

from siae_app.services.frameworks.exchange.values import (
    BLOCK_KIND_OUT,
    FORMAT_ID,
    FORMAT_VERSION,
    identity,
    ordered_knowledge,
)
from siae_app.services.frameworks.tree import ParsedCompetency, ParsedFramework


def _competency_to_json(comp: ParsedCompetency) -> dict[str, Any]:
    data: dict[str, Any] = {
        "numero": comp.number,
        "intitule": comp.title,
        "description": comp.description,
        "criteres": [c.text for c in comp.criteria],
    }
    knowledge = ordered_knowledge(comp.knowledge)
    if knowledge:
        data["connaissances"] = knowledge
    return data


def to_json_dict(fw: ParsedFramework) -> dict[str, Any]:
    """Serialise a framework into the documented JSON structure (JSON-compatible dict)."""
    return {
        "format": FORMAT_ID,
        "version": FORMAT_VERSION,
        **identity(fw, french=False),
        "activites": [
            {
                "numero": block.number,
                "type": BLOCK_KIND_OUT.get(block.kind, block.kind),
                "intitule": block.title,
                "description": block.description,
                "competences": [_competency_to_json(c) for c in block.competencies],
            }
            for block in fw.blocks
        ],
        "competences_transversales": [_competency_to_json(c) for c in fw.transversal],
        "avertissements": list(fw.warnings),
    }


def to_json_text(fw: ParsedFramework, *, indent: int | None = 2) -> str:
    return json.dumps(to_json_dict(fw), ensure_ascii=False, indent=indent)
