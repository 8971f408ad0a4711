"""The rows of a CSV file, one by one, into the elements they declare (see
docs/framework-format.md).

A row is typed by its ``type_ligne`` column: ``titre`` (one piece of the titre's
information, named by ``categorie``), ``activite``, ``competence``, ``critere`` or
``savoir``. Block and competency columns are repeated on every row: an activité type or a
competency is created on first sight, and a later row must agree with what it already has
(same title, same kind, same activité type). Every refusal names the row's line.
"""

from __future__ import annotations

import re

from siae_app.services.exports import from_spreadsheet
from siae_app.services.frameworks import limits
from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.csv_tree import CsvBlock, CsvCompetency, CsvTree
from siae_app.services.frameworks.exchange.values import (
    BLOCK_KIND_IN,
    BLOCK_KIND_OUT,
    KNOWLEDGE_LIST,
    METADATA_KEYS,
    clean_multiline,
    clean_text,
    date_in,
    folded_key,
)
from siae_app.services.frameworks.tree import KNOWLEDGE_KEYS

_KNOWLEDGE_ALIASES = {
    **{key: key for key in KNOWLEDGE_KEYS},
    "techniques": "savoir_faire_techniques",
    "savoir-faire techniques": "savoir_faire_techniques",
    "organisationnels": "savoir_faire_organisationnels",
    "savoir-faire organisationnels": "savoir_faire_organisationnels",
    "relationnels": "savoir_faire_relationnels",
    "savoir-faire relationnels": "savoir_faire_relationnels",
    "savoir": "savoirs",
    "connaissances": "savoirs",
}
_ROW_TYPES = ("titre", "activite", "competence", "critere", "savoir")
_CODE_RE = re.compile(r"^(?P<prefix>cp|ct)?\s*0*(?P<num>\d{1,3})$", re.ASCII)
_BLOCK_NUMBER_RE = re.compile(r"^0*\d{1,3}$", re.ASCII)
_MAX_CELL = limits.MAX_DESCRIPTION


