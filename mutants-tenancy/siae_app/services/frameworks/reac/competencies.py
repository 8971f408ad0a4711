"""The competencies of a REAC, with their description, criteria and knowledge.

* Fiches compétence professionnelle: one per number; a second fiche with the same number is
  the continuation of the first (same title) or ignored (reported). A fiche without a
  "Critères de performance" sub-heading is reported.
* Compétences transversales: one fiche holds them all, each starting at its "Description de
  la compétence" sub-heading (or its "Critères de performance" one when it has no
  description), its title being the item just before; they are checked against the list of
  the fiche emploi type, and taken from that list alone when there is no fiche.

A criterion repeated within a competency is kept once (reported).
"""

from __future__ import annotations

from siae_app.services.frameworks import limits
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.fiches import (
    Section,
    heading_rest,
    sections_of,
    skip_heading_tail,
    strip_numbering,
    subsections,
)
from siae_app.services.frameworks.reac.knowledge import parse_knowledge
from siae_app.services.frameworks.reac.lines import BLANK, Line
from siae_app.services.frameworks.reac.segments import (
    Vocabulary,
    list_items,
    paragraphs,
    segment,
    title_of,
)
from siae_app.services.frameworks.reac.text import compact, fold_aligned
from siae_app.services.frameworks.tree import ParsedCompetency, ParsedCriterion


def _dedupe_criteria(items: list[str], label: str, warnings: list[str]) -> list[ParsedCriterion]:
    seen: set[str] = set()
    result: list[ParsedCriterion] = []
    for item in items:
        key = compact(item)
        if key in seen:
            warnings.append(f"Critère répété ignoré pour {label} : « {item} ».")
            continue
        seen.add(key)
        result.append(ParsedCriterion(item))
    return result


def _parse_cp_section(
    section: Section, vocab: Vocabulary, warnings: list[str], ambiguous: list[int]
) -> tuple[ParsedCompetency, bool]:
    """Parse one "FICHE COMPÉTENCE PROFESSIONNELLE"; also tell whether it has a criteria
    sub-heading (a missing one is already reported in ``warnings``)."""
    number = int(section.heading.match.group("num"))  # type: ignore[union-attr]
    parts = subsections(section.lines)
    title_lines = parts[0][2]
    rest = heading_rest(section.heading)
    title = vocab.join(rest, title_of(title_lines, vocab)).strip()
    comp = ParsedCompetency(number=number, title=strip_numbering(title), kind="professional")
    criteria: list[str] = []
    seen_criteria = False
    for name, _line, body in parts[1:]:
        if name == "desc":
            comp.description = paragraphs(skip_heading_tail(body), vocab)
        elif name == "crit":
            seen_criteria = True
            criteria.extend(list_items(body, vocab, numbering=True))
        elif name == "know":
            knowledge, unsure = parse_knowledge(body, vocab)
            for key, values in knowledge.items():
                comp.knowledge.setdefault(key, []).extend(values)
            if unsure:
                ambiguous.append(number)
    comp.criteria = _dedupe_criteria(criteria, f"la compétence n° {number}", warnings)
    if not seen_criteria:
        warnings.append(
            f"La fiche compétence professionnelle n° {number} ne comporte pas de rubrique "
            "« Critères de performance »."
        )
    return comp, seen_criteria


def _merge_duplicate(
    previous: ParsedCompetency, comp: ParsedCompetency, warnings: list[str]
) -> None:
    """A second fiche with the same number: the continuation of the first one, or ignored."""
    if compact(previous.title) == compact(comp.title) or not comp.title:
        known = {compact(c.text) for c in previous.criteria}
        previous.criteria.extend(c for c in comp.criteria if compact(c.text) not in known)
    else:
        warnings.append(
            f"Deux fiches compétence professionnelle portent le n° {comp.number} ; "
            f"la seconde (« {comp.title} ») est ignorée."
        )


def professional_competencies(
    lines: list[Line], vocab: Vocabulary, warnings: list[str]
) -> tuple[list[ParsedCompetency], set[int], list[int]]:
    """The fiches compétence professionnelle, the numbers of those lacking a criteria
    sub-heading (already reported in ``warnings``) and of those whose savoir-faire split
    is uncertain (to be reported)."""
    ambiguous: list[int] = []
    without_heading: set[int] = set()
    seen: dict[int, ParsedCompetency] = {}
    sections = sections_of(lines, "cp")
    limits.check_count(
        len(sections), limits.MAX_COMPETENCIES, "fiches compétence professionnelle", ReacParseError
    )
    for section in sections:
        comp, has_criteria_heading = _parse_cp_section(section, vocab, warnings, ambiguous)
        number: int = comp.number  # type: ignore[assignment]
        if not has_criteria_heading:
            without_heading.add(number)
        if number in seen:
            _merge_duplicate(seen[number], comp, warnings)
        else:
            seen[number] = comp
    comps = list(seen.values())
    if not comps:
        raise ReacParseError(
            "Aucune fiche compétence professionnelle exploitable : ce document ne semble pas "
            "être un REAC."
        )
    for comp in comps:
        if not comp.title:
            comp.title = f"Compétence professionnelle n° {comp.number} (intitulé introuvable)"
            warnings.append(
                f"Intitulé introuvable pour la fiche compétence professionnelle n° {comp.number} : "
                f"« {comp.title} » est utilisé en attendant."
            )
    return comps, without_heading, ambiguous


