"""Reading the CSV exchange format: the header, the bound on lines, then each row.

The file is read through :func:`siae_app.services.spreadsheets.csv_rows` (UTF-8 with or
without BOM; ``;``, ``,`` or tab as separator), which stops at the first line beyond
:data:`MAX_CSV_LINES`; the header names the columns (in any order, with a few accepted
spellings; unknown columns are ignored); :class:`.csv_row_reader.CsvRowReader` reads each
row, and the tree is checked against :mod:`siae_app.services.frameworks.limits` before it
is returned.
"""

from __future__ import annotations

from siae_app.services.exports import from_spreadsheet
from siae_app.services.frameworks import limits
from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.csv_row_reader import CsvRowReader
from siae_app.services.frameworks.exchange.csv_writer import CSV_COLUMNS
from siae_app.services.frameworks.exchange.values import METADATA_KEYS, folded_key
from siae_app.services.frameworks.tree import ParsedFramework
from siae_app.services.spreadsheets import (
    SpreadsheetError,
    TooManyLines,
    csv_rows,
    french_number,
)

_REQUIRED_COLUMNS = (
    "type_ligne",
    "activite",
    "activite_intitule",
    "competence",
    "competence_intitule",
    "texte",
)


_HEADER_ALIASES = {
    "type ligne": "type_ligne",
    "type": "type_ligne",
    "type de ligne": "type_ligne",
    "activite": "activite",
    "activite numero": "activite",
    "numero activite": "activite",
    "activite type": "activite_type",
    "type activite": "activite_type",
    "activite intitule": "activite_intitule",
    "intitule activite": "activite_intitule",
    "competence": "competence",
    "competence code": "competence",
    "code competence": "competence",
    "competence intitule": "competence_intitule",
    "intitule competence": "competence_intitule",
    "categorie": "categorie",
    "texte": "texte",
}


# A valid file has at most one row per metadata, activité type, compétence, critère and
# savoir: reading stops at the first row beyond.
MAX_CSV_LINES = (
    len(METADATA_KEYS)
    + limits.MAX_BLOCKS
    + limits.MAX_COMPETENCIES
    + limits.MAX_CRITERIA
    + limits.MAX_KNOWLEDGE_ITEMS
)


def from_csv(text: str) -> ParsedFramework:
    """Parse the documented CSV format; errors name the offending line (French).

    Cells are read back with :func:`siae_app.services.exports.from_spreadsheet`, so the
    guard added by :func:`.csv_writer.to_csv` to formula-like texts is removed.
    """
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        raise FrameworkFormatError("Le fichier CSV est vide.")
    line = limits.control_line(text)
    if line is not None:
        raise FrameworkFormatError(limits.CONTROL_MESSAGE, line)
    rows = csv_rows(text, max_lines=MAX_CSV_LINES)
    try:
        header = next(rows)
        reader = CsvRowReader(_csv_columns(header.cells))
        for row in rows:
            reader.add_row(row.cells, row.line)
    except TooManyLines as exc:
        raise FrameworkFormatError(
            f"Ce fichier compte plus de {french_number(exc.limit)} lignes : au-delà, "
            "l’import n’est pas possible. Découpez-le en plusieurs référentiels."
        ) from exc
    except SpreadsheetError as exc:
        raise FrameworkFormatError(exc.message, exc.line) from exc
    return limits.check_framework(reader.tree.build(), FrameworkFormatError)


def _csv_columns(header: list[str]) -> dict[str, int]:
    """Column name -> index; unknown columns (notes...) are ignored."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = _HEADER_ALIASES.get(folded_key(from_spreadsheet(name)))
        if canonical is None:
            continue
        if canonical in columns:
            raise FrameworkFormatError(f"la colonne « {canonical} » apparaît deux fois.", 1)
        columns[canonical] = index
    missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FrameworkFormatError(
            (
                "colonne obligatoire manquante : "
                if len(missing) == 1
                else "colonnes obligatoires manquantes : "
            )
            + ", ".join(missing)
            + ". Colonnes attendues : "
            + ";".join(CSV_COLUMNS)
            + ".",
            1,
        )
    return columns
