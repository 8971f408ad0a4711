"""Parser for the text of a REAC (Référentiel Emploi Activités Compétences).

A REAC describes a French "titre professionnel":

* activités types (blocks, each one certified by a CCP; an *activité type d'extension*
  is certified by a CCS),
* compétences professionnelles, numbered globally across blocks (CP 1..n),
* critères de performance for each competency,
* compétences transversales de l'emploi (not attached to a block, not numbered),
* per competency, knowledge lists (savoir-faire techniques / organisationnels /
  relationnels, savoirs).

The parser works on plain text (a ``.txt`` export or the output of
:func:`siae_app.services.frameworks.pdf_text.extract_pdf_text`). It relies on the ministry
headings ("FICHE ACTIVITÉ TYPE N° x", "FICHE COMPÉTENCE PROFESSIONNELLE N° x",
"Critères de performance"...), matched case- and accent-insensitively, and never on
absolute line positions.

Text normalisation rules (applied to every returned string):

* whitespace is collapsed to single spaces, the text is NFC-normalised;
* every apostrophe (``'``, ``‘``, ``ʼ``, ``´``) becomes the typographic apostrophe
  ``’`` (U+2019) — titles, criteria and knowledge items always use ``’``;
* an item wrapped over several lines is joined into one string; a line ending with a
  hyphen is joined without a space, keeping the hyphen unless the document spells the
  word without it elsewhere ("socio-\\nprofessionnel" -> "socio-professionnel",
  "profes-\\nsionnel" -> "professionnel" when "professionnel" occurs in the document);
* bullets are stripped; page headers/footers ("SIGLE Type de document ..." tables,
  "ETI REAC TP-00448 06 ... 11/46" lines, page numbers, lines repeated at the top or
  bottom of most pages when the text carries form-feed page breaks) are discarded;
* everything after the "RÉFÉRENTIEL D'ÉVALUATION" heading is ignored (it repeats
  the criteria).

Transversal competencies have ``number=None`` (a REAC does not number them); their
order is the document order.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from siae_app.services.frameworks import limits

__all__ = [
    "BLOCK_KINDS",
    "COMPETENCY_KINDS",
    "KNOWLEDGE_KEYS",
    "ParsedBlock",
    "ParsedCompetency",
    "ParsedCriterion",
    "ParsedFramework",
    "ReacParseError",
    "normalize_text",
    "parse_reac_text",
]

KNOWLEDGE_KEYS = (
    "savoir_faire_techniques",
    "savoir_faire_organisationnels",
    "savoir_faire_relationnels",
    "savoirs",
)
BLOCK_KINDS = ("activity", "extension")
COMPETENCY_KINDS = ("professional", "transversal")


class ReacParseError(ValueError):
    """The text is not a usable REAC; ``message`` is a French, user-facing explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- model


@dataclass
class ParsedCriterion:
    text: str


@dataclass
class ParsedCompetency:
    number: int | None
    title: str
    kind: str  # "professional" | "transversal"
    criteria: list[ParsedCriterion] = field(default_factory=list)
    description: str = ""
    # keys among KNOWLEDGE_KEYS; empty categories are omitted
    knowledge: dict[str, list[str]] = field(default_factory=dict)

    @property
    def criterion_count(self) -> int:
        return len(self.criteria)


@dataclass
class ParsedBlock:
    number: int
    title: str
    kind: str  # "activity" | "extension"
    competencies: list[ParsedCompetency] = field(default_factory=list)
    description: str = ""

    @property
    def criterion_count(self) -> int:
        return sum(len(c.criteria) for c in self.competencies)


@dataclass
class ParsedFramework:
    title: str
    acronym: str | None
    code: str | None  # e.g. "TP-00448"
    level: str | None  # e.g. "4" (or "IV" for an old nomenclature, as written)
    version: str | None  # millésime, e.g. "06"
    validated_on: dt.date | None
    updated_on: dt.date | None
    blocks: list[ParsedBlock] = field(default_factory=list)
    transversal: list[ParsedCompetency] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def professional_competencies(self) -> list[ParsedCompetency]:
        return [c for b in self.blocks for c in b.competencies]

    @property
    def all_competencies(self) -> list[ParsedCompetency]:
        return self.professional_competencies + list(self.transversal)

    @property
    def block_count(self) -> int:
        return len(self.blocks)

    @property
    def competency_count(self) -> int:
        """Number of compétences professionnelles (transversal ones excluded)."""
        return sum(len(b.competencies) for b in self.blocks)

    @property
    def transversal_count(self) -> int:
        return len(self.transversal)

    @property
    def criterion_count(self) -> int:
        """All critères de performance, professional and transversal."""
        return sum(len(c.criteria) for c in self.all_competencies)

    def competency(self, number: int) -> ParsedCompetency | None:
        for comp in self.professional_competencies:
            if comp.number == number:
                return comp
        return None

    def block_of(self, number: int) -> ParsedBlock | None:
        for block in self.blocks:
            if any(c.number == number for c in block.competencies):
                return block
        return None

    def counts(self) -> dict[str, int]:
        return {
            "activites": self.block_count,
            "competences": self.competency_count,
            "competences_transversales": self.transversal_count,
            "criteres": self.criterion_count,
        }


