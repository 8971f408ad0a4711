"""Writing the CSV exchange format: one row per element, typed by ``type_ligne``.

Rows ``titre`` (one per piece of the titre's information), ``activite``, ``competence``,
``critere`` and ``savoir``; block and competency columns are repeated on every row so that a
coordinator can sort and filter in a spreadsheet. Warnings are not exported to CSV.
"""

from __future__ import annotations

import csv
import io

from siae_app.services.exports import spreadsheet_safe
from siae_app.services.frameworks.exchange.values import (
    BLOCK_KIND_OUT,
    identity,
    ordered_knowledge,
)
from siae_app.services.frameworks.tree import ParsedCompetency, ParsedFramework

CSV_COLUMNS = (
    "type_ligne",
    "activite",
    "activite_type",
    "activite_intitule",
    "competence",
    "competence_intitule",
    "categorie",
    "texte",
)


def to_csv(fw: ParsedFramework, *, delimiter: str = ";") -> str:
    """Export as CSV text (``;`` by default, for French Excel). Warnings are omitted.

    Transversal competencies get the positional codes CT1, CT2... (they are not numbered
    in a REAC); professional ones get CP<number>. Every cell goes through
    :func:`siae_app.services.exports.spreadsheet_safe` (a text starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'``);
    :func:`.csv_reader.from_csv` removes it.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")

    def row(*cells: str | None) -> None:
        writer.writerow([spreadsheet_safe(cell or "") for cell in cells])

    row(*CSV_COLUMNS)
    for key, value in _csv_metadata(fw).items():
        if value:
            row("titre", "", "", "", "", "", key, value)

    def competency_rows(block: list[str], code: str, comp: ParsedCompetency) -> None:
        head = [*block, code, comp.title]
        row("competence", *head, "", comp.description)
        for criterion in comp.criteria:
            row("critere", *head, "", criterion.text)
        for key, values in ordered_knowledge(comp.knowledge).items():
            for value in values:
                row("savoir", *head, key, value)

    for block in fw.blocks:
        block_cols = [str(block.number), BLOCK_KIND_OUT.get(block.kind, block.kind), block.title]
        row("activite", *block_cols, "", "", "", block.description)
        for comp in block.competencies:
            competency_rows(block_cols, f"CP{comp.number}", comp)
    for position, comp in enumerate(fw.transversal, start=1):
        competency_rows(["", "", ""], f"CT{position}", comp)
    return out.getvalue()


def _csv_metadata(fw: ParsedFramework) -> dict[str, str | None]:
    return identity(fw, french=True)


def to_csv_bytes(fw: ParsedFramework, *, delimiter: str = ";") -> bytes:
    """CSV encoded as UTF-8 with BOM, so that Excel detects the encoding."""
    return to_csv(fw, delimiter=delimiter).encode("utf-8-sig")
