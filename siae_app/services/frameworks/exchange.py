"""JSON and CSV exchange formats for a framework tree (see docs/framework-format.md).

Both formats carry the same tree as :class:`siae_app.services.frameworks.reac.ParsedFramework`:
titre (metadata) → activités types → compétences professionnelles → critères, plus the
compétences transversales and, per competency, the knowledge lists.

* JSON: an object identified by ``"format": "parcours-siae/referentiel"`` and
  ``"version": 1``; French keys. It also keeps the import warnings.
* CSV: one row per element, typed by the ``type_ligne`` column (``titre``, ``activite``,
  ``competence``, ``critere``, ``savoir``), block and competency columns repeated on
  every row so that a coordinator can sort / filter in a spreadsheet. UTF-8 (with or
  without BOM), ``;`` (French Excel) or ``,`` or tab as separator. Warnings are not
  exported to CSV.
  Every exported cell goes through ``spreadsheet_safe`` (formula-like texts get a leading
  ``'``) and every imported cell through ``from_spreadsheet``: the round trip is exact.

Both readers refuse control characters (with the line) and trees beyond the limits of
:mod:`siae_app.services.frameworks.limits`, before anything is stored.

Every error raises :class:`FrameworkFormatError` with a French message; CSV errors carry
the physical line number (``line``) and mention it in the message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from siae_app.services.exports import from_spreadsheet, spreadsheet_safe
from siae_app.services.frameworks import limits
from siae_app.services.frameworks.reac import (
    KNOWLEDGE_KEYS,
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
    normalize_text,
)
from siae_app.services.spreadsheets import (
    SpreadsheetError,
    TooManyLines,
    csv_rows,
    french_number,
)

__all__ = [
    "CSV_COLUMNS",
    "FORMAT_ID",
    "FORMAT_VERSION",
    "FrameworkFormatError",
    "TextDecodeError",
    "decode_text_upload",
    "from_csv",
    "from_json_dict",
    "from_json_text",
    "to_csv",
    "to_csv_bytes",
    "to_json_dict",
    "to_json_text",
]

FORMAT_ID = "parcours-siae/referentiel"
FORMAT_VERSION = 1
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
_REQUIRED_COLUMNS = (
    "type_ligne",
    "activite",
    "activite_intitule",
    "competence",
    "competence_intitule",
    "texte",
)
_METADATA_KEYS = (
    "intitule",
    "sigle",
    "code",
    "niveau",
    "millesime",
    "date_validation",
    "date_mise_a_jour",
)
_BLOCK_KIND_OUT = {"activity": "activite", "extension": "extension"}
_BLOCK_KIND_IN = {
    "activite": "activity",
    "activite type": "activity",
    "extension": "extension",
    "activite type d'extension": "extension",
    "ccs": "extension",
    "ccp": "activity",
    "": "activity",
}
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
_KNOWLEDGE_LIST = ", ".join(KNOWLEDGE_KEYS)


class FrameworkFormatError(ValueError):
    """Invalid exchange file; ``message`` is French, ``line`` the CSV line (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        if line is not None and not message.startswith("Ligne "):
            message = f"Ligne {line} : {message}"
        super().__init__(message)
        self.message = message
        self.line = line


class TextDecodeError(FrameworkFormatError):
    """An uploaded .txt / .csv file is not readable text."""


# ------------------------------------------------------------------------ helpers


_COMBINING_RE = re.compile("[\u0300-\u036f]")
_WHITESPACE_RE = re.compile(r"\s+")


def _key(value: str) -> str:
    """Folded key for tolerant comparisons of labels typed by people."""
    value = _COMBINING_RE.sub("", unicodedata.normalize("NFD", value.strip().lower()))
    return _WHITESPACE_RE.sub(" ", value.replace("’", "'").replace("_", " "))


def _clean(value: str) -> str:
    """Single-line text: normalised like the REAC parser (typographic apostrophes...)."""
    return re.sub(r"\s+", " ", normalize_text(value)).strip()


def _clean_multiline(value: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in normalize_text(value).split("\n")]
    return "\n".join(line for line in lines if line)


def _date_out(value: dt.date | None, *, french: bool) -> str | None:
    if value is None:
        return None
    return value.strftime("%d/%m/%Y") if french else value.isoformat()


def _date_in(value: str) -> dt.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _knowledge(knowledge: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: list(knowledge[key]) for key in KNOWLEDGE_KEYS if knowledge.get(key)}


# --------------------------------------------------------------------------- JSON


def _competency_to_json(comp: ParsedCompetency) -> dict[str, Any]:
    data: dict[str, Any] = {
        "numero": comp.number,
        "intitule": comp.title,
        "description": comp.description,
        "criteres": [c.text for c in comp.criteria],
    }
    knowledge = _knowledge(comp.knowledge)
    if knowledge:
        data["connaissances"] = knowledge
    return data


def to_json_dict(fw: ParsedFramework) -> dict[str, Any]:
    """Serialise a framework into the documented JSON structure (JSON-compatible dict)."""
    return {
        "format": FORMAT_ID,
        "version": FORMAT_VERSION,
        **_identity(fw, french=False),
        "activites": [
            {
                "numero": block.number,
                "type": _BLOCK_KIND_OUT.get(block.kind, block.kind),
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


def from_json_text(text: str) -> ParsedFramework:
    """Parse JSON text (see :func:`from_json_dict`); invalid JSON gives a French error."""
    if not text or not text.strip():
        raise FrameworkFormatError("Le fichier JSON est vide.")
    limits.check_text(text, FrameworkFormatError)
    _check_json_containers(text)
    _check_json_escapes(text)
    return from_json_dict(_load_json(text.lstrip("\ufeff")))


# A valid framework holds a few thousand objects and lists (one per activité type and
# compétence, with their lists); each costs about thirty times its two characters once
# parsed, so their number is bounded before parsing (characters inside texts count too:
# the bound is far above what a real file reaches).
MAX_JSON_CONTAINERS = 20_000


def _check_json_containers(text: str) -> None:
    opened = text.count("{") + text.count("[")
    if opened > MAX_JSON_CONTAINERS:
        raise FrameworkFormatError(
            f"JSON invalide : {french_number(opened)} accolades ou crochets ouvrants, "
            f"{french_number(MAX_JSON_CONTAINERS)} au plus (un référentiel en compte quelques "
            "milliers)."
        )


# A \u escape of a control character (not preceded by an escaped backslash).
_CONTROL_ESCAPE_RE = re.compile(
    r"(?<!\\)(?:\\\\)*\\u00(?:0[0-8]|0[eEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
)


def _check_json_escapes(text: str) -> None:
    match = _CONTROL_ESCAPE_RE.search(text)
    if match is not None:
        line = text.count("\n", 0, match.start()) + 1
        raise FrameworkFormatError(limits.CONTROL_MESSAGE, line)


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = next((fr for en, fr in _JSON_HINTS if exc.msg.startswith(en)), "erreur de syntaxe")
        raise FrameworkFormatError(
            f"JSON invalide (colonne {exc.colno}) : {hint}.", exc.lineno
        ) from exc
    except RecursionError as exc:
        raise FrameworkFormatError(
            "JSON invalide : trop de niveaux d’imbrication (accolades ou crochets)."
        ) from exc
    except ValueError as exc:  # an integer of thousands of digits
        raise FrameworkFormatError("JSON invalide : un nombre est beaucoup trop long.") from exc


_JSON_HINTS = (
    ("Expecting property name", "nom de champ attendu, entre guillemets droits"),
    ("Expecting value", "valeur attendue"),
    ("Expecting ',' delimiter", "virgule attendue"),
    ("Expecting ':' delimiter", "deux-points attendus"),
    ("Unterminated string", "texte entre guillemets non terminé"),
    ("Invalid control character", "caractère de contrôle interdit dans un texte"),
    ("Invalid \\escape", "séquence d’échappement invalide"),
    ("Extra data", "contenu en trop après la fin du JSON"),
)


class _JsonReader:
    def fail(self, path: str, message: str) -> FrameworkFormatError:
        where = f"Champ « {path} » : " if path else ""
        return FrameworkFormatError(where + message)

    def text(
        self, obj: dict, key: str, path: str, *, required: bool, multiline: bool = False
    ) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(f"{path}{key}", "valeur obligatoire manquante.")
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{path}{key}", "une chaîne de caractères est attendue.")
        value = _clean_multiline(value) if multiline else _clean(value)
        if required and not value:
            raise self.fail(f"{path}{key}", "le texte est vide.")
        return value

    def optional(self, obj: dict, key: str) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(key, "une chaîne de caractères est attendue.")
        return _clean(str(value)) or None

    def date(self, obj: dict, key: str) -> dt.date | None:
        value = obj.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise self.fail(key, "une date AAAA-MM-JJ est attendue.")
        try:
            return _date_in(value)
        except ValueError:
            raise self.fail(
                key, f"date « {value} » invalide (format attendu : AAAA-MM-JJ)."
            ) from None

    def number(self, obj: dict, key: str, path: str, *, required: bool) -> int | None:
        value = obj.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{path}{key}", "un nombre entier positif est attendu.")
        if value > limits.MAX_NUMBER:
            raise self.fail(f"{path}{key}", f"nombre trop grand ({limits.MAX_NUMBER} au maximum).")
        return value

    def items(
        self, obj: dict, key: str, path: str, *, limit: int = limits.MAX_CRITERIA
    ) -> list[Any]:
        value = obj.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{path}{key}", "une liste est attendue.")
        if len(value) > limit:
            raise self.fail(
                f"{path}{key}",
                f"{len(value)} éléments : au-delà de {limit}, l’import n’est pas possible.",
            )
        return value

    def competency(self, obj: Any, path: str, kind: str) -> ParsedCompetency:
        if not isinstance(obj, dict):
            raise self.fail(path.rstrip("."), "un objet est attendu.")
        number = self.number(obj, "numero", path, required=kind == "professional")
        criteria: list[ParsedCriterion] = []
        for index, item in enumerate(self.items(obj, "criteres", path)):
            if not isinstance(item, str) or not _clean(item):
                raise self.fail(f"{path}criteres[{index}]", "critère vide ou non textuel.")
            criteria.append(ParsedCriterion(_clean(item)))
        knowledge_obj = obj.get("connaissances") or {}
        if not isinstance(knowledge_obj, dict):
            raise self.fail(f"{path}connaissances", "un objet est attendu.")
        knowledge: dict[str, list[str]] = {}
        for key, values in knowledge_obj.items():
            if key not in KNOWLEDGE_KEYS:
                raise self.fail(
                    f"{path}connaissances",
                    f"catégorie « {key} » inconnue (valeurs possibles : {_KNOWLEDGE_LIST}).",
                )
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise self.fail(f"{path}connaissances.{key}", "une liste de textes est attendue.")
            cleaned = [_clean(v) for v in values if _clean(v)]
            if cleaned:
                knowledge[key] = cleaned
        return ParsedCompetency(
            number=number,
            title=self.text(obj, "intitule", path, required=True),
            kind=kind,
            criteria=criteria,
            description=self.text(obj, "description", path, required=False, multiline=True),
            knowledge=_knowledge(knowledge),
        )


def from_json_dict(d: dict[str, Any]) -> ParsedFramework:
    """Build a framework from the documented JSON structure; French errors on bad input."""
    reader = _JsonReader()
    _check_json_header(d)
    blocks = _json_blocks(reader, d)
    transversal = [
        reader.competency(raw, f"competences_transversales[{index}].", "transversal")
        for index, raw in enumerate(reader.items(d, "competences_transversales", ""))
    ]
    warnings = reader.items(d, "avertissements", "")
    if not all(isinstance(w, str) for w in warnings):
        raise reader.fail("avertissements", "une liste de textes est attendue.")
    fw = ParsedFramework(
        title=reader.text(d, "intitule", "", required=True),
        acronym=reader.optional(d, "sigle"),
        code=reader.optional(d, "code"),
        level=reader.optional(d, "niveau"),
        version=reader.optional(d, "millesime"),
        validated_on=reader.date(d, "date_validation"),
        updated_on=reader.date(d, "date_mise_a_jour"),
        blocks=blocks,
        transversal=transversal,
        warnings=list(warnings),
    )
    return limits.check_framework(fw, FrameworkFormatError)


def _check_json_header(d: Any) -> None:
    if not isinstance(d, dict):
        raise FrameworkFormatError("Le contenu JSON doit être un objet (accolades { }).")
    if d.get("format") != FORMAT_ID:
        raise FrameworkFormatError(
            f"Ce fichier JSON n’est pas un référentiel Parcours SIAE : le champ « format » doit "
            f"valoir « {FORMAT_ID} »."
        )
    version = d.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        shown = str(version)[:20]
        raise FrameworkFormatError(
            f"Version de format « {shown} » non prise en charge (version attendue : "
            f"{FORMAT_VERSION})."
        )


def _json_blocks(reader: _JsonReader, d: dict[str, Any]) -> list[ParsedBlock]:
    """The activités types, each block and competency number used once."""
    blocks: list[ParsedBlock] = []
    competency_numbers: dict[int, str] = {}
    for index, raw in enumerate(reader.items(d, "activites", "", limit=limits.MAX_BLOCKS)):
        path = f"activites[{index}]."
        block = _json_block(reader, raw, path)
        if any(b.number == block.number for b in blocks):
            raise reader.fail(f"{path}numero", f"l’activité type n° {block.number} est en double.")
        for c_index, c_raw in enumerate(reader.items(raw, "competences", path)):
            c_path = f"{path}competences[{c_index}]."
            comp = reader.competency(c_raw, c_path, "professional")
            number: int = comp.number  # type: ignore[assignment]
            if number in competency_numbers:
                raise reader.fail(
                    f"{c_path}numero",
                    f"la compétence n° {number} est en double (déjà dans "
                    f"{competency_numbers[number]}).",
                )
            competency_numbers[number] = c_path.rstrip(".")
            block.competencies.append(comp)
        blocks.append(block)
    return blocks


def _json_block(reader: _JsonReader, raw: Any, path: str) -> ParsedBlock:
    """One activité type, without its competencies."""
    if not isinstance(raw, dict):
        raise reader.fail(path.rstrip("."), "un objet est attendu.")
    number = reader.number(raw, "numero", path, required=True)
    kind_label = raw.get("type", "activite")
    kind = _BLOCK_KIND_IN.get(_key(kind_label)) if isinstance(kind_label, str) else None
    if kind is None:
        raise reader.fail(
            f"{path}type",
            f"type « {str(kind_label)[:40]} » inconnu (valeurs possibles : activite, extension).",
        )
    return ParsedBlock(
        number=number,  # type: ignore[arg-type]
        title=reader.text(raw, "intitule", path, required=True),
        kind=kind,
        description=reader.text(raw, "description", path, required=False, multiline=True),
    )


# ---------------------------------------------------------------------------- CSV


def to_csv(fw: ParsedFramework, *, delimiter: str = ";") -> str:
    """Export as CSV text (``;`` by default, for French Excel). Warnings are omitted.

    Transversal competencies get the positional codes CT1, CT2... (they are not numbered
    in a REAC); professional ones get CP<number>. Every cell goes through
    :func:`siae_app.services.exports.spreadsheet_safe` (a text starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'``); :func:`from_csv` removes it.
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
        for key, values in _knowledge(comp.knowledge).items():
            for value in values:
                row("savoir", *head, key, value)

    for block in fw.blocks:
        block_cols = [str(block.number), _BLOCK_KIND_OUT.get(block.kind, block.kind), block.title]
        row("activite", *block_cols, "", "", "", block.description)
        for comp in block.competencies:
            competency_rows(block_cols, f"CP{comp.number}", comp)
    for position, comp in enumerate(fw.transversal, start=1):
        competency_rows(["", "", ""], f"CT{position}", comp)
    return out.getvalue()


def _identity(fw: ParsedFramework, *, french: bool) -> dict[str, str | None]:
    """The framework's identity, as both the JSON and the CSV header write it."""
    return {
        "intitule": fw.title,
        "sigle": fw.acronym,
        "code": fw.code,
        "niveau": fw.level,
        "millesime": fw.version,
        "date_validation": _date_out(fw.validated_on, french=french),
        "date_mise_a_jour": _date_out(fw.updated_on, french=french),
    }


def _csv_metadata(fw: ParsedFramework) -> dict[str, str | None]:
    return _identity(fw, french=True)


def to_csv_bytes(fw: ParsedFramework, *, delimiter: str = ";") -> bytes:
    """CSV encoded as UTF-8 with BOM, so that Excel detects the encoding."""
    return to_csv(fw, delimiter=delimiter).encode("utf-8-sig")


@dataclass
class _CsvBlock:
    number: int
    line: int
    kind: str | None = None
    kind_line: int = 0
    title: str = ""
    title_line: int = 0
    description: str = ""
    declared: int = 0


@dataclass
class _CsvCompetency:
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
            knowledge=_knowledge(self.knowledge),
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
_CODE_RE = re.compile(r"^(?P<prefix>cp|ct)?\s*0*(?P<num>\d{1,3})$", re.ASCII)
_BLOCK_NUMBER_RE = re.compile(r"^0*\d{1,3}$", re.ASCII)
_MAX_CELL = limits.MAX_DESCRIPTION


# A valid file has at most one row per metadata, activité type, compétence, critère and
# savoir: reading stops at the first row beyond.
MAX_CSV_LINES = (
    len(_METADATA_KEYS)
    + limits.MAX_BLOCKS
    + limits.MAX_COMPETENCIES
    + limits.MAX_CRITERIA
    + limits.MAX_KNOWLEDGE_ITEMS
)


def from_csv(text: str) -> ParsedFramework:
    """Parse the documented CSV format; errors name the offending line (French).

    Cells are read back with :func:`siae_app.services.exports.from_spreadsheet`, so the
    guard added by :func:`to_csv` to formula-like texts is removed.
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
        state = _CsvState(_csv_columns(header.cells))
        for row in rows:
            state.add_row(row.cells, row.line)
    except TooManyLines as exc:
        raise FrameworkFormatError(
            f"Ce fichier compte plus de {french_number(exc.limit)} lignes : au-delà, "
            "l’import n’est pas possible. Découpez-le en plusieurs référentiels."
        ) from exc
    except SpreadsheetError as exc:
        raise FrameworkFormatError(exc.message, exc.line) from exc
    return limits.check_framework(state.build(), FrameworkFormatError)


def _csv_columns(header: list[str]) -> dict[str, int]:
    """Column name -> index; unknown columns (notes...) are ignored."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = _HEADER_ALIASES.get(_key(from_spreadsheet(name)))
        if canonical is None:
            continue
        if canonical in columns:
            raise FrameworkFormatError(f"la colonne « {canonical} » apparaît deux fois.", 1)
        columns[canonical] = index
    missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FrameworkFormatError(
            "colonne(s) obligatoire(s) manquante(s) : "
            + ", ".join(missing)
            + ". Colonnes attendues : "
            + ";".join(CSV_COLUMNS)
            + ".",
            1,
        )
    return columns


class _CsvState:
    """The tree being read from CSV rows, with the line where each element was first seen."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = columns
        self.metadata: dict[str, tuple[str, int]] = {}
        self.blocks: dict[int, _CsvBlock] = {}
        self.competencies: dict[tuple[str, int], _CsvCompetency] = {}
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
        row_type = _key(cells["type_ligne"])
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
        key = _key(cells["categorie"]).replace(" ", "_")
        if key not in _METADATA_KEYS:
            raise FrameworkFormatError(
                f"information « {cells['categorie'][:40]} » inconnue pour une ligne « titre » "
                f"(valeurs possibles : {', '.join(_METADATA_KEYS)}).",
                line,
            )
        if key in self.metadata:
            raise FrameworkFormatError(
                f"l’information « {key} » est déjà renseignée (ligne {self.metadata[key][1]}).",
                line,
            )
        value = _clean(cells["texte"])
        if key.startswith("date_") and value:
            try:
                _date_in(value)
            except ValueError:
                raise FrameworkFormatError(
                    f"date « {value[:40]} » invalide (format attendu : JJ/MM/AAAA).", line
                ) from None
        self.metadata[key] = (value, line)

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
        block.description = _clean_multiline(cells["texte"])

    def add_competency(self, cells: dict[str, str], line: int) -> None:
        comp = self.competency_of(cells, line)
        if comp.declared:
            raise FrameworkFormatError(
                f"la compétence {comp.code} est déjà déclarée (ligne {comp.declared}).", line
            )
        comp.declared = line
        comp.description = _clean_multiline(cells["texte"])

    def add_criterion(self, cells: dict[str, str], line: int) -> None:
        comp = self.competency_of(cells, line)
        criterion = _clean(cells["texte"])
        if not criterion:
            raise FrameworkFormatError("le texte du critère est vide (colonne « texte »).", line)
        key = _key(criterion)
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
        category = _KNOWLEDGE_ALIASES.get(_key(label).replace(" ", "_")) or _KNOWLEDGE_ALIASES.get(
            _key(label)
        )
        if category is None:
            raise FrameworkFormatError(
                f"catégorie « {label[:40]} » inconnue (valeurs possibles : {_KNOWLEDGE_LIST}).",
                line,
            )
        value = _clean(cells["texte"])
        if not value:
            raise FrameworkFormatError("le texte du savoir est vide (colonne « texte »).", line)
        comp.knowledge.setdefault(category, []).append(value)

    # ------------------------------------------------- blocks and competencies

    def block_of(self, cells: dict[str, str], line: int) -> _CsvBlock | None:
        """The row's activité type (None when the column is empty), created on first sight."""
        raw = cells["activite"]
        if not raw:
            return None
        if not _BLOCK_NUMBER_RE.match(raw) or int(raw) < 1:
            raise FrameworkFormatError(
                f"numéro d’activité type « {raw[:20]} » invalide (nombre entier attendu).", line
            )
        number = int(raw)
        if number not in self.blocks:
            _check_count(len(self.blocks) + 1, limits.MAX_BLOCKS, "activités types", line)
        block = self.blocks.setdefault(number, _CsvBlock(number, line))
        self.set_block_kind(block, cells.get("activite_type", ""), line)
        self.set_block_title(block, _clean(cells["activite_intitule"]), line)
        return block

    @staticmethod
    def set_block_kind(block: _CsvBlock, label: str, line: int) -> None:
        if not label:
            return
        kind = _BLOCK_KIND_IN.get(_key(label))
        if kind is None:
            raise FrameworkFormatError(
                f"type d’activité « {label[:40]} » inconnu (valeurs possibles : activite, "
                "extension).",
                line,
            )
        if block.kind is not None and block.kind != kind:
            raise FrameworkFormatError(
                f"l’activité type n° {block.number} a déjà le type "
                f"« {_BLOCK_KIND_OUT[block.kind]} » (ligne {block.kind_line}).",
                line,
            )
        block.kind, block.kind_line = kind, block.kind_line or line

    @staticmethod
    def set_block_title(block: _CsvBlock, title: str, line: int) -> None:
        _set_title_once(
            block,
            title,
            line,
            f"l’activité type n° {block.number} a déjà l’intitulé « {block.title} » (ligne "
            f"{block.title_line}) ; intitulé différent : « {title} ».",
        )

    def competency_of(self, cells: dict[str, str], line: int) -> _CsvCompetency:
        """The row's competency, created on first sight and tied to the row's activité type."""
        block = self.block_of(cells, line)
        kind, number = _competency_code(cells["competence"], block, line)
        comp = self.competencies.get((kind, number))
        if comp is None:
            _check_count(len(self.competencies) + 1, limits.MAX_COMPETENCIES, "compétences", line)
            comp = _CsvCompetency(kind, number, line, block.number if block else None)
            self.competencies[(kind, number)] = comp
        elif block is not None and comp.block != block.number:
            raise FrameworkFormatError(
                f"la compétence {comp.code} est déjà rattachée à l’activité type "
                f"n° {comp.block} (ligne {comp.line}) : un code de compétence ne peut pas être "
                "utilisé deux fois.",
                line,
            )
        self.set_competency_title(comp, _clean(cells["competence_intitule"]), line)
        return comp

    @staticmethod
    def set_competency_title(comp: _CsvCompetency, title: str, line: int) -> None:
        _set_title_once(
            comp,
            title,
            line,
            f"le code {comp.code} est déjà utilisé pour « {comp.title} » (ligne "
            f"{comp.title_line}) ; intitulé différent : « {title} ».",
        )

    # -------------------------------------------------------------- the tree

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
            validated_on=_date_in(meta["date_validation"]) if meta.get("date_validation") else None,
            updated_on=_date_in(meta["date_mise_a_jour"]) if meta.get("date_mise_a_jour") else None,
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
            other = seen_titles.setdefault(_key(comp.title), comp.code)
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
    if item.title and _key(item.title) != _key(title):
        raise FrameworkFormatError(conflict, line)
    if not item.title:
        item.title, item.title_line = title, line


def _competency_code(raw: str, block: _CsvBlock | None, line: int) -> tuple[str, int]:
    """("professional" | "transversal", number) from a CP<n> / CT<n> code."""
    match = _CODE_RE.match(_key(raw).replace(" ", ""))
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


# ------------------------------------------------------------------ text uploads

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text_upload(data: bytes) -> str:
    """Decode an uploaded .txt / .csv file.

    Accepts UTF-8 (with or without BOM) and UTF-16 with BOM (Excel "texte Unicode"),
    then falls back to Windows-1252 and Latin-1. Line endings become ``\\n``. Raises
    :class:`TextDecodeError` (French) for PDF, Office / zip files and binary content.
    """
    if not data:
        return ""
    _refuse_documents(data)
    text = _decode(data)
    if text is None or len(_CONTROL_RE.findall(text)) > max(2, len(text) // 200):
        raise TextDecodeError(
            "Ce fichier ne semble pas être un fichier texte (contenu binaire ou encodage inconnu)."
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_DOCUMENT_MAGICS = (
    (b"%PDF-", "Ce fichier est un PDF et non un fichier texte : utilisez l’import PDF."),
    (
        b"PK\x03\x04",
        "Ce fichier est un classeur ou un document bureautique (.xlsx, .ods, .docx…) : "
        "enregistrez-le au format « CSV UTF-8 » (ou texte .txt), puis réessayez.",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "Ce fichier est un document Office ancien (.xls, .doc) : enregistrez-le au format "
        "« CSV UTF-8 » (ou texte .txt), puis réessayez.",
    ),
)


def _refuse_documents(data: bytes) -> None:
    for magic, message in _DOCUMENT_MAGICS:
        if data.startswith(magic):
            raise TextDecodeError(message)


def _decode(data: bytes) -> str | None:
    """The text of the bytes, or None for binary content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TextDecodeError("Ce fichier UTF-16 est illisible (encodage invalide).") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise TextDecodeError(
                "Ce fichier annonce l’encodage UTF-8 mais contient des caractères invalides."
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data:
            return None
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
