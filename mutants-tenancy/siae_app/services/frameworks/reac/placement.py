"""Which activité type each compétence professionnelle belongs to.

Sources, in order of trust: the competencies each fiche activité type cites (matched on
titles, insensitive to wraps, hyphens, case and accents); then the synoptic table and the
list of the fiche emploi type, when they cite every activité type (a disagreement with the
fiches is reported, the fiches win); then a near-identical title (a typo between the list
and the fiche); last, the activité type of the competency numbered just before. A placement
by a near title or by default is reported, and so is one by another source when the fiches
place some competencies; so are missing numbers and empty activités types.
"""

from __future__ import annotations

import difflib

from siae_app.services.frameworks import limits
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.blocks import RawBlock
from siae_app.services.frameworks.reac.fiches import region_after
from siae_app.services.frameworks.reac.lines import Line
from siae_app.services.frameworks.reac.segments import Vocabulary, list_items
from siae_app.services.frameworks.reac.text import compact
from siae_app.services.frameworks.tree import ParsedBlock, ParsedCompetency


def place_competencies(
    raw_blocks: list[RawBlock],
    comps: list[ParsedCompetency],
    lines: list[Line],
    vocab: Vocabulary,
    warnings: list[str],
) -> list[ParsedBlock]:
    """The blocks, each holding its competencies in number order."""
    assignment = _assign(raw_blocks, comps, lines, vocab, warnings)
    blocks = [ParsedBlock(b.number, b.title, b.kind, [], b.description) for b in raw_blocks]
    by_number = {b.number: b for b in blocks}
    for comp in sorted(comps, key=lambda c: c.number or 0):
        by_number[assignment[comp.number]].competencies.append(comp)  # type: ignore[index]
    return blocks


def warn_gaps(
    comps: list[ParsedCompetency], blocks: list[ParsedBlock], warnings: list[str]
) -> None:
    """Missing competency numbers, empty activités types."""
    numbers = sorted(c.number for c in comps if c.number is not None)
    missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
    if missing:
        warnings.append(
            "Numérotation des compétences professionnelles incomplète : "
            + ("fiche n° " if len(missing) == 1 else "fiches n° ")
            + ", ".join(str(n) for n in missing)
            + (" absente du document." if len(missing) == 1 else " absentes du document.")
        )
    for block in blocks:
        if not block.competencies:
            warnings.append(
                f"L’activité type n° {block.number} « {block.title} » ne contient "
                "aucune compétence professionnelle."
            )


def _scan_titles(region: list[Line], titles: list[tuple[str, int, str]]) -> list[tuple[str, int]]:
    """Occurrences, in document order, of known titles in a region.

    Matching uses alphanumeric-only keys, so it is insensitive to line wraps, hyphens,
    apostrophes, case and accents. Overlapping matches keep the longest one.
    """
    haystack = "".join(compact(ln.text) for ln in region if ln.is_text)
    matches: list[tuple[int, int, str, int]] = []
    for kind, number, title in titles:
        key = compact(title)
        if len(key) < 4:
            continue
        start = haystack.find(key)
        while start != -1:
            matches.append((start, start + len(key), kind, number))
            start = haystack.find(key, start + 1)
    matches.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen: list[tuple[str, int]] = []
    end = -1
    for start, stop, kind, number in matches:
        if start >= end:
            chosen.append((kind, number))
            end = stop
    return chosen


def _assign(
    raw_blocks: list[RawBlock],
    comps: list[ParsedCompetency],
    lines: list[Line],
    vocab: Vocabulary,
    warnings: list[str],
) -> dict[int, int]:
    """Map each competency number to an activité type number, cross-checking sources:
    the fiches activité type first, then the synoptic table and the fiche emploi type's
    list, then near-identical titles, then the previous competency's activité type."""
    ats = {b.number: b.title for b in raw_blocks}
    cps = {c.number: c.title for c in comps if c.number is not None}
    by_fiche, orphans = _assign_by_fiches(raw_blocks, cps, vocab, warnings)
    assignment = dict(by_fiche)
    for label, mapping in _other_sources(lines, ats, cps):
        _merge_source(assignment, label, mapping, cps, warnings, fiches=bool(by_fiche))
    _match_orphans(assignment, orphans, cps, warnings)
    _assign_by_default(assignment, sorted(ats), cps, warnings)
    return assignment


def _cp_titles(cps: dict[int, str]) -> list[tuple[str, int, str]]:
    return [("cp", n, t) for n, t in cps.items()]