# ------------------------------------------------------------------ normalisation

_CHAR_MAP = {
    "'": "’",
    "\u2018": "’",
    "\u02bc": "’",
    "\u00b4": "’",
    "\u2032": "’",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\t": " ",
    "\v": " ",
    "\u00ad": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
    "\r": "",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Symbol / Wingdings bullets extracted from PDFs land in the private use area.
_CHAR_MAP.update({chr(cp): "•" for cp in range(0xF000, 0xF100)})
_CHAR_RE = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")


def normalize_text(text: str) -> str:
    """NFC, typographic apostrophes, plain spaces, no soft hyphens; keeps line breaks."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group(0)], text)


def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    lowered = base.lower()
    folded = lowered if len(lowered) == 1 else (base if len(base) == 1 else ch)
    return "'" if folded == "’" else folded


_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    """Lower-case, accent-free copy with the same length as ``text`` (for heading regexes)."""
    folded = _COMBINING_RE.sub("", unicodedata.normalize("NFD", text)).lower().replace("’", "'")
    if len(folded) == len(text):
        return folded
    return "".join(_fold_char(ch) for ch in text)  # rare: keep a 1:1 character mapping


def _compact(text: str) -> str:
    """Alphanumeric-only folded key, insensitive to wraps, hyphens and punctuation."""
    folded = _fold(text).replace("œ", "oe").replace("æ", "ae")
    return "".join(ch for ch in folded if ch.isalnum())


_SPACES_RE = re.compile(r"\s+")  # any Unicode whitespace (vertical tab, U+2028...)


def _clean_line(line: str) -> str:
    return _SPACES_RE.sub(" ", line.strip())


# --------------------------------------------------------------- page furniture

_SEP = r"(?:\s*[-–—|]\s*|\s*)"  # table cells may be glued together by PDF extraction
_DATE = r"\d{2}/\d{2}/\d{4}"
_FOOTER_VALUES_RE = re.compile(
    r"(?<![\w-])(?P<sigle>[A-Z][A-Z0-9]{1,11})"
    + _SEP
    + r"(?P<doctype>REAC|RE|RC)"
    + _SEP
    + r"(?P<code>TP-\d{5})"
    + _SEP
    + r"(?:(?:version|v\.?|mill[ée]sime)\s*)?(?P<version>\d{1,2})"
    + _SEP
    + r"(?P<d1>"
    + _DATE
    + r")"
    + _SEP
    + r"(?P<d2>"
    + _DATE
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
_TP_CODE_RE = re.compile(r"\bTP-\d{5}\b")
_FOOTERISH_RE = re.compile(rf"{_DATE}|\b[Pp]age\s*\d|\b\d{{1,3}}\s*(?:/|sur)\s*\d{{1,3}}\b")


def _is_footer_line(text: str) -> bool:
    if _PAGE_NUMBER_RE.match(text):
        return True
    return bool(len(text) < 140 and _TP_CODE_RE.search(text) and _FOOTERISH_RE.search(text))


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
_SUB_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
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
_KNOW_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("savoir_faire_techniques", re.compile(r"^savoir-?faire\s+techniques?\s*:?$")),
    ("savoir_faire_organisationnels", re.compile(r"^savoir-?faire\s+organisationnels?\s*:?$")),
    ("savoir_faire_relationnels", re.compile(r"^savoir-?faire\s+relationnels?\s*:?$")),
    ("savoirs", re.compile(r"^(?:savoirs?|connaissances)\s*:?$")),
]
_SAVOIR_ITEM_RE = re.compile(r"^(?:premier\s+niveau\s+de\s+)?(?:connaissances?|notions?)\b")
_EXTENSION_MARK_RE = re.compile(
    r"^[(\[]?\s*(?:activite\s+type\s+d'extension|ccs|certificat\s+complementaire\s+de\s+"
    r"specialisation)(?:\s*[(\[]\s*ccs\s*[)\]])?\s*[)\]]?\s*:?$"
)
_EXTENSION_TAIL_RE = re.compile(r"\s*[(\[]\s*(?:CCS|activité type d’extension)\s*[)\]]\s*$", re.I)


@dataclass
class _Line:
    kind: str  # "text" | "blank" | "page"
    text: str = ""
    folded: str = ""
    heading: str | None = None
    match: re.Match[str] | None = None
    hard: bool = False  # page marker from a form feed (not from a removed footer)

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


_BLANK = "blank"
_PAGE = "page"


_HEADING_STARTS = ("fi", "vu", "ta", "li", "co", "ni", "gl", "re", "so", "de", "cr", "sa", "mo")


def _classify(
    line: _Line, table: list[tuple[str, re.Pattern[str]]]
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


# ------------------------------------------------------------------ segmentation

_BULLET_RE = re.compile(r"^(?:[•▪▫■□◦●○·‣⁃∙➢➤►▶✓✔❖◆◇→*]|[-–—](?=\s|$))\s*")
_NUMBERING_RE = re.compile(r"^\d{1,2}\s*[.)]\s+(?=\S)")
_CONNECTORS = frozenset(
    [
        "à",
        "au",
        "aux",
        "avec",
        "chez",
        "d’",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "entre",
        "et",
        "l’",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ou",
        "par",
        "pour",
        "sans",
        "selon",
        "ses",
        "son",
        "sa",
        "sous",
        "sur",
        "un",
        "une",
        "vers",
        "que",
        "qui",
        "dont",
        "ce",
        "cet",
        "cette",
        "ces",
        "afin",
        "ainsi",
        "notamment",
        "y",
        "voire",
        "soit",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class _Vocabulary:
    """Words of the document, used to decide how to rejoin hyphenated line breaks."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: set[str] | None = None

    @property
    def words(self) -> set[str]:
        if self._words is None:  # built lazily: only hyphenated line ends need it
            self._words = set(_WORD_RE.findall(self._text.lower()))
        return self._words

    def join(self, left: str, right: str) -> str:
        if not left:
            return right
        if not right:
            return left
        if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
            head = re.search(r"([^\W\d_]+)-$", left)
            tail = re.match(r"[^\W\d_]+", right)
            if head and tail:
                a, b = head.group(1).lower(), tail.group(0).lower()
                if f"{a}-{b}" not in self.words and a + b in self.words:
                    return left[:-1] + right
            return left + right
        return f"{left} {right}"


def _continues(previous: str, line: str) -> bool:
    """Is ``line`` the continuation of the item ending with ``previous``?"""
    first = line[0]
    if first.islower() or first in ",;:.)]}»…%(":
        return True
    if previous.endswith(("-", ",", "’", "(", "«", "/", "+")) and not previous.endswith(" -"):
        return True
    if previous.rsplit(" ", 1)[-1].lower() in _CONNECTORS:
        return True
    return previous.count("(") > previous.count(")") or previous.count("«") > previous.count("»")


class _Segmenter:
    """Joins wrapped list lines into items; a blank line closes a group of items."""

    def __init__(self, vocab: _Vocabulary, *, numbering: bool, bullet_mode: bool) -> None:
        self.vocab = vocab
        self.numbering = numbering
        self.bullet_mode = bullet_mode
        self.groups: list[list[str]] = [[]]
        self.current: str | None = None
        self.pending_new = False

    def flush(self) -> None:
        if self.current is not None:
            item = self.current.strip()
            if item:
                self.groups[-1].append(item)
        self.current = None

    def blank(self) -> None:
        self.flush()
        if self.groups[-1]:
            self.groups.append([])

    def unmark(self, text: str) -> tuple[str, bool]:
        """The line without its bullet (or numbering), and whether it had one."""
        bullet = _BULLET_RE.match(text)
        if bullet:
            return text[bullet.end() :], True
        if self.numbering and _NUMBERING_RE.match(text):
            return _NUMBERING_RE.sub("", text, count=1), True
        return text, False

    def add(self, line: str) -> None:
        text, marked = self.unmark(line)
        if not text:  # a bullet alone: the next line starts an item
            self.flush()
            self.pending_new = True
            return
        if self.current is None:
            self.current = text
        elif marked or self.pending_new:
            self.flush()
            self.current = text
        elif self.bullet_mode or _continues(self.current, text):
            self.current = self.vocab.join(self.current, text)
        else:
            self.flush()
            self.current = text
        self.pending_new = False


def _segment(lines: list[_Line], vocab: _Vocabulary, *, numbering: bool = False) -> list[list[str]]:
    """Split list lines into items (wrapped lines joined), grouped by blank lines."""
    content = [ln for ln in lines if ln.is_text]
    bullet_mode = bool(content) and bool(_BULLET_RE.match(content[0].text))
    segmenter = _Segmenter(vocab, numbering=numbering, bullet_mode=bullet_mode)
    for ln in lines:
        if ln.kind == _BLANK:
            segmenter.blank()
        elif ln.is_text:
            segmenter.add(ln.text)
    segmenter.flush()
    return [g for g in segmenter.groups if g]


def _items(lines: list[_Line], vocab: _Vocabulary, *, numbering: bool = False) -> list[str]:
    return [item for group in _segment(lines, vocab, numbering=numbering) for item in group]


def _paragraphs(lines: list[_Line], vocab: _Vocabulary) -> str:
    paragraphs: list[str] = []
    current = ""
    for ln in lines:
        if ln.kind == _BLANK:
            if current:
                paragraphs.append(current)
            current = ""
        elif ln.is_text:
            current = vocab.join(current, ln.text)
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def _title_of(lines: list[_Line], vocab: _Vocabulary) -> str:
    title = ""
    for ln in lines:
        if ln.is_text:
            title = vocab.join(title, ln.text)
    return title.strip()


# ------------------------------------------------------------------ preprocessing


_FOOTER_MARK = "\x1e"  # replaces a removed page footer (a page break of unknown position)


def _split_lines(text: str) -> list[_Line]:
    """Classified lines: text (headings marked), one blank between paragraphs, page breaks."""
    raw = _raw_lines(text)
    _drop_running_lines(raw)
    lines = _collapse_breaks(raw)
    for ln in lines:
        if ln.is_text:
            found = _classify(ln, _MAIN_HEADINGS)
            if found and not _TOC_TAIL_RE.search(ln.folded):
                ln.heading, ln.match = found
    return lines


def _raw_line(physical: str) -> _Line:
    if physical in ("\f", _FOOTER_MARK):
        return _Line(_PAGE, hard=physical == "\f")
    cleaned = _clean_line(physical)
    if not cleaned:
        return _Line(_BLANK)
    if _is_footer_line(cleaned):
        return _Line(_PAGE)
    return _Line("text", cleaned, _fold(cleaned))


def _raw_lines(text: str) -> list[_Line]:
    """One line per physical line; page footers become page markers."""
    text = _FOOTER_LABELS_RE.sub(f"\n{_FOOTER_MARK}\n", text)
    text = _FOOTER_VALUES_RE.sub(f"\n{_FOOTER_MARK}\n", text)
    return [_raw_line(physical) for physical in text.replace("\f", "\n\f\n").split("\n")]


def _collapse_breaks(raw: list[_Line]) -> list[_Line]:
    """Collapse runs of blank / page markers: a run touching a page break is a page
    break (not a paragraph boundary); otherwise it is one blank line."""
    lines: list[_Line] = []
    run: list[_Line] = []
    for ln in [*raw, None]:  # None: the end of the text closes the last run
        if ln is not None and ln.kind in (_BLANK, _PAGE):
            run.append(ln)
            continue
        if run and lines:
            lines.append(_Line(_PAGE if any(r.kind == _PAGE for r in run) else _BLANK))
        run = []
        if ln is not None:
            lines.append(ln)
    return lines


def _drop_running_lines(lines: list[_Line]) -> None:
    """Blank out running headers/footers repeated at page boundaries (form-feed texts)."""
    # Form feeds give the true pages; without them, removed footers are the best guess.
    hard_only = any(ln.hard for ln in lines)
    pages: list[list[int]] = [[]]
    for index, ln in enumerate(lines):
        if ln.kind == _PAGE and (ln.hard or not hard_only):
            pages.append([])
        elif ln.is_text:
            pages[-1].append(index)
    pages = [p for p in pages if p]
    if len(pages) < 3:
        return
    key_pages: dict[str, set[int]] = {}
    samples: dict[str, _Line] = {}
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
        and not _classify(samples[key], _MAIN_HEADINGS)
        and not _classify(samples[key], _SUB_HEADINGS)
    }
    if not running:
        return
    for indexes in pages:
        for index in set(indexes[:3] + indexes[-3:]):
            if re.sub(r"\d+", "#", lines[index].folded) in running:
                lines[index] = _Line(_PAGE)


