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

from siae_app.services.frameworks.reac import (
    KNOWLEDGE_KEYS,
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
    normalize_text,
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
        "intitule": fw.title,
        "sigle": fw.acronym,
        "code": fw.code,
        "niveau": fw.level,
        "millesime": fw.version,
        "date_validation": _date_out(fw.validated_on, french=False),
        "date_mise_a_jour": _date_out(fw.updated_on, french=False),
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
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        hint = next((fr for en, fr in _JSON_HINTS if exc.msg.startswith(en)), "erreur de syntaxe")
        raise FrameworkFormatError(
            f"JSON invalide (colonne {exc.colno}) : {hint}.", exc.lineno
        ) from exc
    return from_json_dict(data)


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
        return value

    def items(self, obj: dict, key: str, path: str) -> list[Any]:
        value = obj.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{path}{key}", "une liste est attendue.")
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
    if not isinstance(d, dict):
        raise FrameworkFormatError("Le contenu JSON doit être un objet (accolades { }).")
    if d.get("format") != FORMAT_ID:
        raise FrameworkFormatError(
            f"Ce fichier JSON n’est pas un référentiel Parcours SIAE : le champ « format » doit "
            f"valoir « {FORMAT_ID} »."
        )
    version = d.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise FrameworkFormatError(
            f"Version de format « {version} » non prise en charge (version attendue : "
            f"{FORMAT_VERSION})."
        )
    blocks: list[ParsedBlock] = []
    block_numbers: set[int] = set()
    competency_numbers: dict[int, str] = {}
    for index, raw in enumerate(reader.items(d, "activites", "")):
        path = f"activites[{index}]."
        if not isinstance(raw, dict):
            raise reader.fail(path.rstrip("."), "un objet est attendu.")
        number = reader.number(raw, "numero", path, required=True)
        if number in block_numbers:
            raise reader.fail(f"{path}numero", f"l’activité type n° {number} est en double.")
        block_numbers.add(number)  # type: ignore[arg-type]
        kind_label = raw.get("type", "activite")
        kind = _BLOCK_KIND_IN.get(_key(kind_label)) if isinstance(kind_label, str) else None
        if kind is None:
            raise reader.fail(
                f"{path}type",
                f"type « {kind_label} » inconnu (valeurs possibles : activite, extension).",
            )
        block = ParsedBlock(
            number=number,  # type: ignore[arg-type]
            title=reader.text(raw, "intitule", path, required=True),
            kind=kind,
            description=reader.text(raw, "description", path, required=False, multiline=True),
        )
        for c_index, c_raw in enumerate(reader.items(raw, "competences", path)):
            c_path = f"{path}competences[{c_index}]."
            comp = reader.competency(c_raw, c_path, "professional")
            if comp.number in competency_numbers:
                raise reader.fail(
                    f"{c_path}numero",
                    f"la compétence n° {comp.number} est en double (déjà dans "
                    f"{competency_numbers[comp.number]}).",  # type: ignore[index]
                )
            competency_numbers[comp.number] = c_path.rstrip(".")  # type: ignore[index]
            block.competencies.append(comp)
        blocks.append(block)
    transversal = [
        reader.competency(raw, f"competences_transversales[{index}].", "transversal")
        for index, raw in enumerate(reader.items(d, "competences_transversales", ""))
    ]
    warnings = reader.items(d, "avertissements", "")
    if not all(isinstance(w, str) for w in warnings):
        raise reader.fail("avertissements", "une liste de textes est attendue.")
    return ParsedFramework(
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


# ---------------------------------------------------------------------------- CSV


def to_csv(fw: ParsedFramework, *, delimiter: str = ";") -> str:
    """Export as CSV text (``;`` by default, for French Excel). Warnings are omitted.

    Transversal competencies get the positional codes CT1, CT2... (they are not numbered
    in a REAC); professional ones get CP<number>.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    metadata = {
        "intitule": fw.title,
        "sigle": fw.acronym,
        "code": fw.code,
        "niveau": fw.level,
        "millesime": fw.version,
        "date_validation": _date_out(fw.validated_on, french=True),
        "date_mise_a_jour": _date_out(fw.updated_on, french=True),
    }
    for key, value in metadata.items():
        if value:
            writer.writerow(["titre", "", "", "", "", "", key, value])

    def competency_rows(block: list[str], code: str, comp: ParsedCompetency) -> None:
        head = [*block, code, comp.title]
        writer.writerow(["competence", *head, "", comp.description])
        for criterion in comp.criteria:
            writer.writerow(["critere", *head, "", criterion.text])
        for key, values in _knowledge(comp.knowledge).items():
            for value in values:
                writer.writerow(["savoir", *head, key, value])

    for block in fw.blocks:
        block_cols = [str(block.number), _BLOCK_KIND_OUT.get(block.kind, block.kind), block.title]
        writer.writerow(["activite", *block_cols, "", "", "", block.description])
        for comp in block.competencies:
            competency_rows(block_cols, f"CP{comp.number}", comp)
    for position, comp in enumerate(fw.transversal, start=1):
        competency_rows(["", "", ""], f"CT{position}", comp)
    return out.getvalue()


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
_CSV_UNREADABLE = (
    "CSV illisible à partir de cette ligne (guillemet non fermé, caractère nul ou cellule "
    "trop longue)."
)
_CODE_RE = re.compile(r"^(?P<prefix>cp|ct)?\s*0*(?P<num>\d{1,3})$")


def _detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def from_csv(text: str) -> ParsedFramework:
    """Parse the documented CSV format; errors name the offending line (French)."""
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        raise FrameworkFormatError("Le fichier CSV est vide.")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_delimiter(first_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise FrameworkFormatError(_CSV_UNREADABLE, 1) from exc
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = _HEADER_ALIASES.get(_key(name))
        if canonical is None:
            continue  # extra columns (notes...) are ignored
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
    state = _CsvState(columns)
    previous_end = reader.line_num
    try:
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            state.add_row(row, line)
    except csv.Error as exc:
        raise FrameworkFormatError(_CSV_UNREADABLE, reader.line_num) from exc
    return state.build()


class _CsvState:
    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = columns
        self.metadata: dict[str, tuple[str, int]] = {}
        self.blocks: dict[int, _CsvBlock] = {}
        self.competencies: dict[tuple[str, int], _CsvCompetency] = {}

    def cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def add_row(self, row: list[str], line: int) -> None:
        if not any(cell.strip() for cell in row):
            return
        row_type = _key(self.cell(row, "type_ligne"))
        if not row_type:
            raise FrameworkFormatError("la colonne « type_ligne » est vide.", line)
        if row_type not in _ROW_TYPES:
            raise FrameworkFormatError(
                f"type de ligne « {self.cell(row, 'type_ligne')} » inconnu (valeurs possibles : "
                + ", ".join(_ROW_TYPES)
                + ").",
                line,
            )
        if row_type == "titre":
            self.add_metadata(row, line)
            return
        block = self.block_of(row, line)
        if row_type == "activite":
            if block is None:
                raise FrameworkFormatError(
                    "numéro d’activité type manquant (colonne « activite »).", line
                )
            if block.declared:
                raise FrameworkFormatError(
                    f"l’activité type n° {block.number} est déjà déclarée "
                    f"(ligne {block.declared}).",
                    line,
                )
            block.declared = line
            block.description = _clean_multiline(self.cell(row, "texte"))
            return
        comp = self.competency_of(row, line, block)
        text = self.cell(row, "texte")
        if row_type == "competence":
            if comp.declared:
                raise FrameworkFormatError(
                    f"la compétence {self.code(comp)} est déjà déclarée (ligne {comp.declared}).",
                    line,
                )
            comp.declared = line
            comp.description = _clean_multiline(text)
        elif row_type == "critere":
            criterion = _clean(text)
            if not criterion:
                raise FrameworkFormatError(
                    "le texte du critère est vide (colonne « texte »).", line
                )
            key = _key(criterion)
            if key in comp.criteria_lines:
                raise FrameworkFormatError(
                    f"critère en double pour la compétence {self.code(comp)} (déjà ligne "
                    f"{comp.criteria_lines[key]}).",
                    line,
                )
            comp.criteria_lines[key] = line
            comp.criteria.append(criterion)
        else:  # savoir
            label = self.cell(row, "categorie")
            category = _KNOWLEDGE_ALIASES.get(
                _key(label).replace(" ", "_")
            ) or _KNOWLEDGE_ALIASES.get(_key(label))
            if "categorie" not in self.columns:
                raise FrameworkFormatError(
                    "colonne « categorie » absente : elle est nécessaire "
                    "pour les lignes « savoir ».",
                    line,
                )
            if category is None:
                raise FrameworkFormatError(
                    f"catégorie « {label} » inconnue (valeurs possibles : {_KNOWLEDGE_LIST}).",
                    line,
                )
            value = _clean(text)
            if not value:
                raise FrameworkFormatError("le texte du savoir est vide (colonne « texte »).", line)
            comp.knowledge.setdefault(category, []).append(value)

    def add_metadata(self, row: list[str], line: int) -> None:
        if "categorie" not in self.columns:
            raise FrameworkFormatError(
                "colonne « categorie » absente : elle est nécessaire pour les lignes « titre ».",
                line,
            )
        key = _key(self.cell(row, "categorie")).replace(" ", "_")
        if key not in _METADATA_KEYS:
            raise FrameworkFormatError(
                f"information « {self.cell(row, 'categorie')} » inconnue pour une ligne « titre » "
                f"(valeurs possibles : {', '.join(_METADATA_KEYS)}).",
                line,
            )
        if key in self.metadata:
            raise FrameworkFormatError(
                f"l’information « {key} » est déjà renseignée (ligne {self.metadata[key][1]}).",
                line,
            )
        value = _clean(self.cell(row, "texte"))
        if key.startswith("date_") and value:
            try:
                _date_in(value)
            except ValueError:
                raise FrameworkFormatError(
                    f"date « {value} » invalide (format attendu : JJ/MM/AAAA).", line
                ) from None
        self.metadata[key] = (value, line)

    def block_of(self, row: list[str], line: int) -> _CsvBlock | None:
        raw = self.cell(row, "activite")
        if not raw:
            return None
        if not raw.isdigit() or int(raw) < 1:
            raise FrameworkFormatError(
                f"numéro d’activité type « {raw} » invalide (nombre entier attendu).", line
            )
        number = int(raw)
        block = self.blocks.setdefault(number, _CsvBlock(number, line))
        kind_label = self.cell(row, "activite_type")
        if kind_label:
            kind = _BLOCK_KIND_IN.get(_key(kind_label))
            if kind is None:
                raise FrameworkFormatError(
                    f"type d’activité « {kind_label} » inconnu (valeurs possibles : activite, "
                    "extension).",
                    line,
                )
            if block.kind is not None and block.kind != kind:
                raise FrameworkFormatError(
                    f"l’activité type n° {number} a déjà le type « {_BLOCK_KIND_OUT[block.kind]} » "
                    f"(ligne {block.kind_line}).",
                    line,
                )
            block.kind, block.kind_line = kind, block.kind_line or line
        title = _clean(self.cell(row, "activite_intitule"))
        if title:
            if block.title and _key(block.title) != _key(title):
                raise FrameworkFormatError(
                    f"l’activité type n° {number} a déjà l’intitulé « {block.title} » (ligne "
                    f"{block.title_line}) ; intitulé différent : « {title} ».",
                    line,
                )
            if not block.title:
                block.title, block.title_line = title, line
        return block

    @staticmethod
    def code(comp: _CsvCompetency) -> str:
        return f"{'CP' if comp.kind == 'professional' else 'CT'}{comp.number}"

    def competency_of(self, row: list[str], line: int, block: _CsvBlock | None) -> _CsvCompetency:
        raw = self.cell(row, "competence")
        match = _CODE_RE.match(_key(raw).replace(" ", ""))
        if not raw or match is None or int(match.group("num")) < 1:
            shown = f"« {raw} »" if raw else "vide"
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
        comp = self.competencies.get((kind, number))
        if comp is None:
            comp = _CsvCompetency(kind, number, line, block.number if block else None)
            self.competencies[(kind, number)] = comp
        elif block is not None and comp.block != block.number:
            raise FrameworkFormatError(
                f"la compétence {self.code(comp)} est déjà rattachée à l’activité type "
                f"n° {comp.block} (ligne {comp.line}) : un code de compétence ne peut pas être "
                "utilisé deux fois.",
                line,
            )
        title = _clean(self.cell(row, "competence_intitule"))
        if title:
            if comp.title and _key(comp.title) != _key(title):
                raise FrameworkFormatError(
                    f"le code {self.code(comp)} est déjà utilisé pour « {comp.title} » (ligne "
                    f"{comp.title_line}) ; intitulé différent : « {title} ».",
                    line,
                )
            if not comp.title:
                comp.title, comp.title_line = title, line
        return comp

    def build(self) -> ParsedFramework:
        if "intitule" not in self.metadata or not self.metadata["intitule"][0]:
            raise FrameworkFormatError(
                "l’intitulé du titre professionnel est obligatoire : ajoutez une ligne de type "
                "« titre », catégorie « intitule »."
            )
        if not self.blocks and not self.competencies:
            raise FrameworkFormatError("Le fichier ne contient aucune activité type ni compétence.")
        warnings: list[str] = []
        for block in self.blocks.values():
            if not block.title:
                raise FrameworkFormatError(
                    f"intitulé de l’activité type n° {block.number} manquant (colonne "
                    "« activite_intitule »).",
                    block.line,
                )
        for comp in self.competencies.values():
            if not comp.title:
                raise FrameworkFormatError(
                    f"intitulé de la compétence {self.code(comp)} manquant (colonne "
                    "« competence_intitule »).",
                    comp.line,
                )
            if not comp.criteria:
                warnings.append(
                    f"La compétence {self.code(comp)} « {comp.title} » n’a aucun "
                    "critère de performance."
                )
        seen_titles: dict[str, str] = {}
        for comp in self.competencies.values():
            other = seen_titles.setdefault(_key(comp.title), self.code(comp))
            if other != self.code(comp):
                warnings.append(
                    f"Les compétences {other} et {self.code(comp)} ont le même intitulé "
                    f"« {comp.title} »."
                )

        def parsed(comp: _CsvCompetency) -> ParsedCompetency:
            return ParsedCompetency(
                number=comp.number if comp.kind == "professional" else None,
                title=comp.title,
                kind=comp.kind,
                criteria=[ParsedCriterion(text) for text in comp.criteria],
                description=comp.description,
                knowledge=_knowledge(comp.knowledge),
            )

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
                    [parsed(c) for c in members],
                    block.description,
                )
            )
        transversal = [
            parsed(c)
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
    if data.startswith(b"%PDF-"):
        raise TextDecodeError(
            "Ce fichier est un PDF et non un fichier texte : utilisez l’import PDF."
        )
    if data.startswith(b"PK\x03\x04"):
        raise TextDecodeError(
            "Ce fichier est un classeur ou un document bureautique (.xlsx, .ods, .docx…) : "
            "enregistrez-le au format « CSV UTF-8 » (ou texte .txt), puis réessayez."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TextDecodeError(
            "Ce fichier est un document Office ancien (.xls, .doc) : enregistrez-le au format "
            "« CSV UTF-8 » (ou texte .txt), puis réessayez."
        )
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise TextDecodeError("Ce fichier UTF-16 est illisible (encodage invalide).") from None
    elif data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise TextDecodeError(
                "Ce fichier annonce l’encodage UTF-8 mais contient des caractères invalides."
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if b"\x00" not in data:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
    if text is None or len(_CONTROL_RE.findall(text)) > max(2, len(text) // 200):
        raise TextDecodeError(
            "Ce fichier ne semble pas être un fichier texte (contenu binaire ou encodage inconnu)."
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