def _assign_by_fiches(
    raw_blocks: list[RawBlock], cps: dict[int, str], vocab: Vocabulary, warnings: list[str]
) -> tuple[dict[int, int], list[tuple[int, str]]]:
    """Competencies cited by each fiche activité type, and the cited items matching none."""
    by_fiche: dict[int, int] = {}
    orphans: list[tuple[int, str]] = []
    for block in raw_blocks:
        for _kind, number in _scan_titles(block.cp_list, _cp_titles(cps)):
            if number in by_fiche and by_fiche[number] != block.number:
                warnings.append(
                    f"La compétence n° {number} est citée dans les fiches activité type "
                    f"n° {by_fiche[number]} et n° {block.number} ; seule la première est retenue."
                )
                continue
            by_fiche[number] = block.number
        for item in list_items(block.cp_list, vocab):
            key = compact(item)
            if key and not any(key in compact(t) or compact(t) in key for t in cps.values()):
                orphans.append((block.number, item))
    return by_fiche, orphans


def _other_sources(
    lines: list[Line], ats: dict[int, str], cps: dict[int, str]
) -> list[tuple[str, dict[int, int]]]:
    """(label, competency -> activité type) from the synoptic table and the fiche emploi
    type's list, when they cite every activité type."""
    sources: list[tuple[str, dict[int, int]]] = []
    for label, kind in (
        ("le tableau synoptique", "synoptic"),
        ("la liste des activités types de la fiche emploi type", "list_at_cp"),
    ):
        region = region_after(lines, kind)
        if region:
            found_ats, mapping = _mapping_in(region, ats, cps)
            if found_ats == set(ats) and mapping:
                sources.append((label, mapping))
    return sources


def _mapping_in(
    region: list[Line], ats: dict[int, str], cps: dict[int, str]
) -> tuple[set[int], dict[int, int]]:
    """Activité type titles found in a region, and each competency title found under one."""
    found_ats: set[int] = set()
    mapping: dict[int, int] = {}
    current: int | None = None
    titles = [("at", n, t) for n, t in ats.items()] + _cp_titles(cps)
    for kind, number in _scan_titles(region, titles):
        if kind == "at":
            current = number
            found_ats.add(number)
        elif current is not None:
            mapping.setdefault(number, current)
    return found_ats, mapping


def _merge_source(
    assignment: dict[int, int],
    label: str,
    mapping: dict[int, int],
    cps: dict[int, str],
    warnings: list[str],
    *,
    fiches: bool,
) -> None:
    """Fill the gaps of ``assignment`` from another source; report disagreements."""
    for number, at in sorted(mapping.items()):
        if number not in assignment:
            assignment[number] = at
            if fiches:
                warnings.append(
                    f"La compétence n° {number} « {cps[number]} » n’est citée dans aucune "
                    f"fiche activité type ; rattachement à l’activité type n° {at} "
                    f"d’après {label}."
                )
        elif assignment[number] != at:
            warnings.append(
                f"Rattachement divergent pour la compétence n° {number} « {cps[number]} » : "
                f"activité type n° {assignment[number]} d’après les fiches activité type, "
                f"n° {at} d’après {label}. Le rattachement des fiches est retenu."
            )


def _closest_unassigned(
    item: str, cps: dict[int, str], assignment: dict[int, int]
) -> tuple[int | None, float]:
    key = compact(item)
    best, best_ratio = None, 0.0
    for number, title in cps.items():
        if number in assignment:
            continue
        ratio = difflib.SequenceMatcher(None, key, compact(title)).ratio()
        if ratio > best_ratio:
            best, best_ratio = number, ratio
    return best, best_ratio


def _match_orphans(
    assignment: dict[int, int],
    orphans: list[tuple[int, str]],
    cps: dict[int, str],
    warnings: list[str],
) -> None:
    """Near-identical titles (typos between the list and the fiche)."""
    limits.check_count(
        len(orphans), limits.MAX_WARNINGS, "compétences citées sans fiche", ReacParseError
    )
    for at, item in orphans:
        best, ratio = _closest_unassigned(item, cps, assignment)
        if best is not None and ratio >= 0.8:
            assignment[best] = at
            warnings.append(
                f"L’activité type n° {at} cite « {item} », rapprochée de la compétence "
                f"n° {best} « {cps[best]} » (intitulés légèrement différents)."
            )
        else:
            warnings.append(
                f"L’activité type n° {at} cite « {item} », qui ne correspond à aucune fiche "
                "compétence professionnelle."
            )


def _assign_by_default(
    assignment: dict[int, int], ordered_blocks: list[int], cps: dict[int, str], warnings: list[str]
) -> None:
    """A competency cited nowhere goes with the competency numbered just before it."""
    for number in sorted(cps):
        if number in assignment:
            continue
        lower = [assignment[n] for n in sorted(assignment) if n < number]
        at = lower[-1] if lower else ordered_blocks[0]
        assignment[number] = at
        warnings.append(
            f"La compétence n° {number} « {cps[number]} » n’est rattachée à aucune activité "
            f"type dans le document ; rattachement par défaut à l’activité type n° {at}."
        )