# ----------------------------------------------------------------------- metadata


def _parse_date(value: str | None, warnings: list[str], label: str) -> dt.date | None:
    if not value:
        return None
    try:
        day, month, year = (int(part) for part in value.split("/"))
        return dt.date(year, month, day)
    except ValueError:
        warnings.append(f"{label} invalide dans le document : « {value} ».")
        return None


def _metadata(text: str, lines: list[_Line], warnings: list[str]) -> dict[str, object]:
    footers = list(_FOOTER_VALUES_RE.finditer(text))
    footer = next((m for m in footers if m.group("doctype") == "REAC"), None)
    if footer is None and footers:
        footer = footers[0]
    meta: dict[str, object] = {
        "acronym": footer.group("sigle") if footer else None,
        "code": footer.group("code") if footer else None,
        "version": footer.group("version").zfill(2) if footer else None,
    }
    d1 = footer.group("d1") if footer and footer.group("doctype") == "REAC" else None
    d2 = footer.group("d2") if footer else None
    if d1 is None:
        found = re.search(rf"Date\s+de\s+validation\s*:?\s*({_DATE})", text, re.I)
        d1 = found.group(1) if found else None
    if d2 is None:
        found = re.search(rf"Date\s+de\s+mise\s+[àa]\s+jour\s*:?\s*({_DATE})", text, re.I)
        d2 = found.group(1) if found else None
    meta["validated_on"] = _parse_date(d1, warnings, "Date de validation")
    meta["updated_on"] = _parse_date(d2, warnings, "Date de mise à jour")
    if meta["code"] is None:
        found = _TP_CODE_RE.search(text)
        meta["code"] = found.group(0) if found else None
    if meta["version"] is None:
        found = re.search(r"Mill[ée]sime\s*:?\s*(\d{1,2})\b", text, re.I)
        meta["version"] = found.group(1).zfill(2) if found else None
    if meta["acronym"] is None:
        found = re.search(
            r"Sigle\s+du\s+titre(?:\s+professionnel)?\s*:\s*([A-Z][A-Z0-9]{1,11})\b", text, re.I
        )
        meta["acronym"] = found.group(1) if found else None

    level = re.search(r"^\s*Niveau\s*:?\s*(\d{1,2}|[IVX]{1,4})\b", text, re.M | re.I)
    if level is None:
        level = re.search(r"\bNiveau\s*:?\s*(\d)\b", text)
    meta["level"] = level.group(1).upper() if level else None

    meta["title"] = _find_title(text, lines, meta["acronym"])  # type: ignore[arg-type]
    if meta["acronym"] is None and meta["title"]:
        found = re.search(
            r"«\s*" + re.escape(str(meta["title"])) + r"\s*»\s*\(\s*([A-Z][A-Z0-9]{1,11})\s*\)",
            text,
        )
        meta["acronym"] = found.group(1) if found else None
    return meta


