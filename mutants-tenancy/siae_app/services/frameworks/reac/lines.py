"""The REAC as classified lines: text, blank (a paragraph boundary) or page break.

:func:`split_lines` turns the normalised text into lines: page footers ("SIGLE Type de
document..." tables, "ETI REAC TP-00448 06 ... 11/46" lines, page numbers) become page
breaks, lines repeated at the top or bottom of most pages are dropped, runs of blank lines
collapse, and each line that is a main heading ("FICHE COMPÉTENCE PROFESSIONNELLE N° 3"…)
carries its kind and match. Sub-headings ("Critères de performance"…) are classified later,
inside a fiche (:func:`.fiches.subsections`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from siae_app.services.frameworks.reac.text import clean_line, fold_aligned


@dataclass
class Line:
    kind: str  # "text" | "blank" | "page"
    text: str = ""
    folded: str = ""
    heading: str | None = None
    match: re.Match[str] | None = None
    hard: bool = False  # page marker from a form feed (not from a removed footer)

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


BLANK = "blank"
PAGE = "page"


# --------------------------------------------------------------------- headings

_NUM = r"(?:n\s*[°o]\.?|no\.?|numero)?\s*(?P<num>\d{1,2})\b\s*[:.–—-]?\s*(?P<rest>.*)$"
_MAIN_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    (
        "at",
        re.compile(r"^fiche\s+(?:de\s+l'|d')?activite\s+type(?P<ext>\s+d'extension)?\s*" + _NUM),
    ),
    ("cp", re.compile(r"^fiche\s+(?:de\s+la\s+)?competence\s+professionnelle\s*" + _NUM)),
    ("transv", re.compile(r"^fiche\s+(?:des\s+)?competences?\s+transversales?\b")),
    ("emploi", re.compile(r"^fiche\s+(?:de\s+l'|d')?emploi[\s-]+type\s*$")),
    (
        "synoptic",
        re.compile(r"^(?:vue\s+synoptique|tableau\s+synoptique|tableau\s+des\s+activites)\b"),
    ),
    ("list_at_cp", re.compile(r"^liste\s+des\s+activites\s+types?\s+et\s+des\s+competences")),
    (
        "transv_list",
        re.compile(r"^competences\s+transversales\s+de\s+l'emploi(?:[\s-]+type)?\s*:?$"),
    ),
    ("level", re.compile(r"^niveau\s+et/ou\s+domaine")),
    ("glossary", re.compile(r"^glossaire\b")),
    ("re", re.compile(r"^referentiel\s+d'evaluation\b")),
    (
        "evaluation",
        re.compile(
            r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:criteres|modalites)\s+d'evaluation\s+des\s+competences"
        ),
    ),
    ("repro", re.compile(r"^reproduction\s+interdite")),
    ("sommaire", re.compile(r"^(?:sommaire|table\s+des\s+matieres)\s*$")),
]
SUB_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("desc", re.compile(r"^description\s+de\s+la\s+competence\b")),
    ("context", re.compile(r"^contextes?(?:\(s\))?\s+professionnels?(?:\(s\))?\b")),
    ("crit", re.compile(r"^criteres?\s+de\s+performance\b\s*:?\s*(?P<rest>.*)$")),
    (
        "know",
        re.compile(
            r"^(?:savoir-?faire\s+techniques?\s*(?:[,:]|$)|(?:savoirs?\s*(?:,|et)\s*savoir-?faire|"
            r"savoir-?faire\s*(?:,|et)\s*savoirs?)\s*(?:,\s*savoir-?etre)?\s*:?\s*$)"
        ),
    ),
    (
        "at_def",
        re.compile(r"^(?:definition\s*,?\s*)?description\s+de\s+l'activite(?:[\s-]+type)?\b"),
    ),
    ("regl", re.compile(r"^reglementation\s+d'activites?\b")),
    ("at_cp_list", re.compile(r"^liste\s+des\s+competences\s+professionnelles\b")),
    ("at_transv", re.compile(r"^competences\s+transversales\s+de\s+l'activite\b")),
]
_TOC_TAIL_RE = re.compile(r"(?:\.{3,}|…+)\s*\d+\s*$")
_HEADING_STARTS = ("fi", "vu", "ta", "li", "co", "ni", "gl", "re", "so", "de", "cr", "sa", "mo")


def classify(
    line: Line, table: list[tuple[str, re.Pattern[str]]]
) -> tuple[str, re.Match[str]] | None:
    # Ministry headings always start with a capital letter (or a section number); a
    # lower-case line is the continuation of a wrapped sentence, never a heading.
    if not (line.text[:1].isupper() or line.text[:1].isdigit()):
        return None
    if not line.folded.startswith(_HEADING_STARTS) and not line.folded[:1].isdigit():
        return None
    for name, pattern in table:
        match = pattern.match(line.folded)
        if match:
            return name, match
    return None


# --------------------------------------------------------------- page furniture

_SEP = r"(?:\s*[-–—|]\s*|\s*)"  # table cells may be glued together by PDF extraction
DATE = r"\d{2}/\d{2}/\d{4}"
FOOTER_VALUES_RE = re.compile(
    r"(?<![\w-])(?P<sigle>[A-Z][A-Z0-9]{1,11})"
    + _SEP
    + r"(?P<doctype>REAC|RE|RC)"
    + _SEP
    + r"(?P<code>TP-\d{5})"
    + _SEP
    + r"(?:(?:version|v\.?|mill[ée]sime)\s*)?(?P<version>\d{1,2})"
    + _SEP
    + r"(?P<d1>"
    + DATE
    + r")"
    + _SEP
    + r"(?P<d2>"
    + DATE
    + r")"
    + r"(?:"
    + _SEP
    + r"(?:[Pp]age\s*)?(?P<page>\d{1,3}\s*(?:/|sur)\s*\d{1,3}))?"
)
# Table cells may come out glued together ("Date de ValidationDate de mise à jourPage").
_FOOTER_LABELS_RE = re.compile(
    r"SIGLE\s*Type\s+de\s+document\s*Code\s+titre\s*Mill[ée]sime\s*Date\s+(?:de\s+)?"
    r"(?:validation|dernier\s+JO)\s*Date\s+de\s+mise\s+[àa]\s+jour(?:\s*Page)?",
    re.IGNORECASE,
)
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s*)?\d{1,3}\s*(?:/|sur)\s*\d{1,3}(?:\s*[-–—])?$|^page\s+\d{1,3}$",
    re.IGNORECASE,
)
TP_CODE_RE = re.compile(r"\bTP-\d{5}\b")
_FOOTERISH_RE = re.compile(rf"{DATE}|\b[Pp]age\s*\d|\b\d{{1,3}}\s*(?:/|sur)\s*\d{{1,3}}\b")


def _is_footer_line(text: str) -> bool:
    if _PAGE_NUMBER_RE.match(text):
        return True
    return bool(len(text) < 140 and TP_CODE_RE.search(text) and _FOOTERISH_RE.search(text))


# ------------------------------------------------------------ from text to lines

_FOOTER_MARK = "\x1e"  # replaces a removed page footer (a page break of unknown position)


def split_lines(text: str) -> list[Line]:
    """Classified lines: text (headings marked), one blank between paragraphs, page breaks."""
    raw = _raw_lines(text)
    _drop_running_lines(raw)
    lines = _collapse_breaks(raw)
    for ln in lines:
        if ln.is_text:
            found = classify(ln, _MAIN_HEADINGS)
            if found and not _TOC_TAIL_RE.search(ln.folded):
                ln.heading, ln.match = found
    return lines


def _raw_line(physical: str) -> Line:
    if physical in ("\f", _FOOTER_MARK):
        return Line(PAGE, hard=physical == "\f")
    cleaned = clean_line(physical)
    if not cleaned:
        return Line(BLANK)
    if _is_footer_line(cleaned):
        return Line(PAGE)
    return Line("text", cleaned, fold_aligned(cleaned))


def _raw_lines(text: str) -> list[Line]:
    """One line per physical line; page footers become page markers."""
    text = _FOOTER_LABELS_RE.sub(f"\n{_FOOTER_MARK}\n", text)
    text = FOOTER_VALUES_RE.sub(f"\n{_FOOTER_MARK}\n", text)
    return [_raw_line(physical) for physical in text.replace("\f", "\n\f\n").split("\n")]


def _collapse_breaks(raw: list[Line]) -> list[Line]:
    """Collapse runs of blank / page markers: a run touching a page break is a page
    break (not a paragraph boundary); otherwise it is one blank line."""
    lines: list[Line] = []
    run: list[Line] = []
    for ln in [*raw, None]:  # None: the end of the text closes the last run
        if ln is not None and ln.kind in (BLANK, PAGE):
            run.append(ln)
            continue
        if run and lines:
            lines.append(Line(PAGE if any(r.kind == PAGE for r in run) else BLANK))
        run = []
        if ln is not None:
            lines.append(ln)
    return lines


def _drop_running_lines(lines: list[Line]) -> None:
    """Blank out running headers/footers repeated at page boundaries (form-feed texts)."""
    # Form feeds give the true pages; without them, removed footers are the best guess.
    hard_only = any(ln.hard for ln in lines)
    pages: list[list[int]] = [[]]
    for index, ln in enumerate(lines):
        if ln.kind == PAGE and (ln.hard or not hard_only):
            pages.append([])
        elif ln.is_text:
            pages[-1].append(index)
    pages = [p for p in pages if p]
    if len(pages) < 3:
        return
    key_pages: dict[str, set[int]] = {}
    samples: dict[str, Line] = {}
    for page_no, indexes in enumerate(pages):
        for index in indexes[:3] + indexes[-3:]:
            key = re.sub(r"\d+", "#", lines[index].folded)
            key_pages.setdefault(key, set()).add(page_no)
            samples.setdefault(key, lines[index])
    threshold = max(3, int(len(pages) * 0.6))
    running = {
        key
        for key, seen in key_pages.items()
        if len(seen) >= threshold
        and not classify(samples[key], _MAIN_HEADINGS)
        and not classify(samples[key], SUB_HEADINGS)
    }
    if not running:
        return
    for indexes in pages:
        for index in set(indexes[:3] + indexes[-3:]):
            if re.sub(r"\d+", "#", lines[index].folded) in running:
                lines[index] = Line(PAGE)
