"""How both exchange formats write and read values: the format's name, the titre's
information, kinds and knowledge categories as people type them, texts and dates.

Texts read from a file are normalised like a REAC's (typographic apostrophes, plain
spaces…), so that a tree exported and read back is the same tree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from siae_app.services.frameworks.reac.text import normalize_text
from siae_app.services.frameworks.tree import KNOWLEDGE_KEYS, ParsedFramework

FORMAT_ID = "parcours-siae/referentiel"
FORMAT_VERSION = 1


METADATA_KEYS = (
    "intitule",
    "sigle",
    "code",
    "niveau",
    "millesime",
    "date_validation",
    "date_mise_a_jour",
)
BLOCK_KIND_OUT = {"activity": "activite", "extension": "extension"}
BLOCK_KIND_IN = {
    "activite": "activity",
    "activite type": "activity",
    "extension": "extension",
    "activite type d'extension": "extension",
    "ccs": "extension",
    "ccp": "activity",
    "": "activity",
}


KNOWLEDGE_LIST = ", ".join(KNOWLEDGE_KEYS)


_COMBINING_RE = re.compile("[\u0300-\u036f]")
_WHITESPACE_RE = re.compile(r"\s+")


def folded_key(value: str) -> str:
    """Folded key for tolerant comparisons of labels typed by people."""
    value = _COMBINING_RE.sub("", unicodedata.normalize("NFD", value.strip().lower()))
    return _WHITESPACE_RE.sub(" ", value.replace("’", "'").replace("_", " "))


def clean_text(value: str) -> str:
    """Single-line text: normalised like the REAC parser (typographic apostrophes...)."""
    return re.sub(r"\s+", " ", normalize_text(value)).strip()


def clean_multiline(value: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in normalize_text(value).split("\n")]
    return "\n".join(line for line in lines if line)


def date_out(value: dt.date | None, *, french: bool) -> str | None:
    if value is None:
        return None
    return value.strftime("%d/%m/%Y") if french else value.isoformat()


def date_in(value: str) -> dt.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def ordered_knowledge(knowledge: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: list(knowledge[key]) for key in KNOWLEDGE_KEYS if knowledge.get(key)}


def identity(fw: ParsedFramework, *, french: bool) -> dict[str, str | None]:
    """The framework's identity, as both the JSON and the CSV header write it."""
    return {
        "intitule": fw.title,
        "sigle": fw.acronym,
        "code": fw.code,
        "niveau": fw.level,
        "millesime": fw.version,
        "date_validation": date_out(fw.validated_on, french=french),
        "date_mise_a_jour": date_out(fw.updated_on, french=french),
    }