def _find_title(text: str, lines: list[_Line], acronym: str | None) -> str:
    for index, ln in enumerate(lines):
        if ln.heading == "emploi":
            parts: list[str] = []
            for nxt in lines[index + 1 :]:
                if nxt.kind != "text":
                    if parts:
                        break
                    continue
                if nxt.heading or re.match(r"^definition\s+de\s+l'emploi", nxt.folded):
                    break
                parts.append(nxt.text)
                if len(parts) == 2:
                    break
            if parts:
                return _clean_line(" ".join(parts))
    candidates = [
        r"Intitulé\s+du\s+titre(?:\s+professionnel)?\s*:\s*(.+)",
        r"^\s*Titre\s+professionnel\s*:\s*(.+)",
        r"^\s*TITRE\s+PROFESSIONNEL\s*:?\s*\n?\s*(.+)",
    ]
    if acronym:
        candidates.insert(1, r"«\s*([^»\n]{3,150}?)\s*»\s*\(\s*" + re.escape(acronym) + r"\s*\)")
    for pattern in candidates:
        found = re.search(pattern, text, re.M)
        if found and _clean_line(found.group(1)):
            return _clean_line(found.group(1))
    return ""


# ------------------------------------------------------------------------ parsing


@dataclass
class _Section:
    heading: _Line
    lines: list[_Line]


