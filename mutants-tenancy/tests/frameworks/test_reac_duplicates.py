"""A criterion repeated in a REAC is kept once, and the repetition is reported.

The input is the real REAC sample (TP-00448) with criteria written twice, as a PDF extraction
sometimes repeats a line at a page break: in a fiche compétence professionnelle (the same
line, and the same line typed with a straight apostrophe and other spaces) and in the fiche
des compétences transversales. Plain pytest: no app, no database.
"""

from __future__ import annotations

from siae_app.services.frameworks.reac.reader import parse_reac_text
from tests.frameworks.helpers import REAC_ETI

ADVICE = "Les conseils sur les produits et services, matières d’œuvre et matériaux sont adaptés"
ADVICE_LINE = ADVICE + " \n"
# The same criterion typed otherwise: straight apostrophe, double spaces, upper case.
ADVICE_TYPED = (
    "Les conseils sur  les produits et services, MATIÈRES d'œuvre et matériaux sont adaptés \n"
)
STRENGTHS_LINE = "Les points forts sont identifiés \n"


def _text() -> str:
    return REAC_ETI.read_text(encoding="utf-8")


def _criteria(parsed, key) -> list[str]:
    comps = parsed.professional_competencies if isinstance(key, int) else parsed.transversal
    comp = next(c for c in comps if (c.number if isinstance(key, int) else c.title) == key)
    return [c.text for c in comp.criteria]


def test_the_sample_has_no_repeated_criterion():
    parsed = parse_reac_text(_text())
    assert _criteria(parsed, 1).count(ADVICE) == 1
    assert not any("répété" in w for w in parsed.warnings)


def test_a_criterion_repeated_in_a_professional_fiche_is_kept_once():
    text = _text()
    assert text.count(ADVICE_LINE) == 1
    parsed = parse_reac_text(text.replace(ADVICE_LINE, ADVICE_LINE + ADVICE_LINE))
    criteria = _criteria(parsed, 1)
    assert criteria.count(ADVICE) == 1
    assert len(criteria) == 4 and criteria[1] == ADVICE  # the first one, in its place
    assert parsed.criterion_count == 87
    assert f"Critère répété ignoré pour la compétence n° 1 : « {ADVICE} »." in parsed.warnings


def test_a_criterion_repeated_with_other_spacing_and_case_is_kept_once():
    text = _text().replace(ADVICE_LINE, ADVICE_LINE + ADVICE_TYPED)
    parsed = parse_reac_text(text)
    criteria = _criteria(parsed, 1)
    assert len(criteria) == 4 and criteria.count(ADVICE) == 1
    assert not any("MATIÈRES" in c for c in criteria)
    assert sum("Critère répété ignoré pour la compétence n° 1" in w for w in parsed.warnings) == 1


def test_a_criterion_repeated_in_the_transversal_fiche_is_kept_once():
    text = _text()
    assert text.count(STRENGTHS_LINE) == 1
    parsed = parse_reac_text(text.replace(STRENGTHS_LINE, STRENGTHS_LINE * 3))
    criteria = _criteria(parsed, "Evaluer ses actions")
    assert criteria.count("Les points forts sont identifiés") == 1
    assert len(criteria) == 5 and parsed.criterion_count == 87
    repeated = [w for w in parsed.warnings if "Critère répété ignoré" in w]
    assert (
        repeated
        == [
            "Critère répété ignoré pour la compétence transversale « Evaluer ses actions » : "
            "« Les points forts sont identifiés »."
        ]
        * 2
    )
