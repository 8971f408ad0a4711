"""JSON / CSV exchange formats and text-upload decoding (plain pytest, no app)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import textwrap
from pathlib import Path

import pytest

from siae_app.services.frameworks.exchange import FrameworkFormatError
from siae_app.services.frameworks.exchange.csv_reader import from_csv
from siae_app.services.frameworks.exchange.csv_writer import CSV_COLUMNS, to_csv, to_csv_bytes
from siae_app.services.frameworks.exchange.json_reader import from_json_dict, from_json_text
from siae_app.services.frameworks.exchange.json_writer import to_json_dict, to_json_text
from siae_app.services.frameworks.exchange.values import FORMAT_ID
from siae_app.services.frameworks.reac import ReacParseError
from siae_app.services.frameworks.reac.reader import parse_reac_text
from siae_app.services.frameworks.tree import ParsedFramework
from siae_app.services.frameworks.upload import TextDecodeError, decode_text_upload
from tests.frameworks.helpers import REAC_ETI

DATA = Path(__file__).resolve().parent / "data"
INVENTED = [
    "reac_ancien_format_ccs.txt",
    "reac_sans_transversales.txt",
    "reac_coupures_de_page.txt",
]


@pytest.fixture(autouse=True)
def _transaction():
    """These tests need neither the app nor a database: this module-level fixture shadows
    the suite-wide autouse ``_transaction`` fixture of tests/conftest.py (if present)."""
    yield None


def load(name: str) -> ParsedFramework:
    path = REAC_ETI if name == "eti" else DATA / name
    if not path.is_file():
        pytest.fail(f"document not found: {path}")
    return parse_reac_text(path.read_text(encoding="utf-8"))


def without_warnings(fw: ParsedFramework) -> ParsedFramework:
    return dataclasses.replace(fw, warnings=[])


def csv_text(body: str, sep: str = ";") -> str:
    return textwrap.dedent(body).replace(";", sep)


HEADER = ";".join(CSV_COLUMNS)


def expect_error(text: str) -> FrameworkFormatError:
    with pytest.raises(FrameworkFormatError) as info:
        from_csv(text)
    assert isinstance(info.value, ValueError)
    return info.value


# ------------------------------------------------------------------------ JSON


@pytest.mark.parametrize("name", ["eti", *INVENTED])
def test_json_round_trip(name: str) -> None:
    fw = load(name)
    data = json.loads(json.dumps(to_json_dict(fw)))
    assert from_json_dict(data) == fw
    assert from_json_text(to_json_text(fw)) == fw


def test_json_structure() -> None:
    data = to_json_dict(load("eti"))
    assert data["format"] == FORMAT_ID == "parcours-siae/referentiel"
    assert data["version"] == 1
    assert (data["intitule"], data["sigle"], data["code"], data["niveau"], data["millesime"]) == (
        "Encadrant technique d’insertion",
        "ETI",
        "TP-00448",
        "4",
        "06",
    )
    assert data["date_validation"] == "2024-10-14"
    assert [a["numero"] for a in data["activites"]] == [1, 2, 3]
    assert data["activites"][0]["type"] == "activite"
    first = data["activites"][0]["competences"][0]
    assert first["numero"] == 1 and len(first["criteres"]) == 4
    assert set(first["connaissances"]) == {
        "savoir_faire_techniques",
        "savoir_faire_organisationnels",
        "savoir_faire_relationnels",
        "savoirs",
    }
    assert [c["numero"] for c in data["competences_transversales"]] == [None] * 4
    assert len(data["avertissements"]) == 1


def minimal_json(**changes: object) -> dict:
    data: dict = {
        "format": FORMAT_ID,
        "version": 1,
        "intitule": "Agent de test",
        "activites": [
            {
                "numero": 1,
                "intitule": "Réparer",
                "competences": [
                    {"numero": 1, "intitule": "Réparer un vélo", "criteres": ["Le vélo roule"]}
                ],
            }
        ],
    }
    data.update(changes)
    return data


def test_json_minimal_document_with_defaults() -> None:
    fw = from_json_dict(minimal_json(sigle="AT", niveau=3, date_validation="01/02/2024"))
    assert fw.title == "Agent de test" and fw.acronym == "AT" and fw.level == "3"
    assert fw.validated_on == dt.date(2024, 2, 1)
    assert fw.blocks[0].kind == "activity"
    assert fw.blocks[0].competencies[0].criteria[0].text == "Le vélo roule"
    assert fw.transversal == [] and fw.warnings == []


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([], "doit être un objet"),
        (minimal_json(format="autre"), "n’est pas un référentiel Parcours SIAE"),
        (minimal_json(version=2), "Version de format « 2 » non prise en charge"),
        (minimal_json(version="1"), "non prise en charge"),
        (minimal_json(intitule="  "), "« intitule » : le texte est vide"),
        (minimal_json(date_validation="2024-13-45"), "date « 2024-13-45 » invalide"),
        (
            minimal_json(activites=[{"numero": 1, "intitule": "A", "type": "bloc"}]),
            "type « bloc » inconnu",
        ),
        (minimal_json(activites=[{"numero": 0, "intitule": "A"}]), "entier positif"),
        (
            minimal_json(
                activites=[{"numero": 1, "intitule": "A"}, {"numero": 1, "intitule": "B"}]
            ),
            "l’activité type n° 1 est en double",
        ),
        (
            minimal_json(
                activites=[
                    {"numero": 1, "intitule": "A", "competences": [{"numero": 2, "intitule": "X"}]},
                    {"numero": 2, "intitule": "B", "competences": [{"numero": 2, "intitule": "Y"}]},
                ]
            ),
            "la compétence n° 2 est en double",
        ),
        (
            minimal_json(
                activites=[
                    {"numero": 1, "intitule": "A", "competences": [{"numero": 1, "intitule": ""}]}
                ]
            ),
            "activites[0].competences[0].intitule",
        ),
        (
            minimal_json(
                activites=[
                    {
                        "numero": 1,
                        "intitule": "A",
                        "competences": [{"numero": 1, "intitule": "X", "criteres": ["ok", ""]}],
                    }
                ]
            ),
            "critère vide",
        ),
        (
            minimal_json(
                activites=[
                    {
                        "numero": 1,
                        "intitule": "A",
                        "competences": [
                            {"numero": 1, "intitule": "X", "connaissances": {"savoir_etre": ["a"]}}
                        ],
                    }
                ]
            ),
            "catégorie « savoir_etre » inconnue",
        ),
    ],
)
def test_json_errors(data: object, fragment: str) -> None:
    with pytest.raises(FrameworkFormatError) as info:
        from_json_dict(data)  # type: ignore[arg-type]
    assert fragment in info.value.message
    assert info.value.line is None


def test_invalid_json_text_names_the_line() -> None:
    with pytest.raises(FrameworkFormatError) as info:
        from_json_text('{\n  "format": "parcours-siae/referentiel",\n  "version": 1,,\n}')
    assert info.value.message == (
        "Ligne 3 : JSON invalide (colonne 16) : nom de champ attendu, entre guillemets droits."
    )
    assert info.value.line == 3
    with pytest.raises(FrameworkFormatError, match="Ligne 1 : JSON invalide .* valeur attendue"):
        from_json_text('{"format": }')
    with pytest.raises(FrameworkFormatError, match="vide"):
        from_json_text("  ")


# ------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("name", ["eti", *INVENTED])
def test_csv_round_trip(name: str) -> None:
    fw = load(name)
    assert without_warnings(from_csv(to_csv(fw))) == without_warnings(fw)


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_round_trip_with_other_separators(delimiter: str) -> None:
    fw = load("eti")
    assert without_warnings(from_csv(to_csv(fw, delimiter=delimiter))) == without_warnings(fw)


def test_csv_bytes_have_a_bom_and_decode_back() -> None:
    fw = load("reac_ancien_format_ccs.txt")
    data = to_csv_bytes(fw)
    assert data.startswith(b"\xef\xbb\xbf")
    assert without_warnings(from_csv(decode_text_upload(data))) == without_warnings(fw)


def test_csv_layout() -> None:
    lines = to_csv(load("reac_ancien_format_ccs.txt")).splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "titre;;;;;;intitule;Agent de valorisation des textiles"
    assert "titre;;;;;;date_validation;12/03/2013" in lines
    assert any(line.startswith("activite;3;extension;Vendre les articles") for line in lines)
    assert (
        "critere;1;activite;Collecter et trier les textiles usagés;CP1;Organiser une tournée de "
        "collecte en points d’apport volontaire;;Le véhicule est contrôlé avant le départ"
    ) in lines
    assert (
        "critere;;;;CT2;Communiquer avec son équipe et sa hiérarchie;;Les anomalies sont "
        "signalées sans délai" in lines
    )
    assert any(
        line.startswith("savoir;1;activite;") and ";savoirs;Connaissance du code" in line
        for line in lines
    )


def test_csv_prepared_by_hand_in_a_spreadsheet() -> None:
    # Columns in another order, with accents and an extra "Notes" column; blank line.
    text = "\ufeff" + csv_text("""\
        Type de ligne;Activité;Activité intitulé;Compétence;Compétence intitulé;Texte;\