@dataclass
class _RawBlock:
    number: int
    title: str
    kind: str
    description: str
    cp_list: list[_Line]


def _sections(lines: list[_Line], kind: str) -> list[_Section]:
    result: list[_Section] = []
    for index, ln in enumerate(lines):
        if ln.heading != kind:
            continue
        end = index + 1
        while end < len(lines) and not lines[end].heading:
            end += 1
        result.append(_Section(ln, lines[index + 1 : end]))
    return result


def _region_after(lines: list[_Line], kind: str) -> list[_Line]:
    """Lines between the first heading of ``kind`` and the next main heading."""
    sections = _sections(lines, kind)
    return sections[0].lines if sections else []


def _subsections(lines: list[_Line]) -> list[tuple[str | None, _Line | None, list[_Line]]]:
    """Split a fiche into (sub-heading kind, heading line, body lines)."""
    parts: list[tuple[str | None, _Line | None, list[_Line]]] = [(None, None, [])]
    for ln in lines:
        found = _classify(ln, _SUB_HEADINGS) if ln.is_text else None
        if found:
            name, match = found
            body: list[_Line] = []
            rest = match.groupdict().get("rest") if name == "crit" else None
            if rest:
                original = ln.text[match.start("rest") :].strip()
                if original and original[0].isupper():
                    body.append(_Line("text", original, _fold(original)))
            parts.append((name, ln, body))
        else:
            parts[-1][2].append(ln)
    return parts


def _skip_heading_tail(lines: list[_Line]) -> list[_Line]:
    """Drop leading blank lines and the wrapped end of a sub-heading (lower-case lines)."""
    index = 0
    while index < len(lines) and not (lines[index].is_text and not lines[index].text[0].islower()):
        index += 1
    return lines[index:]


def _heading_rest(line: _Line) -> str:
    match = line.match
    if match is None or "rest" not in match.groupdict() or not match.group("rest"):
        return ""
    return line.text[match.start("rest") :].strip()


def _parse_knowledge(lines: list[_Line], vocab: _Vocabulary) -> tuple[dict[str, list[str]], bool]:
    """Return the knowledge dict and whether the savoir-faire split was ambiguous."""
    lines = _skip_heading_tail(lines)
    if any(ln.is_text and _knowledge_label(ln) for ln in lines):
        return _labelled_knowledge(lines, vocab), False
    return _unlabelled_knowledge(lines, vocab)


def _knowledge_label(line: _Line) -> str | None:
    return next((key for key, pattern in _KNOW_LABELS if pattern.match(line.folded)), None)


def _labelled_knowledge(lines: list[_Line], vocab: _Vocabulary) -> dict[str, list[str]]:
    """Lists under "Savoir-faire techniques :", "Savoirs :"... labels."""
    knowledge: dict[str, list[str]] = {}
    current = "savoir_faire_techniques"
    chunk: list[_Line] = []

    def store() -> None:
        items = _items(chunk, vocab, numbering=True)
        if items:
            knowledge.setdefault(current, []).extend(items)

    for ln in lines:
        label = _knowledge_label(ln) if ln.is_text else None
        if label:
            store()
            current, chunk = label, []
        else:
            chunk.append(ln)
    store()
    return knowledge


