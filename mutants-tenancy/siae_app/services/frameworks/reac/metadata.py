"""The titre a REAC describes: sigle, code, millésime, dates, niveau and title.

Read from the page footers first (« ETI REAC TP-00448 06 14/10/2024 14/10/2024 11/46 »),
then from the labelled lines of the cover page; the title from the fiche emploi type, else
from a labelled line.
"""

from __future__ import annotations

import datetime as dt
import re

from siae_app.services.frameworks.reac.lines import DATE, FOOTER_VALUES_RE, TP_CODE_RE, Line
from siae_app.services.frameworks.reac.text import clean_line


def _parse_date(value: str | None, warnings: list[str], label: str) -> dt.date | None:
    if not value:
        return None
    try:
        day, month, year = (int(part) for part in value.split("/"))
        return dt.date(year, month, day)
    except ValueError:
        warnings.append(f"{label} invalide dans le document : « {value} ».")
        return None


def read_metadata(text: str, lines: list[Line], warnings: list[str]) -> dict[str, object]:
    footers = list(FOOTER_VALUES_RE.finditer(text))
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
        found = re.search(rf"Date\s+de\s+validation\s*:?\s*({DATE})", text, re.I)
        d1 = found.group(1) if found else None
    if d2 is None:
        found = re.search(rf"Date\s+de\s+mise\s+[àa]\s+jour\s*:?\s*({DATE})", text, re.I)
        d2 = found.group(1) if found else None
    meta["validated_on"] = _parse_date(d1, warnings, "Date de validation")
    meta["updated_on"] = _parse_date(d2, warnings, "Date de mise à jour")
    if meta["code"] is None:
        found = TP_CODE_RE.search(text)
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


def _find_title(text: str, lines: list[Line], acronym: str | None) -> str:
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
                return clean_line(" ".join(parts))
    candidates = [
        r"Intitulé\s+du\s+titre(?:\s+professionnel)?\s*:\s*(.+)",
        r"^\s*Titre\s+professionnel\s*:\s*(.+)",
        r"^\s*TITRE\s+PROFESSIONNEL\s*:?\s*\n?\s*(.+)",
    ]
    if acronym:
        candidates.insert(1, r"«\s*([^»\n]{3,150}?)\s*»\s*\(\s*" + re.escape(acronym) + r"\s*\)")
    for pattern in candidates:
        found = re.search(pattern, text, re.M)
        if found and clean_line(found.group(1)):
            return clean_line(found.group(1))
    return ""
