"""The activités types of a REAC (the blocks), before their competencies are placed.

Each "FICHE ACTIVITÉ TYPE N° x" gives a number, a title (an *activité type d'extension*,
certified by a CCS, is marked in the heading or next to the title), a description and the
list of the competencies it cites (:mod:`.placement` reads that list). Without any such
fiche, the activités types come from the list of the fiche emploi type, and that is
reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from siae_app.services.frameworks import limits
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.fiches import (
    Section,
    heading_rest,
    region_after,
    sections_of,
    skip_heading_tail,
    strip_numbering,
    subsections,
)
from siae_app.services.frameworks.reac.lines import Line
from siae_app.services.frameworks.reac.segments import Vocabulary, list_items, paragraphs, title_of
from siae_app.services.frameworks.reac.text import fold_aligned


@dataclass
class RawBlock:
    number: int
    title: str
    kind: str
    description: str
    cp_list: list[Line]


def read_blocks(lines: list[Line], vocab: Vocabulary, warnings: list[str]) -> list[RawBlock]:
    """The activités types, from their fiches or else from the fiche emploi type's list."""
    raw_blocks: list[RawBlock] = []
    sections = sections_of(lines, "at")
    limits.check_count(len(sections), limits.MAX_BLOCKS, "fiches activité type", ReacParseError)
    for section in sections:
        block = _block_from_section(section, vocab)
        if any(b.number == block.number for b in raw_blocks):
            warnings.append(
                f"Deux fiches activité type portent le n° {block.number} ; la seconde est ignorée."
            )
            continue
        raw_blocks.append(block)
    if not raw_blocks:
        raw_blocks = _blocks_from_list(lines, vocab)
        if raw_blocks:
            warnings.append(
                "Aucune fiche activité type : les activités types sont déduites de "
                "la liste de la fiche emploi type."
            )
    if not raw_blocks:
        raise ReacParseError(
            "Aucune fiche activité type trouvée : impossible de rattacher les compétences "
            "professionnelles à des activités types."
        )
    raw_blocks.sort(key=lambda b: b.number)
    for block in raw_blocks:
        if not block.title:
            block.title = f"Activité type n° {block.number} (intitulé introuvable)"
            warnings.append(
                f"Intitulé introuvable pour l’activité type n° {block.number} : "
                f"« {block.title} » est utilisé en attendant."
            )
    return raw_blocks


_EXTENSION_MARK_RE = re.compile(
    r"^[(\[]?\s*(?:activite\s+type\s+d'extension|ccs|certificat\s+complementaire\s+de\s+"
    r"specialisation)(?:\s*[(\[]\s*ccs\s*[)\]])?\s*[)\]]?\s*:?$"
)
_EXTENSION_TAIL_RE = re.compile(r"\s*[(\[]\s*(?:CCS|activité type d’extension)\s*[)\]]\s*$", re.I)


def _block_from_section(section: Section, vocab: Vocabulary) -> RawBlock:
    match = section.heading.match
    number = int(match.group("num"))  # type: ignore[union-attr]
    extension = bool(match.group("ext"))  # type: ignore[union-attr]
    parts = subsections(section.lines)
    title_parts: list[Line] = []
    rest = heading_rest(section.heading)
    if rest:
        title_parts.append(Line("text", rest, fold_aligned(rest)))
    title_parts.extend(parts[0][2])
    kept: list[Line] = []
    for ln in title_parts:
        if ln.is_text and _EXTENSION_MARK_RE.match(ln.folded):
            extension = True
            continue
        kept.append(ln)
    title = title_of(kept, vocab)
    if _EXTENSION_TAIL_RE.search(title):
        extension = True
        title = _EXTENSION_TAIL_RE.sub("", title)
    description = ""
    cp_list: list[Line] = []
    for name, _line, body in parts[1:]:
        if name == "at_def":
            description = paragraphs(skip_heading_tail(body), vocab)
        elif name == "at_cp_list":
            cp_list = skip_heading_tail(body)
    return RawBlock(
        number,
        strip_numbering(title),
        "extension" if extension else "activity",
        description,
        cp_list,
    )


def _blocks_from_list(lines: list[Line], vocab: Vocabulary) -> list[RawBlock]:
    region = region_after(lines, "list_at_cp")
    blocks: list[RawBlock] = []
    for item in list_items(region, vocab):
        found = re.match(r"^(\d{1,2})\s*[.)–—-]\s*(.+)$", item)
        if found:
            title = found.group(2)
            kind = "extension" if _EXTENSION_TAIL_RE.search(title) else "activity"
            blocks.append(
                RawBlock(
                    int(found.group(1)), _EXTENSION_TAIL_RE.sub("", title).strip(), kind, "", []
                )
            )
        elif blocks:
            blocks[-1].cp_list.append(Line("text", item, fold_aligned(item)))
    return blocks
