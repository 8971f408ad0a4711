"""Size and character limits every imported framework respects (REAC text or PDF, JSON, CSV).

Pure Python (no Flask, no database). The readers call :func:`check_text` on the raw text
(line-numbered refusal of control characters) and :func:`check_framework` on the tree
they built, before anything is stored: counts, numbers and text lengths that fit the
columns of ``siae_app.models.frameworks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from siae_app.services.frameworks.tree import ParsedCompetency, ParsedFramework

__all__ = [
    "CONTROL_MESSAGE",
    "CONTROL_RE",
    "MAX_BLOCKS",
    "MAX_COMPETENCIES",
    "MAX_CRITERIA",
    "check_count",
    "check_framework",
    "check_reac_size",
    "check_text",
    "control_line",
]

MAX_BLOCKS = 100
MAX_COMPETENCIES = 500  # professional and transversal together
MAX_CRITERIA = 5000
MAX_KNOWLEDGE_ITEMS = 10000
MAX_WARNINGS = 500
MAX_NUMBER = 999  # activité type and compétence numbers
MAX_REAC_CHARS = 2_000_000  # the text of a REAC (the ETI REAC holds 135,000 characters)

# Column sizes of Framework (String(n)); the other texts are Text columns, bounded here.
METADATA_LIMITS = (
    ("title", "l’intitulé du titre", 300),
    ("acronym", "le sigle", 20),
    ("code", "le code du titre", 30),
    ("level", "le niveau", 20),
    ("version", "le millésime", 20),
)
MAX_TITLE = 1000  # activité type, compétence
MAX_DESCRIPTION = 10000
MAX_ITEM = 2000  # critère, savoir, avertissement

# C0 controls except tab, line feed, vertical tab (a manual line break), form feed (a page
# break) and carriage return, then DEL and the C1 controls: never typed by a person,
# refused with the line where they occur.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# In the tree, texts are single-line (multi-line descriptions keep "\n" only).
_TREE_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

Fail = Callable[[str], Exception]


def _n(value: int) -> str:
    """A number as French prints it (narrow no-break space between thousands)."""
    return f"{value:,}".replace(",", "\u202f")


def control_line(text: str) -> int | None:
    """The 1-based line of the first control character of ``text``, or None."""
    match = CONTROL_RE.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


CONTROL_MESSAGE = (
    "caractère de contrôle interdit (caractère nul ou invisible). Enregistrez le fichier "
    "en texte brut (UTF-8), puis réessayez."
)


def check_text(text: str, fail: Fail) -> None:
    """Refuse a text holding a control character, naming its line."""
    line = control_line(text)
    if line is not None:
        raise fail(f"Ligne {line} : {CONTROL_MESSAGE}")


def check_reac_size(text: str, fail: Fail) -> None:
    """Refuse a REAC text far longer than any real one (parsing time grows with it)."""
    if len(text) > MAX_REAC_CHARS:
        raise fail(
            f"Ce document compte {_n(len(text))} caractères : au-delà de {_n(MAX_REAC_CHARS)}, "
            "l’import n’est pas possible (un REAC en compte en général moins de 300 000)."
        )


def check_count(count: int, limit: int, what: str, fail: Fail) -> None:
    if count > limit:
        raise fail(
            f"Ce référentiel compte {_n(count)} {what} : au-delà de {_n(limit)}, "
            "l’import n’est pas possible. Découpez-le en plusieurs référentiels."
        )


# --------------------------------------------------------------------- the tree


def _competency_label(comp: ParsedCompetency) -> str:
    if comp.kind == "professional":
        return f"la compétence CP {comp.number}"
    return f"la compétence transversale « {comp.title[:60]} »"


def _check_counts(fw: ParsedFramework, fail: Fail) -> None:
    comps = fw.all_competencies
    counts = (
        (len(fw.blocks), MAX_BLOCKS, "activités types"),
        (len(comps), MAX_COMPETENCIES, "compétences"),
        (sum(len(c.criteria) for c in comps), MAX_CRITERIA, "critères de performance"),
        (
            sum(len(v) for c in comps for v in c.knowledge.values()),
            MAX_KNOWLEDGE_ITEMS,
            "savoirs et savoir-faire",
        ),
        (len(fw.warnings), MAX_WARNINGS, "avertissements"),
    )
    for count, limit, what in counts:
        check_count(count, limit, what, fail)


def _check_numbers(fw: ParsedFramework, fail: Fail) -> None:
    for block in fw.blocks:
        if not 1 <= block.number <= MAX_NUMBER:
            raise fail(f"Numéro d’activité type {block.number} invalide (de 1 à {MAX_NUMBER}).")
    for comp in fw.professional_competencies:
        if comp.number is not None and not 1 <= comp.number <= MAX_NUMBER:
            raise fail(f"Numéro de compétence {comp.number} invalide (de 1 à {MAX_NUMBER}).")


def _texts(fw: ParsedFramework) -> Iterator[tuple[str, str, int]]:
    """Every text of the tree as (where, text, maximum length)."""
    for attr, label, limit in METADATA_LIMITS:
        yield label, getattr(fw, attr) or "", limit
    for block in fw.blocks:
        where = f"l’activité type n° {block.number}"
        yield f"l’intitulé de {where}", block.title, MAX_TITLE
        yield f"la description de {where}", block.description, MAX_DESCRIPTION
    for comp in fw.all_competencies:
        where = _competency_label(comp)
        yield f"l’intitulé de {where}", comp.title, MAX_TITLE
        yield f"la description de {where}", comp.description, MAX_DESCRIPTION
        for index, criterion in enumerate(comp.criteria, start=1):
            yield f"le critère n° {index} de {where}", criterion.text, MAX_ITEM
        for values in comp.knowledge.values():
            for value in values:
                yield f"un savoir de {where}", value, MAX_ITEM
    for warning in fw.warnings:
        yield "un avertissement", warning, MAX_ITEM


def _check_texts(fw: ParsedFramework, fail: Fail) -> None:
    for where, text, limit in _texts(fw):
        if len(text) > limit:
            raise fail(
                f"Texte trop long : {where} fait {_n(len(text))} caractères "
                f"({_n(limit)} au maximum)."
            )
        if _TREE_CONTROL_RE.search(text):
            raise fail(f"Caractère de contrôle interdit dans {where}.")


def check_framework(fw: ParsedFramework, fail: Fail) -> ParsedFramework:
    """Raise ``fail(message)`` (French) when the tree is too big to be stored; else return it."""
    _check_counts(fw, fail)
    _check_numbers(fw, fail)
    _check_texts(fw, fail)
    return fw
