"""The demo accounts' password is published (README, `make run`): no real account may use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from siae_app.services.passwords import DEMO_PASSWORD, password_problems

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_password_refused_is_the_one_the_readme_publishes():
    published = re.search(r"Mot de passe commun : \*\*`([^`]+)`\*\*", README.read_text())
    assert published is not None, "README : le mot de passe de démonstration n'est plus trouvé"
    assert published.group(1) == DEMO_PASSWORD


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, "chantier-solidaire-2026", "Chantier Solidaire 2027", "CHANTIER_SOLIDAIRE"],
)
def test_the_demo_password_and_its_variants_are_refused(password):
    problems = password_problems(password, ["nouvelle.recrue", "Inès", "Roux"])
    assert problems == [
        "Ce mot de passe est celui des comptes de démonstration, publié dans la documentation : "
        "n'importe qui le connaît. Choisissez-en un autre."
    ]


def test_a_password_that_only_contains_the_demo_words_is_judged_on_its_own():
    assert password_problems("Chantier-Solidaire-2026 sous la pluie de novembre", []) == []