class CsvRowReader:
    """Reads the rows of a CSV file, one by one, into a :class:`CsvTree`."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = columns
        self.tree = CsvTree()
        self.criteria_count = 0
        self.handlers = {
            "titre": self.add_metadata,
            "activite": self.add_block,
            "competence": self.add_competency,
            "critere": self.add_criterion,
            "savoir": self.add_knowledge,
        }

    # ------------------------------------------------------------------ one row

    def cells(self, row: list[str], line: int) -> dict[str, str]:
        """The known cells of a row: stripped, without the spreadsheet guard, not too long."""
        cells: dict[str, str] = {}
        for name, index in self.columns.items():
            value = from_spreadsheet(row[index].strip()) if index < len(row) else ""
            if len(value) > _MAX_CELL:
                raise FrameworkFormatError(
                    f"la colonne « {name} » contient {len(value)} caractères "
                    f"({_MAX_CELL} au maximum).",
                    line,
                )
            cells[name] = value
        return cells

    def add_row(self, row: list[str], line: int) -> None:
        if not any(cell.strip() for cell in row):
            return
        cells = self.cells(row, line)
        self.handlers[self.row_type(cells, line)](cells, line)

    @staticmethod
    def row_type(cells: dict[str, str], line: int) -> str:
        row_type = folded_key(cells["type_ligne"])
        if not row_type:
            raise FrameworkFormatError("la colonne « type_ligne » est vide.", line)
        if row_type not in _ROW_TYPES:
            raise FrameworkFormatError(
                f"type de ligne « {cells['type_ligne'][:40]} » inconnu (valeurs possibles : "
                + ", ".join(_ROW_TYPES)
                + ").",
                line,
            )
        return row_type

    def require_category_column(self, row_type: str, line: int) -> None:
        if "categorie" not in self.columns:
            raise FrameworkFormatError(
                "colonne « categorie » absente : elle est nécessaire "
                f"pour les lignes « {row_type} ».",
                line,
            )

    # ---------------------------------------------------------------- row kinds

    def add_metadata(self, cells: dict[str, str], line: int) -> None:
        self.require_category_column("titre", line)
        key = folded_key(cells["categorie"]).replace(" ", "_")
        if key not in METADATA_KEYS:
            raise FrameworkFormatError(
                f"information « {cells['categorie'][:40]} » inconnue pour une ligne « titre » "
                f"(valeurs possibles : {', '.join(METADATA_KEYS)}).",
                line,
            )
        if key in self.tree.metadata:
            raise FrameworkFormatError(
                f"l’information « {key} » est déjà renseignée "
                f"(ligne {self.tree.metadata[key][1]}).",
                line,
            )
        value = clean_text(cells["texte"])
        if key.startswith("date_") and value:
            try:
                date_in(value)
            except ValueError:
                raise FrameworkFormatError(
                    f"date « {value[:40]} » invalide (format attendu : JJ/MM/AAAA).", line
                ) from None
        self.tree.metadata[key] = (value, line)

    def add_block(self, cells: dict[str, str], line: int) -> None:
        block = self.block_of(cells, line)
        if block is None:
            raise FrameworkFormatError(
                "numéro d’activité type manquant (colonne « activite »).", line
            )
        if block.declared:
            raise FrameworkFormatError(
                f"l’activité type n° {block.number} est déjà déclarée (ligne {block.declared}).",
                line,
            )
        block.declared = line
        block.description = clean_multiline(cells["texte"])

    def add_competency(self, cells: dict[str, str], line: int) -> None:
        comp = self.competency_of(cells, line)
        if comp.declared:
            raise FrameworkFormatError(
                f"la compétence {comp.code} est déjà déclarée (ligne {comp.declared}).", line
            )
        comp.declared = line
        comp.description = clean_multiline(cells["texte"])

    def add_criterion(self, cells: dict[str, str], line: int) -> None:
        comp = self.competency_of(cells, line)
        criterion = clean_text(cells["texte"])
        if not criterion:
            raise FrameworkFormatError("le texte du critère est vide (colonne « texte »).", line)
        key = folded_key(criterion)
        if key in comp.criteria_lines:
            raise FrameworkFormatError(
                f"critère en double pour la compétence {comp.code} (déjà ligne "
                f"{comp.criteria_lines[key]}).",
                line,
            )
        self.criteria_count += 1
        _check_count(self.criteria_count, limits.MAX_CRITERIA, "critères de performance", line)
        comp.criteria_lines[key] = line
        comp.criteria.append(criterion)

    def add_knowledge(self, cells: dict[str, str], line: int) -> None:
        comp = self.competency_of(cells, line)
        self.require_category_column("savoir", line)
        label = cells["categorie"]
        typed = folded_key(label)
        category = _KNOWLEDGE_ALIASES.get(typed.replace(" ", "_")) or _KNOWLEDGE_ALIASES.get(typed)
        if category is None:
            raise FrameworkFormatError(
                f"catégorie « {label[:40]} » inconnue (valeurs possibles : {KNOWLEDGE_LIST}).",
                line,
            )
        value = clean_text(cells["texte"])
        if not value:
            raise FrameworkFormatError("le texte du savoir est vide (colonne « texte »).", line)
        comp.knowledge.setdefault(category, []).append(value)

    # ------------------------------------------------- blocks and competencies

    def block_of(self, cells: dict[str, str], line: int) -> CsvBlock | None:
        """The row's activité type (None when the column is empty), created on first sight."""
        raw = cells["activite"]
        if not raw:
            return None
        if not _BLOCK_NUMBER_RE.match(raw) or int(raw) < 1:
            raise FrameworkFormatError(
                f"numéro d’activité type « {raw[:20]} » invalide (nombre entier attendu).", line
            )
        number = int(raw)
        if number not in self.tree.blocks:
            _check_count(len(self.tree.blocks) + 1, limits.MAX_BLOCKS, "activités types", line)
        block = self.tree.blocks.setdefault(number, CsvBlock(number, line))
        self.set_block_kind(block, cells.get("activite_type", ""), line)
        self.set_block_title(block, clean_text(cells["activite_intitule"]), line)
        return block

    @staticmethod
    def set_block_kind(block: CsvBlock, label: str, line: int) -> None:
        if not label:
            return
        kind = BLOCK_KIND_IN.get(folded_key(label))
        if kind is None:
            raise FrameworkFormatError(
                f"type d’activité « {label[:40]} » inconnu (valeurs possibles : activite, "
                "extension).",
                line,
            )
        if block.kind is not None and block.kind != kind:
            raise FrameworkFormatError(
                f"l’activité type n° {block.number} a déjà le type "
                f"« {BLOCK_KIND_OUT[block.kind]} » (ligne {block.kind_line}).",
                line,
            )
        block.kind, block.kind_line = kind, block.kind_line or line

    @staticmethod
    def set_block_title(block: CsvBlock, title: str, line: int) -> None:
        _set_title_once(
            block,
            title,
            line,
            f"l’activité type n° {block.number} a déjà l’intitulé « {block.title} » (ligne "
            f"{block.title_line}) ; intitulé différent : « {title} ».",
        )

    def competency_of(self, cells: dict[str, str], line: int) -> CsvCompetency:
        """The row's competency, created on first sight and tied to the row's activité type."""
        block = self.block_of(cells, line)
        kind, number = _competency_code(cells["competence"], block, line)
        comp = self.tree.competencies.get((kind, number))
        if comp is None:
            _check_count(
                len(self.tree.competencies) + 1, limits.MAX_COMPETENCIES, "compétences", line
            )
            comp = CsvCompetency(kind, number, line, block.number if block else None)
            self.tree.competencies[(kind, number)] = comp
        elif block is not None and comp.block != block.number:
            raise FrameworkFormatError(
                f"la compétence {comp.code} est déjà rattachée à l’activité type "
                f"n° {comp.block} (ligne {comp.line}) : un code de compétence ne peut pas être "
                "utilisé deux fois.",
                line,
            )
        self.set_competency_title(comp, clean_text(cells["competence_intitule"]), line)
        return comp

    @staticmethod
    def set_competency_title(comp: CsvCompetency, title: str, line: int) -> None:
        _set_title_once(
            comp,
            title,
            line,
            f"le code {comp.code} est déjà utilisé pour « {comp.title} » (ligne "
            f"{comp.title_line}) ; intitulé différent : « {title} ».",
        )


