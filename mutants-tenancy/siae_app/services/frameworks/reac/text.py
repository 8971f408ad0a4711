"""Text normalisation of a REAC, and the folded forms its headings and titles are matched on.

Rules applied to every string the reader returns:

* whitespace is collapsed to single spaces, the text is NFC-normalised;
* every apostrophe (``'``, ``‘``, ``ʼ``, ``´``) becomes the typographic apostrophe
  ``’`` (U+2019) — titles, criteria and knowledge items always use ``’``;
* an item wrapped over several lines is joined into one string; a line ending with a
  hyphen is joined without a space, keeping the hyphen unless the document spells the
  word without it elsewhere ("socio-\\nprofessionnel" -> "socio-professionnel",
  "profes-\\nsionnel" -> "professionnel" when "professionnel" occurs in the document;
  see :class:`.segments.Vocabulary`);
* bullets are stripped; page headers/footers ("SIGLE Type de document ..." tables,
  "ETI REAC TP-00448 06 ... 11/46" lines, page numbers, lines repeated at the top or
  bottom of most pages when the text carries form-feed page breaks) are discarded
  (see :mod:`.lines`).
"""

from __future__ import annotations

import re
import unicodedata

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


def fold_aligned(text: str) -> str:
    """Lower-case, accent-free copy with the same length as ``text`` (for heading regexes)."""
    folded = _COMBINING_RE.sub("", unicodedata.normalize("NFD", text)).lower().replace("’", "'")
    if len(folded) == len(text):
        return folded
    return "".join(_fold_char(ch) for ch in text)  # rare: keep a 1:1 character mapping


def compact(text: str) -> str:
    """Alphanumeric-only folded key, insensitive to wraps, hyphens and punctuation."""
    folded = fold_aligned(text).replace("œ", "oe").replace("æ", "ae")
    return "".join(ch for ch in folded if ch.isalnum())


_SPACES_RE = re.compile(r"\s+")  # any Unicode whitespace (vertical tab, U+2028...)


def clean_line(line: str) -> str:
    return _SPACES_RE.sub(" ", line.strip())
