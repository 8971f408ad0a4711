"""Reading the JSON exchange format, with a French refusal that names the field.

Before parsing, the text is refused when it holds a control character (raw or as a
``\\u`` escape) or more brackets than a framework can need; after, every field is checked
(kinds, numbers used once, knowledge categories) and the tree against
:mod:`siae_app.services.frameworks.limits`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from siae_app.services.frameworks import limits
from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.values import (
    BLOCK_KIND_IN,
    FORMAT_ID,
    FORMAT_VERSION,
    KNOWLEDGE_LIST,
    clean_multiline,
    clean_text,
    date_in,
    folded_key,
    ordered_knowledge,
)
from siae_app.services.frameworks.tree import (
    KNOWLEDGE_KEYS,
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)
from siae_app.services.spreadsheets import french_number


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
        value = clean_multiline(value) if multiline else clean_text(value)
        if required and not value:
            raise self.fail(f"{path}{key}", "le texte est vide.")
        return value

    def optional(self, obj: dict, key: str) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(key, "une chaîne de caractères est attendue.")
        return clean_text(str(value)) or None

    def date(self, obj: dict, key: str) -> dt.date | None:
        value = obj.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise self.fail(key, "une date AAAA-MM-JJ est attendue.")
        try:
            return date_in(value)
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
            if not isinstance(item, str) or not clean_text(item):
                raise self.fail(f"{path}criteres[{index}]", "critère vide ou non textuel.")
            criteria.append(ParsedCriterion(clean_text(item)))
        knowledge_obj = obj.get("connaissances") or {}
        if not isinstance(knowledge_obj, dict):
            raise self.fail(f"{path}connaissances", "un objet est attendu.")
        knowledge: dict[str, list[str]] = {}
        for key, values in knowledge_obj.items():
            if key not in KNOWLEDGE_KEYS:
                raise self.fail(
                    f"{path}connaissances",
                    f"catégorie « {key} » inconnue (valeurs possibles : {KNOWLEDGE_LIST}).",
                )
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise self.fail(f"{path}connaissances.{key}", "une liste de textes est attendue.")
            cleaned = [clean_text(v) for v in values if clean_text(v)]
            if cleaned:
                knowledge[key] = cleaned
        return ParsedCompetency(
            number=number,
            title=self.text(obj, "intitule", path, required=True),
            kind=kind,
            criteria=criteria,
            description=self.text(obj, "description", path, required=False, multiline=True),
            knowledge=ordered_knowledge(knowledge),
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
    kind = BLOCK_KIND_IN.get(folded_key(kind_label)) if isinstance(kind_label, str) else None
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
