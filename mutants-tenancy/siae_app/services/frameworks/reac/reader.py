"""From the text of a REAC to a framework tree: the stages of :mod:`.reac` run in order."""

from __future__ import annotations

from siae_app.services.frameworks import limits
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.blocks import read_blocks
from siae_app.services.frameworks.reac.competencies import (
    professional_competencies,
    transversal_competencies,
)
from siae_app.services.frameworks.reac.fiches import main_part
from siae_app.services.frameworks.reac.lines import split_lines
from siae_app.services.frameworks.reac.metadata import read_metadata
from siae_app.services.frameworks.reac.placement import place_competencies, warn_gaps
from siae_app.services.frameworks.reac.segments import Vocabulary
from siae_app.services.frameworks.reac.text import normalize_text
from siae_app.services.frameworks.tree import ParsedBlock, ParsedCompetency, ParsedFramework


def parse_reac_text(text: str) -> ParsedFramework:
    """Parse the text of a REAC into a :class:`ParsedFramework`.

    Raises :class:`ReacParseError` (French message) when the text is empty, is not a
    REAC, holds a control character or exceeds the limits of
    :mod:`siae_app.services.frameworks.limits`. Recoverable oddities are reported in
    ``ParsedFramework.warnings`` (French).
    """
    if text is None or not str(text).strip():
        raise ReacParseError("Le document est vide : aucun texte à analyser.")
    limits.check_reac_size(str(text), ReacParseError)
    limits.check_text(str(text), ReacParseError)
    text = normalize_text(str(text))
    warnings: list[str] = []
    vocab = Vocabulary(text)
    lines = main_part(split_lines(text))
    meta = read_metadata(text, lines, warnings)
    comps, without_criteria, ambiguous = professional_competencies(lines, vocab, warnings)
    raw_blocks = read_blocks(lines, vocab, warnings)
    blocks = place_competencies(raw_blocks, comps, lines, vocab, warnings)
    warn_gaps(comps, blocks, warnings)
    transversal = transversal_competencies(lines, vocab, warnings)
    _warn_without_criteria([*comps, *transversal], without_criteria, warnings)
    _warn_ambiguous_knowledge(ambiguous, warnings)
    return limits.check_framework(_framework(meta, blocks, transversal, warnings), ReacParseError)


def _warn_ambiguous_knowledge(ambiguous: list[int], warnings: list[str]) -> None:
    if ambiguous:
        warnings.append(
            "Répartition des savoir-faire (techniques, organisationnels, relationnels) incertaine "
            "pour la ou les compétences n° "
            + ", ".join(str(n) for n in sorted(set(ambiguous)))
            + " : les groupes ne sont pas nettement séparés dans le document, à vérifier."
        )


def _warn_without_criteria(
    comps: list[ParsedCompetency], already_reported: set[int], warnings: list[str]
) -> None:
    for comp in comps:
        reported = comp.kind == "professional" and comp.number in already_reported
        if not comp.criteria and not reported:
            label = (
                f"La compétence professionnelle n° {comp.number}"
                if comp.kind == "professional"
                else "La compétence transversale"
            )
            warnings.append(f"{label} « {comp.title} » n’a aucun critère de performance.")


def _framework(
    meta: dict[str, object],
    blocks: list[ParsedBlock],
    transversal: list[ParsedCompetency],
    warnings: list[str],
) -> ParsedFramework:
    title = str(meta["title"] or "")
    if not title:
        title = "Titre professionnel (intitulé introuvable)"
        warnings.append(
            f"Intitulé du titre professionnel introuvable dans le document : « {title} » est "
            "utilisé en attendant."
        )
    return ParsedFramework(
        title=title,
        acronym=meta["acronym"],  # type: ignore[arg-type]
        code=meta["code"],  # type: ignore[arg-type]
        level=meta["level"],  # type: ignore[arg-type]
        version=meta["version"],  # type: ignore[arg-type]
        validated_on=meta["validated_on"],  # type: ignore[arg-type]
        updated_on=meta["updated_on"],  # type: ignore[arg-type]
        blocks=blocks,
        transversal=transversal,
        warnings=warnings,
    )