def _unlabelled_knowledge(
    lines: list[_Line], vocab: _Vocabulary
) -> tuple[dict[str, list[str]], bool]:
    """Groups separated by blank lines: technical, organisational and relational
    savoir-faire, then the savoirs (items starting with "Connaissance", "Notions"...)."""
    savoir_faire: list[list[str]] = []
    savoirs: list[str] = []
    for group in _segment(lines, vocab, numbering=True):
        for position, item in enumerate(group):
            if savoirs or _SAVOIR_ITEM_RE.match(_fold(item)):
                savoirs.append(item)
            elif position == 0:
                savoir_faire.append([item])
            else:
                savoir_faire[-1].append(item)
    knowledge, ambiguous = _split_savoir_faire(savoir_faire)
    if savoirs:
        knowledge["savoirs"] = savoirs
    return {k: v for k, v in knowledge.items() if v}, ambiguous


def _split_savoir_faire(groups: list[list[str]]) -> tuple[dict[str, list[str]], bool]:
    """The last two groups are organisational and relational, the others technical."""
    knowledge: dict[str, list[str]] = {}
    if len(groups) >= 3:
        knowledge["savoir_faire_relationnels"] = groups[-1]
        knowledge["savoir_faire_organisationnels"] = groups[-2]
        knowledge["savoir_faire_techniques"] = [i for g in groups[:-2] for i in g]
        return knowledge, len(groups) > 3
    if groups:
        knowledge["savoir_faire_techniques"] = groups[0]
        if len(groups) == 2:
            knowledge["savoir_faire_organisationnels"] = groups[1]
        return knowledge, True
    return knowledge, False


def _dedupe_criteria(items: list[str], label: str, warnings: list[str]) -> list[ParsedCriterion]:
    seen: set[str] = set()
    result: list[ParsedCriterion] = []
    for item in items:
        key = _compact(item)
        if key in seen:
            warnings.append(f"Critère répété ignoré pour {label} : « {item} ».")
            continue
        seen.add(key)
        result.append(ParsedCriterion(item))
    return result


def _parse_cp_section(
    section: _Section, vocab: _Vocabulary, warnings: list[str], ambiguous: list[int]
) -> tuple[ParsedCompetency, bool]:
    """Parse one "FICHE COMPÉTENCE PROFESSIONNELLE"; also tell whether it has a criteria
    sub-heading (a missing one is already reported in ``warnings``)."""
    number = int(section.heading.match.group("num"))  # type: ignore[union-attr]
    parts = _subsections(section.lines)
    title_lines = parts[0][2]
    rest = _heading_rest(section.heading)
    title = vocab.join(rest, _title_of(title_lines, vocab)).strip()
    comp = ParsedCompetency(number=number, title=_strip_numbering(title), kind="professional")
    criteria: list[str] = []
    seen_criteria = False
    for name, _line, body in parts[1:]:
        if name == "desc":
            comp.description = _paragraphs(_skip_heading_tail(body), vocab)
        elif name == "crit":
            seen_criteria = True
            criteria.extend(_items(body, vocab, numbering=True))
        elif name == "know":
            knowledge, unsure = _parse_knowledge(body, vocab)
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


def _strip_numbering(title: str) -> str:
    return re.sub(r"^\d{1,2}\s*[.)–—-]\s+", "", title).strip()


def _as_bullets(groups: list[list[str]]) -> list[_Line]:
    """Rebuild lines from already segmented items (bullets keep item boundaries exact)."""
    lines: list[_Line] = []
    for group in groups:
        if lines:
            lines.append(_Line(_BLANK))
        lines.extend(_Line("text", f"• {item}", _fold(item)) for item in group)
    return lines


def _pop_last_item(body: list[_Line], vocab: _Vocabulary) -> tuple[list[_Line], str]:
    """Split off the last item of a body (the title of the next transversal competency)."""
    groups = _segment(body, vocab)
    if not groups:
        return body, ""
    title = groups[-1].pop()
    return _as_bullets([g for g in groups if g]), title


def _parse_transversal(
    section: _Section, vocab: _Vocabulary, warnings: list[str]
) -> list[ParsedCompetency]:
    """Parse the "fiche des compétences transversales": title, description, criteria...

    Each competency starts at a "Description de la compétence" sub-heading (or at a
    "Critères de performance" sub-heading when it has no description); its title is the
    last item before that sub-heading.
    """
    parts = _subsections(section.lines)
    starts = _transversal_starts([name for name, _line, _body in parts])
    bodies = [body for _name, _line, body in parts]
    titles = [""] * len(parts)
    for index in range(1, len(parts)):
        if starts[index]:
            bodies[index - 1], titles[index] = _pop_last_item(bodies[index - 1], vocab)

    result: list[ParsedCompetency] = []
    for index in range(1, len(parts)):
        if starts[index]:
            result.append(ParsedCompetency(None, _strip_numbering(titles[index]), "transversal"))
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
    comp: ParsedCompetency, name: str | None, body: list[_Line], vocab: _Vocabulary
) -> None:
    """Add one sub-section (description, criteria or knowledge) to the competency."""
    if name == "desc":
        comp.description = _paragraphs(_skip_heading_tail(body), vocab)
    elif name == "crit":
        criteria = [c.text for c in comp.criteria] + _items(body, vocab, numbering=True)
        comp.criteria = [ParsedCriterion(c) for c in criteria]
    elif name == "know":
        knowledge, _unsure = _parse_knowledge(body, vocab)
        for key, values in knowledge.items():
            comp.knowledge.setdefault(key, []).extend(values)


