"""PDF text extraction, then REAC parsing of the extracted text (plain pytest, no app).

PDFs are generated inside the tests with fpdf2 and the DejaVuSans font: the REAC text is
re-flowed (different line wraps and page breaks than the .txt) and every page gets a
running header, a "SIGLE / Type de document / ..." footer table and a page number.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from siae_app.services.frameworks.pdf_text import PdfTextError, extract_pdf_text
from siae_app.services.frameworks.reac.reader import parse_reac_text
from siae_app.services.frameworks.tree import ParsedFramework
from tests.frameworks.helpers import REAC_ETI

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DATA = Path(__file__).resolve().parent / "data"
RUNNING_HEADER = "Encadrant technique d’insertion – Référentiel emploi activités compétences"


@pytest.fixture(autouse=True)
def _transaction():
    """These tests need neither the app nor a database: this module-level fixture shadows
    the suite-wide autouse ``_transaction`` fixture of tests/conftest.py (if present)."""
    yield None


def require_font() -> None:
    if not FONT.is_file():
        pytest.skip(
            f"police TrueType DejaVuSans introuvable ({FONT}) : installez fonts-dejavu-core"
        )


class ReacPdf(FPDF):
    """A4 document imitating a REAC page: running header and footer table on every page."""

    def __init__(self, header_text: str, footer_values: list[str]) -> None:
        super().__init__(format="A4")
        self.header_text = header_text
        self.footer_values = footer_values
        self.add_font("DejaVu", fname=str(FONT))
        self.set_auto_page_break(True, margin=22)
        self.set_margins(18, 15, 18)

    def header(self) -> None:
        self.set_font("DejaVu", size=7)
        self.cell(0, 4, self.header_text, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font("DejaVu", size=6)
        labels = [
            "SIGLE",
            "Type de document",
            "Code titre",
            "Millésime",
            "Date de Validation",
            "Date de mise à jour",
            "Page",
        ]
        values = [*self.footer_values, f"{self.page_no()}/{{nb}}"]
        width = (self.w - self.l_margin - self.r_margin) / len(labels)
        for label in labels:
            self.cell(width, 4, label, border=1, align="C")
        self.ln(4)
        for value in values:
            self.cell(width, 4, value, border=1, align="C")


def make_pdf(text: str, header_text: str, footer_values: list[str], *, font_size: float) -> bytes:
    pdf = ReacPdf(header_text, footer_values)
    pdf.add_page()
    pdf.set_font("DejaVu", size=font_size)
    paragraph: list[str] = []

    def flush() -> None:
        # Lines of a paragraph are written one by one, so that fpdf2 re-wraps only the
        # long ones (at other positions than in the .txt).
        for line in paragraph:
            pdf.multi_cell(0, font_size * 0.45, line, new_x="LMARGIN", new_y="NEXT")
        paragraph.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            paragraph.append(line)
        else:
            flush()
            pdf.ln(font_size * 0.45)
    flush()
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def eti_txt() -> str:
    if not REAC_ETI.is_file():
        pytest.fail(f"reference document not found: {REAC_ETI}")
    return REAC_ETI.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def eti_pdf(eti_txt: str) -> bytes:
    require_font()
    # The .txt keeps the document's own footers; page furniture is added by the PDF.
    return make_pdf(
        eti_txt,
        RUNNING_HEADER,
        ["ETI", "REAC", "TP-00448", "06", "14/10/2024", "14/10/2024"],
        font_size=10.5,
    )


@pytest.fixture(scope="module")
def eti_pdf_text(eti_pdf: bytes) -> str:
    return extract_pdf_text(eti_pdf)


def tree(fw: ParsedFramework) -> list[tuple]:
    return [
        (
            b.number,
            b.title,
            b.kind,
            [(c.number, c.title, [x.text for x in c.criteria]) for c in b.competencies],
        )
        for b in fw.blocks
    ] + [(c.title, [x.text for x in c.criteria]) for c in fw.transversal]


def test_real_reac_pdf_gives_the_same_tree_as_the_text(eti_pdf_text: str, eti_txt: str) -> None:
    from_pdf = parse_reac_text(eti_pdf_text)
    from_txt = parse_reac_text(eti_txt)
    assert from_pdf.counts() == {
        "activites": 3,
        "competences": 10,
        "competences_transversales": 4,
        "criteres": 87,
    }
    assert {c.number: len(c.criteria) for c in from_pdf.professional_competencies} == {
        1: 4,
        2: 6,
        3: 8,
        4: 7,
        5: 7,
        6: 7,
        7: 4,
        8: 9,
        9: 9,
        10: 9,
    }
    assert [len(c.criteria) for c in from_pdf.transversal] == [4, 5, 4, 4]
    assert tree(from_pdf) == tree(from_txt)
    assert (from_pdf.title, from_pdf.acronym, from_pdf.code, from_pdf.level, from_pdf.version) == (
        "Encadrant technique d’insertion",
        "ETI",
        "TP-00448",
        "4",
        "06",
    )
    assert from_pdf.validated_on == from_txt.validated_on
    assert from_pdf.updated_on == from_txt.updated_on
    savoirs = [len(c.knowledge.get("savoirs", [])) for c in from_pdf.professional_competencies]
    assert savoirs == [
        len(c.knowledge.get("savoirs", [])) for c in from_txt.professional_competencies
    ]


def test_real_reac_pdf_page_furniture_is_dropped(eti_pdf: bytes, eti_pdf_text: str) -> None:
    text = eti_pdf_text
    pages = len(PdfReader(io.BytesIO(eti_pdf)).pages)
    assert pages > 20
    assert text.count("\f") == pages - 1
    assert text.count(RUNNING_HEADER) >= pages - 1  # really repeated in the extracted text
    fw = parse_reac_text(text)
    for comp in fw.all_competencies:
        for item in [
            comp.title,
            *(c.text for c in comp.criteria),
            *(v for values in comp.knowledge.values() for v in values),
        ]:
            assert "Référentiel emploi" not in item
            assert "SIGLE" not in item and "TP-00448" not in item and "Millésime" not in item


def test_invented_old_style_reac_pdf() -> None:
    require_font()
    txt = (DATA / "reac_ancien_format_ccs.txt").read_text(encoding="utf-8")
    pdf = make_pdf(
        txt,
        "AVT – REAC",
        ["AVT", "REAC", "TP-09901", "02", "12/03/2013", "05/11/2015"],
        font_size=13,
    )
    fw = parse_reac_text(extract_pdf_text(pdf))
    assert tree(fw) == tree(parse_reac_text(txt))
    assert [b.kind for b in fw.blocks] == ["activity", "activity", "extension"]


# ---------------------------------------------------------------------- errors


def test_empty_file() -> None:
    with pytest.raises(PdfTextError) as info:
        extract_pdf_text(b"")
    assert info.value.message == "Le fichier est vide."
    assert isinstance(info.value, ValueError)


def test_not_a_pdf() -> None:
    with pytest.raises(PdfTextError) as info:
        extract_pdf_text(b"Bonjour, ceci est un simple texte.")
    assert info.value.message == "Ce fichier n’est pas un PDF valide."


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF",
        b"%PDF-1.4\n" + b"garbage" * 100,
    ],
)
def test_damaged_pdf(data: bytes) -> None:
    with pytest.raises(PdfTextError) as info:
        extract_pdf_text(data)
    assert info.value.message == "Ce PDF est illisible ou endommagé."


def test_pdf_without_text_layer() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    pdf.rect(20, 20, 150, 200, style="F")  # what a scanned page looks like: no text at all
    with pytest.raises(PdfTextError) as info:
        extract_pdf_text(bytes(pdf.output()))
    assert info.value.message == "Ce PDF ne contient pas de texte exploitable (document scanné ?)"


def small_pdf() -> bytes:
    require_font()
    return make_pdf(
        "Un document de test\n\navec quelques lignes de texte lisible.",
        "En-tête",
        ["TST", "REAC", "TP-00000", "01", "01/01/2024", "01/01/2024"],
        font_size=11,
    )


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="proprietaire", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf() -> None:
    with pytest.raises(PdfTextError) as info:
        extract_pdf_text(encrypted(small_pdf(), "secret"))
    assert "protégé" in info.value.message
    assert "mot de passe" in info.value.message


def test_pdf_encrypted_without_user_password_is_read() -> None:
    text = extract_pdf_text(encrypted(small_pdf(), ""))
    assert "quelques lignes de texte lisible" in text
