"""The knowledge lists of a competency: savoir-faire techniques, organisationnels,
relationnels, and savoirs.

Labelled lists ("Savoir-faire techniques :") are read as labelled. Unlabelled ones are
groups separated by blank lines: the last two savoir-faire groups are organisational and
relational, the ones before technical, and items such as "Connaissance de…" are savoirs;
when the groups do not make that split clear, the competency is reported as uncertain.
"""

from __future__ import annotations

import re

from siae_app.services.frameworks.reac.fiches import skip_heading_tail
from siae_app.services.frameworks.reac.lines import Line
from siae_app.services.frameworks.reac.segments import Vocabulary, list_items, segment
from siae_app.services.frameworks.reac.text import fold_aligned

_KNOW_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("savoir_faire_techniques", re.compile(r"^savoir-?faire\s+techniques?\s*:?$")),
    ("savoir_faire_organisationnels", re.compile(r"^savoir-?faire\s+organisationnels?\s*:?$")),
    ("savoir_faire_relationnels", re.compile(r"^savoir-?faire\s+relationnels?\s*:?$")),
    ("savoirs", re.compile(r"^(?:savoirs?|connaissances)\s*:?$")),
]
_SAVOIR_ITEM_RE = re.compile(r"^(?:premier\s+niveau\s+de\s+)?(?:connaissances?|notions?)\b")


def parse_knowledge(lines: list[Line], vocab: Vocabulary) -> tuple[dict[str, list[str]], bool]:
    """Return the knowledge dict and whether the savoir-faire split was ambiguous."""
    lines = skip_heading_tail(lines)
    if any(ln.is_text and _knowledge_label(ln) for ln in lines):
        return _labelled_knowledge(lines, vocab), False
    return _unlabelled_knowledge(lines, vocab)


def _knowledge_label(line: Line) -> str | None:
    return next((key for key, pattern in _KNOW_LABELS if pattern.match(line.folded)), None)


def _labelled_knowledge(lines: list[Line], vocab: Vocabulary) -> dict[str, list[str]]:
    """Lists under "Savoir-faire techniques :", "Savoirs :"... labels."""
    knowledge: dict[str, list[str]] = {}
    current = "savoir_faire_techniques"
    chunk: list[Line] = []

    def store() -> None:
        items = list_items(chunk, vocab, numbering=True)
        if items:
            knowledge.setdefault(current, []).extend(items)

    for ln in lines:
        label = _knowledge_label(ln) if ln.is_text else None
        if label:
            store()
            current, chunk = label, []
        else:
            chunk.append(ln)
    store()
    return knowledge


def _unlabelled_knowledge(
    lines: list[Line], vocab: Vocabulary
) -> tuple[dict[str, list[str]], bool]:
    """Groups separated by blank lines: technical, organisational and relational
    savoir-faire, then the savoirs (items starting with "Connaissance", "Notions"...)."""
    savoir_faire: list[list[str]] = []
    savoirs: list[str] = []
    for group in segment(lines, vocab, numbering=True):
        for position, item in enumerate(group):
            if savoirs or _SAVOIR_ITEM_RE.match(fold_aligned(item)):
                savoirs.append(item)
            elif position == 0:
                savoir_faire.append([item])
            else:
                savoir_faire[-1].append(item)
    knowledge, ambiguous = _split_savoir_faire(savoir_faire)
    if savoirs:
        knowledge["savoirs"] = savoirs
    return {k: v for k, v in knowledge.items() if v}, ambiguous


def _split_savoir_faire(groups: list[list[str]]) -> tuple[dict[str, list[str]], bool]:
    """The last two groups are organisational and relational, the others technical."""
    knowledge: dict[str, list[str]] = {}
    if len(groups) >= 3:
        knowledge["savoir_faire_relationnels"] = groups[-1]
        knowledge["savoir_faire_organisationnels"] = groups[-2]
        knowledge["savoir_faire_techniques"] = [i for g in groups[:-2] for i in g]
        return knowledge, len(groups) > 3
    if groups:
        knowledge["savoir_faire_techniques"] = groups[0]
        if len(groups) == 2:
            knowledge["savoir_faire_organisationnels"] = groups[1]
        return knowledge, True
    return knowledge, False