def _block_from_section(section: _Section, vocab: _Vocabulary) -> _RawBlock:
    match = section.heading.match
    number = int(match.group("num"))  # type: ignore[union-attr]
    extension = bool(match.group("ext"))  # type: ignore[union-attr]
    parts = _subsections(section.lines)
    title_parts: list[_Line] = []
    rest = _heading_rest(section.heading)
    if rest:
        title_parts.append(_Line("text", rest, _fold(rest)))
    title_parts.extend(parts[0][2])
    kept: list[_Line] = []
    for ln in title_parts:
        if ln.is_text and _EXTENSION_MARK_RE.match(ln.folded):
            extension = True
            continue
        kept.append(ln)
    title = _title_of(kept, vocab)
    if _EXTENSION_TAIL_RE.search(title):
        extension = True
        title = _EXTENSION_TAIL_RE.sub("", title)
    description = ""
    cp_list: list[_Line] = []
    for name, _line, body in parts[1:]:
        if name == "at_def":
            description = _paragraphs(_skip_heading_tail(body), vocab)
        elif name == "at_cp_list":
            cp_list = _skip_heading_tail(body)
    return _RawBlock(
        number,
        _strip_numbering(title),
        "extension" if extension else "activity",
        description,
        cp_list,
    )


def _blocks_from_list(lines: list[_Line], vocab: _Vocabulary) -> list[_RawBlock]:
    region = _region_after(lines, "list_at_cp")
    blocks: list[_RawBlock] = []
    for item in _items(region, vocab):
        found = re.match(r"^(\d{1,2})\s*[.)–—-]\s*(.+)$", item)
        if found:
            title = found.group(2)
            kind = "extension" if _EXTENSION_TAIL_RE.search(title) else "activity"
            blocks.append(
                _RawBlock(
                    int(found.group(1)), _EXTENSION_TAIL_RE.sub("", title).strip(), kind, "", []
                )
            )
        elif blocks:
            blocks[-1].cp_list.append(_Line("text", item, _fold(item)))
    return blocks


def _scan_titles(region: list[_Line], titles: list[tuple[str, int, str]]) -> list[tuple[str, int]]:
    """Occurrences, in document order, of known titles in a region.

    Matching uses alphanumeric-only keys, so it is insensitive to line wraps, hyphens,
    apostrophes, case and accents. Overlapping matches keep the longest one.
    """
    haystack = "".join(_compact(ln.text) for ln in region if ln.is_text)
    matches: list[tuple[int, int, str, int]] = []
    for kind, number, title in titles:
        key = _compact(title)
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
    raw_blocks: list[_RawBlock],
    comps: list[ParsedCompetency],
    lines: list[_Line],
    vocab: _Vocabulary,
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
    raw_blocks: list[_RawBlock], cps: dict[int, str], vocab: _Vocabulary, warnings: list[str]
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
        for item in _items(block.cp_list, vocab):
            key = _compact(item)
            if key and not any(key in _compact(t) or _compact(t) in key for t in cps.values()):
                orphans.append((block.number, item))
    return by_fiche, orphans


def _other_sources(
    lines: list[_Line], ats: dict[int, str], cps: dict[int, str]
) -> list[tuple[str, dict[int, int]]]:
    """(label, competency -> activité type) from the synoptic table and the fiche emploi
    type's list, when they cite every activité type."""
    sources: list[tuple[str, dict[int, int]]] = []
    for label, kind in (
        ("le tableau synoptique", "synoptic"),
        ("la liste des activités types de la fiche emploi type", "list_at_cp"),
    ):
        region = _region_after(lines, kind)
        if region:
            found_ats, mapping = _mapping_in(region, ats, cps)
            if found_ats == set(ats) and mapping:
                sources.append((label, mapping))
    return sources