Catégorie;Notes
        titre;;;;;Agent d'atelier vélo;intitulé;
        titre;;;;;AAV;sigle;
        titre;;;;;15/09/2024;date_validation;

        critère;2;Accueillir la clientèle;CP 3;Conseiller un client;Le conseil est adapté;;à relire
        Critère;1;Entretenir des vélos;cp1;Réparer un vélo;Le vélo roule;;
        critere;1;;CP1;;Les freins sont réglés;;
        savoir;1;;CP1;;Connaissance des freins à disque;savoirs;
        savoir;1;;CP1;;Utiliser une clé dynamométrique;techniques;
        critere;;;CT1;Travailler en sécurité;Les gants sont portés;;
        activite;2;;;;Tenue de la boutique de l'atelier.;;
        """)
    fw = from_csv(text)
    assert fw.title == "Agent d’atelier vélo"  # apostrophes normalised like the REAC parser
    assert fw.acronym == "AAV" and fw.validated_on == dt.date(2024, 9, 15)
    assert [(b.number, b.title, b.kind) for b in fw.blocks] == [
        (1, "Entretenir des vélos", "activity"),
        (2, "Accueillir la clientèle", "activity"),
    ]
    assert fw.blocks[1].description == "Tenue de la boutique de l’atelier."
    cp1 = fw.blocks[0].competencies[0]
    assert (cp1.number, cp1.title) == (1, "Réparer un vélo")
    assert [c.text for c in cp1.criteria] == ["Le vélo roule", "Les freins sont réglés"]
    assert cp1.knowledge == {
        "savoir_faire_techniques": ["Utiliser une clé dynamométrique"],
        "savoirs": ["Connaissance des freins à disque"],
    }
    cp3 = fw.blocks[1].competencies[0]
    assert (cp3.number, [c.text for c in cp3.criteria]) == (3, ["Le conseil est adapté"])
    assert [(c.number, c.title, c.kind) for c in fw.transversal] == [
        (None, "Travailler en sécurité", "transversal"),
    ]
    assert fw.warnings == []


def test_csv_missing_columns() -> None:
    error = expect_error("type_ligne;activite;activite_intitule;competence_intitule\n")
    assert error.line == 1
    assert error.message.startswith(
        "Ligne 1 : colonnes obligatoires manquantes : competence, texte."
    )
    assert HEADER in error.message


def row(*cells: str) -> str:
    values = dict(zip(CSV_COLUMNS, cells, strict=False))
    return ";".join(values.get(c, "") for c in CSV_COLUMNS)


TITLE_ROW = row("titre", "", "", "", "", "", "intitule", "Agent de test")


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        (
            [
                row("critere", "1", "", "A", "CP1", "Réparer", "", "Le vélo roule"),
                row("critere", "1", "", "A", "CP1", "Régler", "", "Les freins sont réglés"),
            ],
            4,
            "le code CP1 est déjà utilisé pour « Réparer » (ligne 3)",
        ),
        (
            [
                row("critere", "1", "", "A", "CP1", "Réparer", "", "Le vélo roule"),
                row("critere", "2", "", "B", "CP1", "Réparer", "", "Autre critère"),
            ],
            4,
            "la compétence CP1 est déjà rattachée à l’activité type n° 1 (ligne 3)",
        ),
        (
            [
                row("competence", "1", "", "A", "CP1", "Réparer"),
                row("competence", "1", "", "A", "CP1", "Réparer"),
            ],
            4,
            "la compétence CP1 est déjà déclarée (ligne 3)",
        ),
        (
            [row("critere", "1", "", "A", "CP1", "", "", "Le vélo roule")],
            3,
            "intitulé de la compétence CP1 manquant",
        ),
        (
            [row("critere", "1", "", "", "CP1", "Réparer", "", "Le vélo roule")],
            3,
            "intitulé de l’activité type n° 1 manquant",
        ),
        (
            [
                row("critere", "1", "", "A", "CP1", "Réparer", "", "Le vélo roule"),
                row("critere", "1", "", "B", "CP2", "Régler", "", "Les freins"),
            ],
            4,
            "l’activité type n° 1 a déjà l’intitulé « A » (ligne 3)",
        ),
        (
            [row("objectif", "1", "", "A", "CP1", "Réparer", "", "x")],
            3,
            "type de ligne « objectif » inconnu",
        ),
        (
            [row("critere", "1", "bloc", "A", "CP1", "Réparer", "", "x")],
            3,
            "type d’activité « bloc » inconnu",
        ),
        (
            [row("critere", "1", "", "A", "X3", "Réparer", "", "x")],
            3,
            "code de compétence « X3 » invalide",
        ),
        (
            [row("critere", "1", "", "A", "CT1", "Sécurité", "", "x")],
            3,
            "laissez la colonne « activite » vide",
        ),
        (
            [row("critere", "", "", "", "CP1", "Réparer", "", "x")],
            3,
            "doit être rattachée à une activité type",
        ),
        (
            [row("critere", "1", "", "A", "CP1", "Réparer", "", "  ")],
            3,
            "le texte du critère est vide",
        ),
        (
            [
                row("critere", "1", "", "A", "CP1", "Réparer", "", "Le vélo roule"),
                row("critere", "1", "", "A", "CP1", "Réparer", "", "Le vélo  roule"),
            ],
            4,
            "critère en double pour la compétence CP1 (déjà ligne 3)",
        ),
        (
            [row("savoir", "1", "", "A", "CP1", "Réparer", "savoir_etre", "Être patient")],
            3,
            "catégorie « savoir_etre » inconnue",
        ),
        (
            [row("titre", "", "", "", "", "", "date_validation", "31/02/2024")],
            3,
            "date « 31/02/2024 » invalide",
        ),
        (
            [row("titre", "", "", "", "", "", "intitule", "Doublon")],
            3,
            "l’information « intitule » est déjà renseignée (ligne 2)",
        ),
        (
            [row("", "1", "", "A", "CP1", "Réparer", "", "x")],
            3,
            "la colonne « type_ligne » est vide",
        ),
    ],
)
def test_csv_errors_name_the_line(rows: list[str], line: int, fragment: str) -> None:
    error = expect_error("\n".join([HEADER, TITLE_ROW, *rows]) + "\n")
    assert error.line == line
    assert error.message.startswith(f"Ligne {line} : ")
    assert fragment in error.message


def test_csv_line_numbers_count_multiline_cells() -> None:
    text = "\n".join(
        [
            HEADER,
            TITLE_ROW,
            'activite;1;;A;;;;"Une description\nsur deux lignes"',
            row("critere", "1", "", "A", "CP1", "Réparer", "", "x"),
            row("critere", "1", "", "A", "CP1", "Autre titre", "", "y"),
        ]
    )
    assert expect_error(text).line == 6


def test_csv_unreadable_row() -> None:
    huge = '"' + "x" * 200_000 + '"'  # beyond the csv module's field size limit
    error = expect_error("\n".join([HEADER, TITLE_ROW, f"critere;1;;A;CP1;R;;{huge}"]))
    assert error.line == 3 and "CSV illisible" in error.message


def test_csv_without_title_or_content() -> None:
    error = expect_error("\n".join([HEADER, row("critere", "1", "", "A", "CP1", "R", "", "x")]))
    assert error.line is None and "intitulé du titre professionnel est obligatoire" in error.message
    error = expect_error("\n".join([HEADER, TITLE_ROW]))
    assert "aucune activité type ni compétence" in error.message
    assert expect_error("").message == "Le fichier CSV est vide."
    assert expect_error("\ufeff \n").message == "Le fichier CSV est vide."


def test_csv_warnings_for_empty_parts() -> None:
    fw = from_csv(
        "\n".join(
            [
                HEADER,
                TITLE_ROW,
                row("activite", "1", "", "Bloc vide"),
                row("competence", "2", "", "Autre", "CP1", "Sans critère"),
            ]
        )
    )
    assert any("n° 1" in w and "aucune compétence" in w for w in fw.warnings)
    assert any("CP1" in w and "aucun critère" in w for w in fw.warnings)


def mutate(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 25)):
        index = rng.randrange(len(lines))
        roll = rng.random()
        if roll < 0.5:
            del lines[index]
        elif roll < 0.7:
            lines.insert(index, lines[rng.randrange(len(lines))])
        elif roll < 0.85:
            lines[index] = lines[index][: rng.randint(0, len(lines[index]))]
        else:
            noise = "".join(rng.choice("ab -–'\f\x1e\x0bÉ(,.") for _ in range(rng.randint(0, 12)))
            lines.insert(index, noise)
    return lines


@pytest.mark.parametrize("seed", range(6))
def test_damaged_reacs_parse_or_fail_cleanly_and_round_trip(seed: int) -> None:
    """Deleted, duplicated, truncated or noisy lines: a tree or a ReacParseError, never a
    crash; and whatever the parser returns can be exported and re-imported unchanged."""
    rng = random.Random(seed)
    names = [*INVENTED, "eti"] if seed == 0 else INVENTED
    parsed = refused = 0
    for name in names:
        path = REAC_ETI if name == "eti" else DATA / name
        original = path.read_text(encoding="utf-8").split("\n")
        for _ in range(12):
            try:
                fw = parse_reac_text("\n".join(mutate(original, rng)))
            except ReacParseError as error:
                # Cleanly: a sentence the upload page can show, not an internal trace.
                assert error.message.strip() and "Traceback" not in error.message
                refused += 1
                continue
            assert fw.title and fw.all_competencies  # a tree worth the round trip
            assert from_json_dict(to_json_dict(fw)) == fw
            assert without_warnings(from_csv(to_csv(fw))) == without_warnings(fw)
            parsed += 1
    # Both ways were taken: the round trip was really checked, and so were the refusals.
    assert parsed >= 1 and refused >= 1, (parsed, refused)


# ------------------------------------------------------------------ text uploads


def test_decode_utf8_with_and_without_bom() -> None:
    text = "Critères : l’équipe\r\nsuite"
    assert decode_text_upload(text.encode("utf-8")) == "Critères : l’équipe\nsuite"
    assert (
        decode_text_upload(b"\xef\xbb\xbf" + text.encode("utf-8")) == "Critères : l’équipe\nsuite"
    )
    assert decode_text_upload(text.encode("utf-16")) == "Critères : l’équipe\nsuite"
    assert decode_text_upload(b"") == ""


def test_decode_windows_1252_and_latin1() -> None:
    assert decode_text_upload("Créer l’équipe – œuvre".encode("cp1252")) == "Créer l’équipe – œuvre"
    # 0x81 is undefined in Windows-1252: Latin-1 is the last resort.
    assert decode_text_upload(b"caf\xe9 \x81") == "café \x81"


def test_cp1252_reac_upload_parses_like_utf8() -> None:
    path = DATA / "reac_sans_transversales.txt"
    text = path.read_text(encoding="utf-8")
    assert parse_reac_text(decode_text_upload(text.encode("cp1252"))) == parse_reac_text(text)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (bytes(range(256)) * 8, "ne semble pas être un fichier texte"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x10" * 50,
            "ne semble pas être un fichier texte",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "est un PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "format « CSV UTF-8 »"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "document Office ancien"),
        (b"\xef\xbb\xbfabc \xff\xfe", "UTF-8 mais contient des caractères invalides"),
    ],
)
def test_decode_rejects_binary_files(data: bytes, fragment: str) -> None:
    with pytest.raises(TextDecodeError) as info:
        decode_text_upload(data)
    assert fragment in info.value.message
    assert isinstance(info.value, FrameworkFormatError)
