"""Tests of the REAC text parser (plain pytest: no Flask app, no database).

The expected numbers for the real REAC (TP-00448) were counted by hand from
siae_app/demo/data/reac-eti-tp-00448.txt, fiche by fiche, not derived from the parser.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.reader import parse_reac_text
from siae_app.services.frameworks.tree import KNOWLEDGE_KEYS, ParsedFramework
from tests.frameworks.helpers import REAC_ETI

DATA = Path(__file__).resolve().parent / "data"

ETI_BLOCK_TITLES = {
    1: "Organiser et gérer une activité de production et encadrer l’équipe dans une structure "
    "d’insertion",
    2: "Participer à l’accueil, à l’accompagnement socio-professionnel et au suivi des salariés "
    "en insertion",
    3: "Organiser des séances d’apprentissage en lien avec les situations de production d’une "
    "structure d’insertion",
}
ETI_COMPETENCY_TITLES = {
    1: "Contribuer à la relation client d’une structure d’insertion",
    2: "Organiser une activité de production en structure d’insertion",
    3: "Gérer une activité de production dans une structure d’insertion",
    4: "Encadrer une équipe de salariés en insertion",
    5: "Accueillir et mettre en place les conditions favorables à l’intégration de salariés en "
    "insertion",
    6: "Accompagner et suivre les salariés dans leur parcours d’insertion",
    7: "Travailler en équipe et avec les acteurs impliqués dans le parcours d’insertion des "
    "salariés",
    8: "Préparer les séances d’apprentissage pour favoriser l’acquisition de compétences en "
    "situation de production",
    9: "Animer des séances d’apprentissage en lien avec les situations de production",
    10: "Evaluer les acquis des salariés tout au long du parcours d’insertion",
}
ETI_MEMBERSHIP = {1: [1, 2, 3, 4], 2: [5, 6, 7], 3: [8, 9, 10]}
# Hand count of the "Critères de performance" lists of the REAC part (pages 12-40).
ETI_CRITERIA_COUNTS = {1: 4, 2: 6, 3: 8, 4: 7, 5: 7, 6: 7, 7: 4, 8: 9, 9: 9, 10: 9}
ETI_TRANSVERSAL = [
    ("Respecter des règles et des procédures", 4),
    ("Evaluer ses actions", 5),
    ("Traiter des informations", 4),
    ("Mobiliser les environnements numériques", 4),
]
# Criteria wrapped over two lines in the document: (competency number or transversal
# title, position in its list, full text).
ETI_WRAPPED_CRITERIA = [
    (
        1,
        3,
        "La satisfaction du client est assurée tout au long de l’activité de production en "
        "lien avec la direction de la structure",
    ),
    (
        2,
        4,
        "Les modalités d’intervention sont définies avec la hiérarchie en tenant compte des "
        "activités de la structure et des impératifs du client",
    ),
    (
        3,
        3,
        "La planification des moyens humains tient compte des besoins et des compétences des "
        "salariés en insertion en tenant compte des situations éventuelles de handicap",
    ),
    (
        4,
        2,
        "Les plannings sont établis et le travail est réparti en s’appuyant sur les compétences "
        "et besoins des salariés en insertion en tenant compte des éventuelles situations de "
        "handicap",
    ),
    (
        8,
        5,
        "Les objectifs et les méthodes pédagogiques sont adaptés aux besoins des apprenants et "
        "cohérents par rapport aux objectifs de production",
    ),
    (
        10,
        1,
        "Les projets d’insertion des salariés sont pris en compte en tenant compte des "
        "éventuelles situations de handicap",
    ),
    (
        "Respecter des règles et des procédures",
        3,
        "Les règles et les procédures de la structure, dans le cadre des différentes situations "
        "professionnelles, sont mises en œuvre par les salariés en insertion",
    ),
    (
        "Mobiliser les environnements numériques",
        0,
        "Les outils numériques (logiciels bureautiques et professionnels) sont utilisés à bon "
        "escient dans l’activité de l’encadrant techniques d’insertion",
    ),
]


@pytest.fixture(autouse=True)
def _transaction():
    """These tests need neither the app nor a database: this module-level fixture shadows
    the suite-wide autouse ``_transaction`` fixture of tests/conftest.py (if present)."""
    yield None


FOOTER_FRAGMENTS = (
    "SIGLE",
    "TP-00448",
    "REAC",
    "Type de document",
    "Millésime",
    "14/10/2024",
    "Date de mise à jour",
)


def read(path: Path) -> str:
    if not path.is_file():
        pytest.fail(f"reference document not found: {path} ")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def eti_text() -> str:
    return read(REAC_ETI)


@pytest.fixture(scope="module")
def eti(eti_text: str) -> ParsedFramework:
    return parse_reac_text(eti_text)


def criteria_of(fw: ParsedFramework, key: int | str) -> list[str]:
    if isinstance(key, int):
        comp = fw.competency(key)
    else:
        comp = next(c for c in fw.transversal if c.title == key)
    assert comp is not None
    return [c.text for c in comp.criteria]


def all_strings(fw: ParsedFramework) -> list[str]:
    strings = [fw.title]
    for block in fw.blocks:
        strings.append(block.title)
    for comp in fw.all_competencies:
        strings.append(comp.title)
        strings.extend(c.text for c in comp.criteria)
        for values in comp.knowledge.values():
            strings.extend(values)
    return strings


# ------------------------------------------------------------------ real REAC (ETI)


def test_eti_metadata(eti: ParsedFramework) -> None:
    assert eti.title == "Encadrant technique d’insertion"
    assert eti.acronym == "ETI"
    assert eti.code == "TP-00448"
    assert eti.level == "4"
    assert eti.version == "06"
    assert eti.validated_on == dt.date(2024, 10, 14)
    assert eti.updated_on == dt.date(2024, 10, 14)


def test_eti_blocks_and_membership(eti: ParsedFramework) -> None:
    assert [b.number for b in eti.blocks] == [1, 2, 3]
    assert {b.number: b.title for b in eti.blocks} == ETI_BLOCK_TITLES
    assert all(b.kind == "activity" for b in eti.blocks)
    assert {b.number: [c.number for c in b.competencies] for b in eti.blocks} == ETI_MEMBERSHIP
    titles = {c.number: c.title for c in eti.professional_competencies}
    assert titles == ETI_COMPETENCY_TITLES
    assert all(c.kind == "professional" for c in eti.professional_competencies)


def test_eti_criteria_counts_per_competency(eti: ParsedFramework) -> None:
    counts = {c.number: len(c.criteria) for c in eti.professional_competencies}
    assert counts == ETI_CRITERIA_COUNTS
    assert [(c.title, len(c.criteria)) for c in eti.transversal] == ETI_TRANSVERSAL
    assert eti.counts() == {
        "activites": 3,
        "competences": 10,
        "competences_transversales": 4,
        "criteres": 87,
    }
    assert eti.block_count == 3
    assert eti.competency_count == 10
    assert eti.transversal_count == 4
    assert eti.criterion_count == 87
    assert [b.criterion_count for b in eti.blocks] == [25, 18, 27]


def test_eti_transversal_competencies_are_unnumbered(eti: ParsedFramework) -> None:
    assert [c.kind for c in eti.transversal] == ["transversal"] * 4
    assert [c.number for c in eti.transversal] == [None] * 4


@pytest.mark.parametrize(("key", "position", "expected"), ETI_WRAPPED_CRITERIA)
def test_eti_wrapped_criteria_are_joined(
    eti: ParsedFramework, key: int | str, position: int, expected: str
) -> None:
    assert criteria_of(eti, key)[position] == expected


def test_eti_first_and_last_criteria(eti: ParsedFramework) -> None:
    assert (
        criteria_of(eti, 1)[0] == "Les attentes et besoins du client sont identifiés et "
        "clarifiés si nécessaire"
    )
    assert (
        criteria_of(eti, 8)[-1] == "Les difficultés d’apprentissage sont anticipées et des "
        "remédiations sont prévues"
    )
    assert (
        criteria_of(eti, 10)[-1] == "Les évolutions et bilans sont partagés avec les acteurs "
        "internes et externes impliqués"
    )
    # The last list of the REAC must stop before the glossary.
    assert criteria_of(eti, "Mobiliser les environnements numériques")[-1] == (
        "Les outils collaboratifs sont utilisés à bon escient"
    )


def test_eti_no_duplicate_criterion(eti: ParsedFramework) -> None:
    texts = [c.text for comp in eti.all_competencies for c in comp.criteria]
    assert len(texts) == len(set(texts)) == 87


def test_eti_no_page_furniture_in_content(eti: ParsedFramework) -> None:
    for text in all_strings(eti):
        for fragment in FOOTER_FRAGMENTS:
            assert fragment not in text, (fragment, text)
        assert not re.search(r"\b\d{1,2}/46\b", text), text
        assert "'" not in text, text  # apostrophes normalised to ’
        assert "  " not in text and text == text.strip(), text


def test_eti_evaluation_referential_is_ignored(eti: ParsedFramework, eti_text: str) -> None:
    cut = eti_text.index("REFERENTIEL D’EVALUATION")
    assert parse_reac_text(eti_text[:cut]) == eti
    glossary = "Un critère de performance sert à porter un jugement"
    assert not any(glossary in t for t in all_strings(eti))


def test_eti_knowledge(eti: ParsedFramework) -> None:
    cp1 = eti.competency(1)
    assert cp1 is not None
    assert set(cp1.knowledge) == set(KNOWLEDGE_KEYS)
    assert cp1.knowledge["savoirs"][0] == (
        "Connaissance de l’Insertion par l’activité économique (IAE) et de son environnement"
    )
    assert len(cp1.knowledge["savoirs"]) == 8
    assert cp1.knowledge["savoir_faire_organisationnels"] == [
        "Gérer son temps",
        "Organiser les étapes de mise en place d’un projet",
        "Conseiller un client dans le choix des produits, matières d’œuvre ou matériaux",
    ]
    assert cp1.knowledge["savoir_faire_relationnels"][-1] == (
        "Adapter sa posture de service et sa communication aux spécificités du client "
        "(personne en situation de handicap,...)"
    )
    cp2 = eti.competency(2)
    assert cp2 is not None and len(cp2.knowledge["savoirs"]) == 12
    # CP8's knowledge spans a page footer: the footer is dropped, the items are kept.
    cp8 = eti.competency(8)
    assert cp8 is not None
    assert cp8.knowledge["savoir_faire_organisationnels"][-2:] == [
        "Anticiper l’organisation matérielle pour le déroulement de la séance",
        "Anticiper les aléas en prévoyant des solutions alternatives",
    ]
    assert len(cp8.knowledge["savoirs"]) == 7


def test_eti_descriptions(eti: ParsedFramework) -> None:
    cp1 = eti.competency(1)
    assert cp1 is not None
    assert cp1.description.startswith("Dans le respect de son niveau de délégation")
    assert cp1.description.endswith("et à son équilibre économique.")
    assert eti.blocks[0].description.startswith("A partir de la commande de biens ou de services")
    assert eti.transversal[1].description.startswith("En s’appuyant sur une démarche d’analyse")


def test_eti_warnings_only_about_knowledge_grouping(eti: ParsedFramework) -> None:
    assert len(eti.warnings) == 1
    assert "savoir-faire" in eti.warnings[0]


def test_eti_helpers(eti: ParsedFramework) -> None:
    block = eti.block_of(6)
    assert block is not None and block.number == 2
    assert eti.competency(11) is None
    comp = eti.competency(9)
    assert comp is not None and comp.criterion_count == 9


def test_eti_robust_to_line_endings_spaces_and_apostrophes(
    eti: ParsedFramework, eti_text: str
) -> None:
    variant = eti_text.replace("’", "'").replace(" ", "\u00a0 ").replace("\n", "\r\n")
    assert parse_reac_text(variant) == eti


@pytest.mark.parametrize("width", [45, 60, 75, 90])
def test_eti_rewrapped_lines_give_the_same_tree(
    eti: ParsedFramework, eti_text: str, width: int
) -> None:
    lines: list[str] = []
    for line in eti_text.split("\n"):
        lines.extend(textwrap.wrap(line, width) or [line])
    rewrapped = parse_reac_text("\n".join(lines))
    assert rewrapped.counts() == eti.counts()
    assert [c.text for c in rewrapped.all_competencies for c in c.criteria] == [
        c.text for c in eti.all_competencies for c in c.criteria
    ]
    assert [c.title for c in rewrapped.all_competencies] == [c.title for c in eti.all_competencies]


# --------------------------------------------------------------- invented REACs


def test_old_style_reac_with_extension_block() -> None:
    fw = parse_reac_text(read(DATA / "reac_ancien_format_ccs.txt"))
    assert fw.title == "Agent de valorisation des textiles"
    assert (fw.acronym, fw.code, fw.level, fw.version) == ("AVT", "TP-09901", "V", "02")
    assert fw.validated_on == dt.date(2013, 3, 12)
    assert fw.updated_on == dt.date(2015, 11, 5)
    assert [(b.number, b.kind) for b in fw.blocks] == [
        (1, "activity"),
        (2, "activity"),
        (3, "extension"),
    ]
    assert fw.blocks[2].title == "Vendre les articles de seconde main en boutique solidaire"
    assert {b.number: [c.number for c in b.competencies] for b in fw.blocks} == {
        1: [1, 2],
        2: [3, 4, 5],
        3: [6, 7],
    }
    assert [len(c.criteria) for c in fw.professional_competencies] == [3, 4, 2, 3, 3, 3, 2]
    assert [(c.title, len(c.criteria)) for c in fw.transversal] == [
        ("Travailler en sécurité dans un environnement de tri", 2),
        ("Communiquer avec son équipe et sa hiérarchie", 3),
    ]
    assert criteria_of(fw, 1)[2] == (
        "Tous les conteneurs prévus sont relevés et l’heure de passage est notée sur la feuille "
        "de tournée"
    )
    cp1 = fw.competency(1)
    assert cp1 is not None and cp1.knowledge == {
        "savoir_faire_techniques": [
            "Lire un plan de tournée",
            "Vérifier les niveaux et l’éclairage d’un utilitaire",
        ],
        "savoir_faire_organisationnels": ["Respecter un horaire de passage"],
        "savoir_faire_relationnels": ["Signaler un incident au responsable"],
        "savoirs": [
            "Connaissance du code de la route",
            "Connaissance des consignes de sécurité liées au chargement",
        ],
    }
    assert fw.warnings == []
    for text in all_strings(fw):
        assert "TP-09901" not in text and "page" not in text.lower().split()


def test_reac_without_transversal_competencies() -> None:
    fw = parse_reac_text(read(DATA / "reac_sans_transversales.txt"))
    assert fw.title == "Opérateur de réemploi d’équipements électriques"
    assert (fw.acronym, fw.code, fw.level, fw.version) == ("ORE", "TP-09902", "3", "03")
    assert (fw.validated_on, fw.updated_on) == (dt.date(2021, 9, 2), dt.date(2024, 3, 11))
    assert fw.transversal == []
    # No "liste des compétences" in the fiches: membership comes from the synoptic table.
    assert {b.number: [c.number for c in b.competencies] for b in fw.blocks} == {
        1: [1, 2, 3],
        2: [4, 5],
    }
    assert [len(c.criteria) for c in fw.professional_competencies] == [3, 3, 2, 4, 2]
    assert criteria_of(fw, 4) == [
        "Les produits de nettoyage utilisés sont adaptés aux matériaux et respectueux de "
        "l’environnement",
        "L’appareil est photographié sous plusieurs angles, photos conformes à la charte RGPD et "
        "sans personne identifiable",
        "L’étiquette indique le prix et la durée de garantie",
        "La présentation valorise l’appareil",
    ]
    cp2 = fw.competency(2)
    assert cp2 is not None and cp2.knowledge == {
        "savoir_faire_techniques": ["Utiliser un multimètre", "Lire un schéma électrique simple"],
        "savoir_faire_organisationnels": ["Planifier ses diagnostics de la journée"],
        "savoir_faire_relationnels": ["Expliquer un diagnostic à un collègue"],
        "savoirs": ["Connaissance des bases de l’électricité"],
    }
    assert fw.warnings == []


def test_reac_with_page_breaks_inside_criteria_lists() -> None:
    fw = parse_reac_text(read(DATA / "reac_coupures_de_page.txt"))
    assert (fw.title, fw.acronym, fw.code, fw.level, fw.version) == (
        "Agent valoriste de ressourcerie",
        "AVR",
        "TP-09903",
        "3",
        "01",
    )
    assert (fw.validated_on, fw.updated_on) == (dt.date(2023, 1, 15), dt.date(2024, 6, 20))
    assert criteria_of(fw, 1) == [
        "Le donateur est accueilli avec courtoisie et informé des objets acceptés, des horaires "
        "d’ouverture et des autres points de collecte du territoire, y compris les déchèteries "
        "intercommunales",
        "Les objets refusés sont orientés vers une filière adaptée, avec les Explications "
        "nécessaires au donateur",
        "Chaque apport est enregistré dans le registre (date, nature, poids, Origine géographique)",
        "L’accueil des personnes en situation de handicap est adapté (accès, aide au "
        "déchargement, signalétique)",
        "Les règles d’hygiène et de sécurité sont respectées lors du déchargement",
    ]
    assert criteria_of(fw, 2) == [
        "Les objets sont orientés selon les consignes de tri de la structure et les filières "
        "éco-responsables disponibles",
        "Les objets dangereux sont écartés et stockés dans la zone prévue",
        "Les décisions de tri sont cohérentes avec la politique de la structure et les besoins "
        "de la boutique ; elles sont expliquées aux bénévoles et aux salariés professionnels de "
        "l’atelier",
    ]
    assert criteria_of(fw, 4) == [  # numbered list: numbers stripped
        "Les réparations respectent les normes de sécurité",
        "Les objets remis en état fonctionnent et sont propres",
    ]
    assert criteria_of(fw, 5)[1] == (
        "Les clients sont renseignés sur l’origine des objets et sur la démarche "
        "socio-professionnelle de la structure"
    )
    assert criteria_of(fw, 3) == []
    # The fiches put CP4 under AT2, the synoptic table under AT1: fiches win, with a warning.
    assert {b.number: [c.number for c in b.competencies] for b in fw.blocks} == {
        1: [1, 2, 3],
        2: [4, 5],
    }
    assert len(fw.warnings) == 2
    assert any("n° 3" in w and "Critères de performance" in w for w in fw.warnings)
    assert any("divergent" in w and "n° 4" in w and "synoptique" in w for w in fw.warnings)
    # Transversal competencies, one without description, one with a wrapped title.
    assert [(c.title, len(c.criteria), bool(c.description)) for c in fw.transversal] == [
        ("Appliquer les règles de sécurité de l’atelier", 2, False),
        ("Travailler en équipe dans une structure de l’économie sociale", 2, True),
    ]
    # Running header repeated on every page (form feeds) and split footer cells are dropped.
    for text in all_strings(fw):
        assert "Référentiel emploi" not in text and "SIGLE" not in text and "sur 31" not in text


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize("text", ["", "   \n\t \n", "\f\n"])
def test_empty_text_is_rejected(text: str) -> None:
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(text)
    assert info.value.message == "Le document est vide : aucun texte à analyser."
    assert isinstance(info.value, ValueError)


def test_letter_is_not_a_reac() -> None:
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(read(DATA / "lettre_non_reac.txt"))
    assert info.value.message == (
        "Aucune fiche compétence professionnelle trouvée : ce document ne semble pas être un REAC."
    )
    assert str(info.value) == info.value.message


def test_competencies_without_any_activity_type_are_rejected() -> None:
    text = (
        "FICHE COMPÉTENCE PROFESSIONNELLE N° 1\n\nRéparer un vélo\n\n"
        "Critères de performance\n\nLe vélo roule\n"
    )
    with pytest.raises(ReacParseError) as info:
        parse_reac_text(text)
    assert info.value.message.startswith("Aucune fiche activité type trouvée")


def test_activity_types_can_come_from_the_emploi_type_list() -> None:
    text = textwrap.dedent("""\
        Liste des activités types et des compétences professionnelles

        1. Entretenir des vélos
        Réparer un vélo
        Régler les freins d’un vélo
        2. Accueillir la clientèle de l’atelier
        Conseiller un client sur l’entretien de son vélo

        FICHE COMPÉTENCE PROFESSIONNELLE N° 1
        Réparer un vélo
        Critères de performance
        Le vélo roule
        FICHE COMPÉTENCE PROFESSIONNELLE N° 2
        Régler les freins d’un vélo
        Critères de performance
        Les freins sont efficaces
        FICHE COMPÉTENCE PROFESSIONNELLE N° 3
        Conseiller un client sur l’entretien de son vélo
        Critères de performance
        Le conseil est adapté
        """)
    fw = parse_reac_text(text)
    assert [(b.number, b.title) for b in fw.blocks] == [
        (1, "Entretenir des vélos"),
        (2, "Accueillir la clientèle de l’atelier"),
    ]
    assert {b.number: [c.number for c in b.competencies] for b in fw.blocks} == {
        1: [1, 2],
        2: [3],
    }
    assert any("déduites de la liste" in w for w in fw.warnings)


def test_competency_listed_nowhere_is_attached_with_a_warning() -> None:
    text = textwrap.dedent("""\
        FICHE ACTIVITÉ TYPE N° 1
        Entretenir des vélos
        Liste des compétences professionnelles de l’activité type
        Réparer un vélo
        FICHE COMPÉTENCE PROFESSIONNELLE N° 1
        Réparer un vélo
        Critères de performance
        Le vélo roule
        FICHE COMPÉTENCE PROFESSIONNELLE N° 3
        Graisser une chaîne
        Critères de performance
        La chaîne est graissée
        """)
    fw = parse_reac_text(text)
    assert [c.number for c in fw.blocks[0].competencies] == [1, 3]
    assert any("n° 3" in w and "par défaut" in w for w in fw.warnings)
    assert any("incomplète" in w and "n° 2" in w for w in fw.warnings)
    assert any(w.endswith("fiche n° 2 absente du document.") for w in fw.warnings)