def _mapping_in(
    region: list[_Line], ats: dict[int, str], cps: dict[int, str]
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
    key = _compact(item)
    best, best_ratio = None, 0.0
    for number, title in cps.items():
        if number in assignment:
            continue
        ratio = difflib.SequenceMatcher(None, key, _compact(title)).ratio()
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


def _transversal_list(lines: list[_Line], vocab: _Vocabulary) -> list[str]:
    region: list[_Line] = []
    for index, ln in enumerate(lines):
        if ln.heading == "transv_list":
            for nxt in lines[index + 1 :]:
                if nxt.heading:
                    break
                if nxt.kind == _BLANK and any(r.is_text for r in region):
                    break
                region.append(nxt)
            break
    return [_strip_numbering(i) for i in _items(region, vocab)]


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
    vocab = _Vocabulary(text)
    lines = _main_part(_split_lines(text))
    meta = _metadata(text, lines, warnings)
    comps, without_criteria, ambiguous = _professional_competencies(lines, vocab, warnings)
    raw_blocks = _raw_blocks(lines, vocab, warnings)
    blocks = _place_competencies(raw_blocks, comps, lines, vocab, warnings)
    _warn_gaps(comps, blocks, warnings)
    transversal = _transversal_competencies(lines, vocab, warnings)
    _warn_without_criteria([*comps, *transversal], without_criteria, warnings)
    _warn_ambiguous_knowledge(ambiguous, warnings)
    return limits.check_framework(_framework(meta, blocks, transversal, warnings), ReacParseError)


def _main_part(lines: list[_Line]) -> list[_Line]:
    """The lines up to the "RÉFÉRENTIEL D'ÉVALUATION" (it repeats the criteria)."""
    first_cp = next((i for i, ln in enumerate(lines) if ln.heading == "cp"), None)
    if first_cp is None:
        raise ReacParseError(
            "Aucune fiche compétence professionnelle trouvée : ce document ne semble pas "
            "être un REAC."
        )
    cut = next(
        (
            i
            for i, ln in enumerate(lines)
            if i > first_cp and ln.heading == "re" and len(ln.text) < 80
        ),
        None,
    )
    return lines if cut is None else lines[:cut]


def _merge_duplicate(
    previous: ParsedCompetency, comp: ParsedCompetency, warnings: list[str]
) -> None:
    """A second fiche with the same number: the continuation of the first one, or ignored."""
    if _compact(previous.title) == _compact(comp.title) or not comp.title:
        known = {_compact(c.text) for c in previous.criteria}
        previous.criteria.extend(c for c in comp.criteria if _compact(c.text) not in known)
    else:
        warnings.append(
            f"Deux fiches compétence professionnelle portent le n° {comp.number} ; "
            f"la seconde (« {comp.title} ») est ignorée."
        )


def _professional_competencies(
    lines: list[_Line], vocab: _Vocabulary, warnings: list[str]
) -> tuple[list[ParsedCompetency], set[int], list[int]]:
    """The fiches compétence professionnelle, the numbers of those lacking a criteria
    sub-heading (already reported in ``warnings``) and of those whose savoir-faire split
    is uncertain (to be reported)."""
    ambiguous: list[int] = []
    without_heading: set[int] = set()
    seen: dict[int, ParsedCompetency] = {}
    sections = _sections(lines, "cp")
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


def _warn_ambiguous_knowledge(ambiguous: list[int], warnings: list[str]) -> None:
    if ambiguous:
        warnings.append(
            "Répartition des savoir-faire (techniques, organisationnels, relationnels) incertaine "
            "pour la ou les compétences n° "
            + ", ".join(str(n) for n in sorted(set(ambiguous)))
            + " : les groupes ne sont pas nettement séparés dans le document, à vérifier."
        )


def _raw_blocks(lines: list[_Line], vocab: _Vocabulary, warnings: list[str]) -> list[_RawBlock]:
    """The activités types, from their fiches or else from the fiche emploi type's list."""
    raw_blocks: list[_RawBlock] = []
    sections = _sections(lines, "at")
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


def _place_competencies(
    raw_blocks: list[_RawBlock],
    comps: list[ParsedCompetency],
    lines: list[_Line],
    vocab: _Vocabulary,
    warnings: list[str],
) -> list[ParsedBlock]:
    """The blocks, each holding its competencies in number order."""
    assignment = _assign(raw_blocks, comps, lines, vocab, warnings)
    blocks = [ParsedBlock(b.number, b.title, b.kind, [], b.description) for b in raw_blocks]
    by_number = {b.number: b for b in blocks}
    for comp in sorted(comps, key=lambda c: c.number or 0):
        by_number[assignment[comp.number]].competencies.append(comp)  # type: ignore[index]
    return blocks


def _warn_gaps(
    comps: list[ParsedCompetency], blocks: list[ParsedBlock], warnings: list[str]
) -> None:
    """Missing competency numbers, empty activités types."""
    numbers = sorted(c.number for c in comps if c.number is not None)
    missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
    if missing:
        warnings.append(
            "Numérotation des compétences professionnelles incomplète : fiche(s) n° "
            + ", ".join(str(n) for n in missing)
            + " absente(s) du document."
        )
    for block in blocks:
        if not block.competencies:
            warnings.append(
                f"L’activité type n° {block.number} « {block.title} » ne contient "
                "aucune compétence professionnelle."
            )


def _transversal_competencies(
    lines: list[_Line], vocab: _Vocabulary, warnings: list[str]
) -> list[ParsedCompetency]:
    """From the fiche des compétences transversales, checked against the fiche emploi type's
    list; from that list alone when there is no fiche."""
    transversal: list[ParsedCompetency] = []
    sections = _sections(lines, "transv")
    limits.check_count(
        len(sections), limits.MAX_BLOCKS, "fiches des compétences transversales", ReacParseError
    )
    for section in sections:
        transversal.extend(_parse_transversal(section, vocab, warnings))
    listed = _transversal_list(lines, vocab)
    if transversal and listed:
        fiche_keys = [_compact(c.title) for c in transversal]
        listed_keys = [_compact(t) for t in listed]
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
