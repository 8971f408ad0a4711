"""JSON and CSV exchange formats for a framework tree (see docs/framework-format.md).

Both formats carry the same tree as :class:`siae_app.services.frameworks.tree.ParsedFramework`:
titre (metadata) → activités types → compétences professionnelles → critères, plus the
compétences transversales and, per competency, the knowledge lists.

* JSON (``json_writer``, ``json_reader``): an object identified by
  ``"format": "parcours-siae/referentiel"`` and ``"version": 1``; French keys. It also keeps
  the import warnings.
* CSV (``csv_writer``; ``csv_reader`` → ``csv_row_reader`` → ``csv_tree``): one row per element,
  typed by the ``type_ligne`` column (``titre``, ``activite``, ``competence``, ``critere``,
  ``savoir``), block and competency columns repeated on every row so that a coordinator can
  sort / filter in a spreadsheet. UTF-8 (with or without BOM), ``;`` (French Excel) or ``,``
  or tab as separator. Warnings are not exported to CSV.
  Every exported cell goes through ``spreadsheet_safe`` (formula-like texts get a leading
  ``'``) and every imported cell through ``from_spreadsheet``: the round trip is exact.
* ``values``: what both share (identity fields, kinds, knowledge categories, text cleaning).

Both readers refuse control characters (with the line) and trees beyond the limits of
:mod:`siae_app.services.frameworks.limits`, before anything is stored.

Every error raises :class:`FrameworkFormatError` with a French message; CSV errors carry
the physical line number (``line``) and mention it in the message.
"""

from __future__ import annotations


class FrameworkFormatError(ValueError):
    """Invalid exchange file; ``message`` is French, ``line`` the CSV line (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        if line is not None and not message.startswith("Ligne "):
            message = f"Ligne {line} : {message}"
        super().__init__(message)
        self.message = message
        self.line = line
