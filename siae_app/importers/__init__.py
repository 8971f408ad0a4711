"""Importers for certification frameworks (REAC text / PDF, JSON and CSV exchange formats).

Pure Python: no Flask, no database. See ``docs/framework-format.md`` for the exchange format.
"""

from siae_app.importers.reac import (
    KNOWLEDGE_KEYS,
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
    ReacParseError,
    parse_reac_text,
)

__all__ = [
    "KNOWLEDGE_KEYS",
    "ParsedBlock",
    "ParsedCompetency",
    "ParsedCriterion",
    "ParsedFramework",
    "ReacParseError",
    "parse_reac_text",
]
