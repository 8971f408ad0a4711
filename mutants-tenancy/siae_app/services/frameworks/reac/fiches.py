"""The fiches of a REAC: sections between main headings, and their sub-headings.

A fiche runs from its main heading ("FICHE COMPÉTENCE PROFESSIONNELLE N° 3") to the next
one; inside it, sub-headings ("Description de la compétence", "Critères de performance",
"Savoir-faire techniques, savoir-faire organisationnels…") split it into parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.lines import SUB_HEADINGS, Line, classify
from siae_app.services.frameworks.reac.text import fold_aligned


@dataclass
class Section:
    heading: Line
    lines: list[Line]


def main_part(lines: list[Line]) -> list[Line]:
    """The lines up to the "RÉFÉRENTIEL D'ÉVALUATION" (it repeats the criteria)."""
    first_cp = next((i for i, ln in enumerate(lines) if ln.heading == "cp"), None)
    if first_cp is None:
        raise ReacParseError(
            "Aucune fiche compétence professionnelle trouvée : ce document ne semble pas "
            "être un REAC."
        )
    cut = next(
        (
            i
            for i, ln in enumerate(lines)
            if i > first_cp and ln.heading == "re" and len(ln.text) < 80
        ),
        None,
    )
    return lines if cut is None else lines[:cut]


def sections_of(lines: list[Line], kind: str) -> list[Section]:
    result: list[Section] = []
    for index, ln in enumerate(lines):
        if ln.heading != kind:
            continue
        end = index + 1
        while end < len(lines) and not lines[end].heading:
            end += 1
        result.append(Section(ln, lines[index + 1 : end]))
    return result


def region_after(lines: list[Line], kind: str) -> list[Line]:
    """Lines between the first heading of ``kind`` and the next main heading."""
    sections = sections_of(lines, kind)
    return sections[0].lines if sections else []


def subsections(lines: list[Line]) -> list[tuple[str | None, Line | None, list[Line]]]:
    """Split a fiche into (sub-heading kind, heading line, body lines)."""
    parts: list[tuple[str | None, Line | None, list[Line]]] = [(None, None, [])]
    for ln in lines:
        found = classify(ln, SUB_HEADINGS) if ln.is_text else None
        if found:
            name, match = found
            body: list[Line] = []
            rest = match.groupdict().get("rest") if name == "crit" else None
            if rest:
                original = ln.text[match.start("rest") :].strip()
                if original and original[0].isupper():
                    body.append(Line("text", original, fold_aligned(original)))
            parts.append((name, ln, body))
        else:
            parts[-1][2].append(ln)
    return parts


def skip_heading_tail(lines: list[Line]) -> list[Line]:
    """Drop leading blank lines and the wrapped end of a sub-heading (lower-case lines)."""
    index = 0
    while index < len(lines) and not (lines[index].is_text and not lines[index].text[0].islower()):
        index += 1
    return lines[index:]


def heading_rest(line: Line) -> str:
    match = line.match
    if match is None or "rest" not in match.groupdict() or not match.group("rest"):
        return ""
    return line.text[match.start("rest") :].strip()


def strip_numbering(title: str) -> str:
    return re.sub(r"^\d{1,2}\s*[.)–—-]\s+", "", title).strip()