def _check_count(count: int, limit: int, what: str, line: int) -> None:
    if count > limit:
        raise FrameworkFormatError(
            f"plus de {limit} {what} : au-delà, l’import n’est pas possible. Découpez le "
            "référentiel en plusieurs fichiers.",
            line,
        )


def _set_title_once(item, title: str, line: int, conflict: str) -> None:
    """A title given on several rows must be the same each time (case and spaces aside)."""
    if not title:
        return
    if item.title and folded_key(item.title) != folded_key(title):
        raise FrameworkFormatError(conflict, line)
    if not item.title:
        item.title, item.title_line = title, line


def _competency_code(raw: str, block: CsvBlock | None, line: int) -> tuple[str, int]:
    """("professional" | "transversal", number) from a CP<n> / CT<n> code."""
    match = _CODE_RE.match(folded_key(raw).replace(" ", ""))
    if not raw or match is None or int(match.group("num")) < 1:
        shown = f"« {raw[:20]} »" if raw else "vide"
        raise FrameworkFormatError(
            f"code de compétence {shown} invalide (attendu : CP1, CP2… pour une compétence "
            "professionnelle, CT1, CT2… pour une compétence transversale).",
            line,
        )
    kind = "transversal" if match.group("prefix") == "ct" else "professional"
    number = int(match.group("num"))
    if kind == "professional" and block is None:
        raise FrameworkFormatError(
            f"la compétence CP{number} doit être rattachée à une activité type (colonne "
            "« activite »).",
            line,
        )
    if kind == "transversal" and block is not None:
        raise FrameworkFormatError(
            f"la compétence transversale CT{number} n’appartient à aucune activité type : "
            "laissez la colonne « activite » vide.",
            line,
        )
    return kind, number
