"""The framework tree every reader builds and every writer reads.

The REAC reader (:mod:`.reac`), the JSON and CSV readers (:mod:`.exchange`) and the stored
frameworks (:func:`.storage.to_parsed`) all give this tree; it is what is checked against
:mod:`.limits`, kept in an import draft, saved and exported:
titre → activités types (blocks) → compétences professionnelles → critères, plus the
compétences transversales and, per competency, the knowledge lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KNOWLEDGE_KEYS = (
    "savoir_faire_techniques",
    "savoir_faire_organisationnels",
    "savoir_faire_relationnels",
    "savoirs",
)
BLOCK_KINDS = ("activity", "extension")
COMPETENCY_KINDS = ("professional", "transversal")


@dataclass
class ParsedCriterion:
    text: str


@dataclass
class ParsedCompetency:
    number: int | None
    title: str
    kind: str  # "professional" | "transversal"
    criteria: list[ParsedCriterion] = field(default_factory=list)
    description: str = ""
    # keys among KNOWLEDGE_KEYS; empty categories are omitted
    knowledge: dict[str, list[str]] = field(default_factory=dict)

    @property
    def criterion_count(self) -> int:
        return len(self.criteria)


@dataclass
class ParsedBlock:
    number: int
    title: str
    kind: str  # "activity" | "extension"
    competencies: list[ParsedCompetency] = field(default_factory=list)
    description: str = ""

    @property
    def criterion_count(self) -> int:
        return sum(len(c.criteria) for c in self.competencies)


@dataclass
class ParsedFramework:
    title: str
    acronym: str | None
    code: str | None  # e.g. "TP-00448"
    level: str | None  # e.g. "4" (or "IV" for an old nomenclature, as written)
    version: str | None  # millésime, e.g. "06"
    validated_on: dt.date | None
    updated_on: dt.date | None
    blocks: list[ParsedBlock] = field(default_factory=list)
    transversal: list[ParsedCompetency] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def professional_competencies(self) -> list[ParsedCompetency]:
        return [c for b in self.blocks for c in b.competencies]

    @property
    def all_competencies(self) -> list[ParsedCompetency]:
        return self.professional_competencies + list(self.transversal)

    @property
    def block_count(self) -> int:
        return len(self.blocks)

    @property
    def competency_count(self) -> int:
        """Number of compétences professionnelles (transversal ones excluded)."""
        return sum(len(b.competencies) for b in self.blocks)

    @property
    def transversal_count(self) -> int:
        return len(self.transversal)

    @property
    def criterion_count(self) -> int:
        """All critères de performance, professional and transversal."""
        return sum(len(c.criteria) for c in self.all_competencies)

    def competency(self, number: int) -> ParsedCompetency | None:
        for comp in self.professional_competencies:
            if comp.number == number:
                return comp
        return None

    def block_of(self, number: int) -> ParsedBlock | None:
        for block in self.blocks:
            if any(c.number == number for c in block.competencies):
                return block
        return None

    def counts(self) -> dict[str, int]:
        return {
            "activites": self.block_count,
            "competences": self.competency_count,
            "competences_transversales": self.transversal_count,
            "criteres": self.criterion_count,
        }
