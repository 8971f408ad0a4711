"""The elements a CSV file declares, and the framework tree they make once every row is read.

Each element keeps the line where it was first seen, so that a conflict or a missing title
names it; :meth:`CsvTree.build` checks that the tree is complete and adds the warnings
(competencies without criteria, two competencies with one title).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.values import date_in, folded_key, ordered_knowledge
from siae_app.services.frameworks.tree import (
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)


@dataclass
class CsvBlock:
    number: int
    line: int
    kind: str | None = None
    kind_line: int = 0
    title: str = ""
    title_line: int = 0
    description: str = ""
    declared: int = 0


@dataclass
class CsvCompetency:
    kind: str
    number: int
    line: int
    block: int | None
    title: str = ""
    title_line: int = 0
    description: str = ""
    declared: int = 0
    criteria: list[str] = field(default_factory=list)
    criteria_lines: dict[str, int] = field(default_factory=dict)
    knowledge: dict[str, list[str]] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return f"{'CP' if self.kind == 'professional' else 'CT'}{self.number}"

    def parsed(self) -> ParsedCompetency:
        return ParsedCompetency(
            number=self.number if self.kind == "professional" else None,
            title=self.title,
            kind=self.kind,
            criteria=[ParsedCriterion(text) for text in self.criteria],
            description=self.description,
            knowledge=ordered_knowledge(self.knowledge),
        )


@dataclass
class CsvTree:
    """The titre's information, activités types and competencies read so far."""

    metadata: dict[str, tuple[str, int]] = field(default_factory=dict)
    blocks: dict[int, CsvBlock] = field(default_factory=dict)
    competencies: dict[tuple[str, int], CsvCompetency] = field(default_factory=dict)

    def build(self) -> ParsedFramework:
        self.check_complete()
        warnings = self.competency_warnings()
        blocks = self.parsed_blocks(warnings)
        transversal = [
            c.parsed()
            for c in sorted(self.competencies.values(), key=lambda c: c.number)
            if c.kind == "transversal"
        ]
        meta = {key: value for key, (value, _line) in self.metadata.items()}
        return ParsedFramework(
            title=meta["intitule"],
            acronym=meta.get("sigle") or None,
            code=meta.get("code") or None,
            level=meta.get("niveau") or None,
            version=meta.get("millesime") or None,
            validated_on=date_in(meta["date_validation"]) if meta.get("date_validation") else None,
            updated_on=date_in(meta["date_mise_a_jour"]) if meta.get("date_mise_a_jour") else None,
            blocks=blocks,
            transversal=transversal,
            warnings=warnings,
        )

    def check_complete(self) -> None:
        """A title, some content, and a title for every block and competency."""
        if "intitule" not in self.metadata or not self.metadata["intitule"][0]:
            raise FrameworkFormatError(
                "l’intitulé du titre professionnel est obligatoire : ajoutez une ligne de type "
                "« titre », catégorie « intitule »."
            )
        if not self.blocks and not self.competencies:
            raise FrameworkFormatError("Le fichier ne contient aucune activité type ni compétence.")
        untitled = [
            (f"l’activité type n° {b.number}", "activite_intitule", b.line)
            for b in self.blocks.values()
            if not b.title
        ] + [
            (f"la compétence {c.code}", "competence_intitule", c.line)
            for c in self.competencies.values()
            if not c.title
        ]
        if untitled:
            what, column, line = untitled[0]
            raise FrameworkFormatError(f"intitulé de {what} manquant (colonne « {column} »).", line)

    def competency_warnings(self) -> list[str]:
        """Competencies without criteria, competencies sharing a title."""
        warnings = [
            f"La compétence {comp.code} « {comp.title} » n’a aucun critère de performance."
            for comp in self.competencies.values()
            if not comp.criteria
        ]
        seen_titles: dict[str, str] = {}
        for comp in self.competencies.values():
            other = seen_titles.setdefault(folded_key(comp.title), comp.code)
            if other != comp.code:
                warnings.append(
                    f"Les compétences {other} et {comp.code} ont le même intitulé « {comp.title} »."
                )
        return warnings

    def parsed_blocks(self, warnings: list[str]) -> list[ParsedBlock]:
        blocks: list[ParsedBlock] = []
        for number in sorted(self.blocks):
            block = self.blocks[number]
            members = sorted(
                (c for c in self.competencies.values() if c.block == number), key=lambda c: c.number
            )
            if not members:
                warnings.append(
                    f"L’activité type n° {number} « {block.title} » ne contient aucune compétence."
                )
            blocks.append(
                ParsedBlock(
                    number,
                    block.title,
                    block.kind or "activity",
                    [c.parsed() for c in members],
                    block.description,
                )
            )
        return blocks