# ------------------------------------------------------- compétences transversales


def _as_bullets(groups: list[list[str]]) -> list[Line]:
    """Rebuild lines from already segmented items (bullets keep item boundaries exact)."""
    lines: list[Line] = []
    for group in groups:
        if lines:
            lines.append(Line(BLANK))
        lines.extend(Line("text", f"• {item}", fold_aligned(item)) for item in group)
    return lines


def _pop_last_item(body: list[Line], vocab: Vocabulary) -> tuple[list[Line], str]:
    """Split off the last item of a body (the title of the next transversal competency)."""
    groups = segment(body, vocab)
    if not groups:
        return body, ""
    title = groups[-1].pop()
    return _as_bullets([g for g in groups if g]), title


def _parse_transversal(
    section: Section, vocab: Vocabulary, warnings: list[str]
) -> list[ParsedCompetency]:
    """Parse the "fiche des compétences transversales": title, description, criteria...

    Each competency starts at a "Description de la compétence" sub-heading (or at a
    "Critères de performance" sub-heading when it has no description); its title is the
    last item before that sub-heading.
    """
    parts = subsections(section.lines)
    starts = _transversal_starts([name for name, _line, _body in parts])
    bodies = [body for _name, _line, body in parts]
    titles = [""] * len(parts)
    for index in range(1, len(parts)):
        if starts[index]:
            bodies[index - 1], titles[index] = _pop_last_item(bodies[index - 1], vocab)

    result: list[ParsedCompetency] = []
    for index in range(1, len(parts)):
        if starts[index]:
            result.append(ParsedCompetency(None, strip_numbering(titles[index]), "transversal"))
        if result:
            _fill_transversal(result[-1], parts[index][0], bodies[index], vocab)
    for comp in result:
        comp.criteria = _dedupe_criteria(
            [c.text for c in comp.criteria],
            f"la compétence transversale « {comp.title} »",
            warnings,
        )
    return [c for c in result if c.title]


def _transversal_starts(names: list[str | None]) -> list[bool]:
    """Which sub-headings start a new transversal competency."""
    starts = [False] * len(names)
    current_exists = current_has_criteria = False
    for index, name in enumerate(names[1:], start=1):
        if name == "desc" or (name == "crit" and (not current_exists or current_has_criteria)):
            starts[index] = True
            current_exists, current_has_criteria = True, False
        if name == "crit":
            current_has_criteria = True
    return starts


def _fill_transversal(
    comp: ParsedCompetency, name: str | None, body: list[Line], vocab: Vocabulary
) -> None:
    """Add one sub-section (description, criteria or knowledge) to the competency."""
    if name == "desc":
        comp.description = paragraphs(skip_heading_tail(body), vocab)
    elif name == "crit":
        criteria = [c.text for c in comp.criteria] + list_items(body, vocab, numbering=True)
        comp.criteria = [ParsedCriterion(c) for c in criteria]
    elif name == "know":
        knowledge, _unsure = parse_knowledge(body, vocab)
        for key, values in knowledge.items():
            comp.knowledge.setdefault(key, []).extend(values)


def _transversal_list(lines: list[Line], vocab: Vocabulary) -> list[str]:
    region: list[Line] = []
    for index, ln in enumerate(lines):
        if ln.heading == "transv_list":
            for nxt in lines[index + 1 :]:
                if nxt.heading:
                    break
                if nxt.kind == BLANK and any(r.is_text for r in region):
                    break
                region.append(nxt)
            break
    return [strip_numbering(i) for i in list_items(region, vocab)]


def transversal_competencies(
    lines: list[Line], vocab: Vocabulary, warnings: list[str]
) -> list[ParsedCompetency]:
    """From the fiche des compétences transversales, checked against the fiche emploi type's
    list; from that list alone when there is no fiche."""
    transversal: list[ParsedCompetency] = []
    sections = sections_of(lines, "transv")
    limits.check_count(
        len(sections), limits.MAX_BLOCKS, "fiches des compétences transversales", ReacParseError
    )
    for section in sections:
        transversal.extend(_parse_transversal(section, vocab, warnings))
    listed = _transversal_list(lines, vocab)
    if transversal and listed:
        fiche_keys = [compact(c.title) for c in transversal]
        listed_keys = [compact(t) for t in listed]
        if sorted(fiche_keys) != sorted(listed_keys):
            warnings.append(
                "Les compétences transversales de la fiche ("
                + ", ".join(c.title for c in transversal)
                + ") diffèrent de celles listées dans la fiche emploi type ("
                + ", ".join(listed)
                + ")."
            )
    elif listed:
        transversal = [ParsedCompetency(None, title, "transversal") for title in listed]
        warnings.append(
            "Aucune fiche des compétences transversales : les compétences transversales listées "
            "dans la fiche emploi type sont importées sans critère de performance."
        )
    return transversal
