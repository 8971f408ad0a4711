"""List items and paragraphs of a REAC, rejoined from the lines a PDF wrapped them over.

A bullet (or, where asked, a number) starts an item. In a list whose first item has a
bullet, an unmarked line continues the item; elsewhere, only when it reads as a
continuation (lower-case start, dangling connector or parenthesis…). A blank line closes a
group of items (the savoir-faire groups are told apart that way). A hyphen at a line end is
kept or dropped as the document spells the word elsewhere (:class:`Vocabulary`).
"""

from __future__ import annotations

import re

from siae_app.services.frameworks.reac.lines import BLANK, Line

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


class Vocabulary:
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

    def __init__(self, vocab: Vocabulary, *, numbering: bool, bullet_mode: bool) -> None:
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


def segment(lines: list[Line], vocab: Vocabulary, *, numbering: bool = False) -> list[list[str]]:
    """Split list lines into items (wrapped lines joined), grouped by blank lines."""
    content = [ln for ln in lines if ln.is_text]
    bullet_mode = bool(content) and bool(_BULLET_RE.match(content[0].text))
    segmenter = _Segmenter(vocab, numbering=numbering, bullet_mode=bullet_mode)
    for ln in lines:
        if ln.kind == BLANK:
            segmenter.blank()
        elif ln.is_text:
            segmenter.add(ln.text)
    segmenter.flush()
    return [g for g in segmenter.groups if g]


def list_items(lines: list[Line], vocab: Vocabulary, *, numbering: bool = False) -> list[str]:
    return [item for group in segment(lines, vocab, numbering=numbering) for item in group]


def paragraphs(lines: list[Line], vocab: Vocabulary) -> str:
    paragraphs: list[str] = []
    current = ""
    for ln in lines:
        if ln.kind == BLANK:
            if current:
                paragraphs.append(current)
            current = ""
        elif ln.is_text:
            current = vocab.join(current, ln.text)
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def title_of(lines: list[Line], vocab: Vocabulary) -> str:
    title = ""
    for ln in lines:
        if ln.is_text:
            title = vocab.join(title, ln.text)
    return title.strip()
