"""Import of salariés from CSV (UTF-8 with or without BOM, or Windows-1252; ``;``, ``,`` or
tab) or XLSX: read (bounded: :mod:`siae_app.services.spreadsheets`) → check every line
(French, numbered as in the spreadsheet) → preview → confirm.

Confirming creates everything in one flush or nothing: a single error refuses the whole file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siae_app.models import Employee, EmployeeImport, Membership, Team
from siae_app.services import ServiceError, spreadsheets
from siae_app.services.employees import contracts, identity, pass_iae
from siae_app.services.employees.dates import parse_date
from siae_app.services.exports import from_spreadsheet
from siae_app.services.spreadsheets import Row

MAX_LINES = 2000
MAX_BYTES = 5 * 1024 * 1024  # a list of 2,000 salariés is far smaller, even in CSV

# Accepted headers (compared without accents, case or punctuation) → field.
COLUMNS = {
    "nom": "last_name",
    "nom de naissance": "last_name",
    "nom d usage": "usage_name",
    "prenom": "first_name",
    "date de naissance": "birth_date",
    "telephone": "phone",
    "e mail": "email",
    "email": "email",
    "courriel": "email",
    "adresse": "address",
    "equipe": "team",
    "date d entree": "entry_date",
    "date d arrivee": "entry_date",
    "prescripteur": "prescriber_org",
    "numero pass iae": "pass_number",
    "pass iae": "pass_number",
    "debut pass": "pass_start",
    "fin pass": "pass_end",
    "debut contrat": "contract_start",
    "fin contrat": "contract_end",
    "heures hebdo": "weekly_hours",
    "heures par semaine": "weekly_hours",
}
REQUIRED = ("last_name", "first_name", "birth_date")
LABELS = {
    "last_name": "nom",
    "first_name": "prénom",
    "birth_date": "date de naissance",
    "entry_date": "date d'entrée",
    "pass_start": "début PASS",
    "pass_end": "fin PASS",
    "contract_start": "début contrat",
    "contract_end": "fin contrat",
}
DATE_FIELDS = (
    "birth_date",
    "entry_date",
    "pass_start",
    "pass_end",
    "contract_start",
    "contract_end",
)


@dataclass
class Preview:
    rows: list[dict] = field(default_factory=list)  # {"line": n, **fields} (text values)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# ------------------------------------------------------------------ reading the file


def read_table(filename: str, data: bytes) -> Iterator[Row]:
    """The rows of the uploaded file, read with the bounds of :mod:`spreadsheets`."""
    if len(data) > MAX_BYTES:
        raise ServiceError(
            f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs "
            "fichiers.",
            "file",
        )
    return spreadsheets.read_rows(filename, data, max_lines=MAX_LINES, what="lignes de salariés")


# ------------------------------------------------------------------ checking the lines


def _header(row: list[str]) -> tuple[dict[int, str], list[str]]:
    mapping, ignored = {}, []
    for i, title in enumerate(row):
        target = COLUMNS.get(_key(title))
        if target and target not in mapping.values():
            mapping[i] = target
        elif title.strip():
            ignored.append(title.strip())
    missing = [LABELS[f] for f in REQUIRED if f not in mapping.values()]
    if missing:
        raise ServiceError(
            "Colonnes obligatoires absentes de la première ligne : " + ", ".join(missing) + ".",
            "file",
        )
    return mapping, ignored


def _date(text: str) -> date:
    day = parse_date(text)
    if day is None:
        raise ValueError
    return day


def _parse(record: dict, team_ids: dict[str, object]) -> dict:
    """Typed values of a line; raises ServiceError(field label) on the first bad value."""
    out = {k: (v.strip() or None) for k, v in record.items() if k != "line"}
    for name in DATE_FIELDS:
        if out.get(name):
            try:
                out[name] = _date(out[name])
            except ValueError:
                raise ServiceError(
                    f"{LABELS[name]} illisible (« {out[name]} ») ; attendu JJ/MM/AAAA."
                ) from None
    if out.get("weekly_hours"):
        try:
            out["weekly_hours"] = Decimal(out["weekly_hours"].replace(",", "."))
        except InvalidOperation:
            raise ServiceError(
                f"heures par semaine illisibles (« {out['weekly_hours']} »)."
            ) from None
    if out.get("team"):
        team_id = team_ids.get(out["team"].lower())
        if team_id is None:
            raise ServiceError(f"équipe inconnue (« {out['team']} »).")
        out["team_id"] = team_id
    return out


def _check_line(session: Session, parsed: dict) -> None:
    for name in REQUIRED:
        if not parsed.get(name):
            raise ServiceError(f"{LABELS[name]} manquant(e).")
    values = {k: parsed.get(k) for k in identity.IDENTITY_FIELDS}
    identity.validate_identity(session, values)
    if parsed.get("pass_number"):
        pass_iae._pass_values(
            {
                "number": parsed["pass_number"],
                "start_date": parsed.get("pass_start") or parsed.get("entry_date"),
                "end_date": parsed.get("pass_end"),
            }
        )
    if parsed.get("contract_start") or parsed.get("contract_end"):
        _check_contract(parsed)


def _check_contract(parsed: dict) -> None:
    start, end = parsed.get("contract_start"), parsed.get("contract_end")
    if not (start and end and parsed.get("weekly_hours")):
        raise ServiceError("contrat incomplet (début, fin et heures par semaine).")
    if end <= start:
        raise ServiceError("la fin du contrat précède son début.")


def _identity_key(parsed: dict) -> tuple:
    return (
        parsed["last_name"].strip().lower(),
        parsed["first_name"].strip().lower(),
        parsed["birth_date"],
    )


def _existing_keys(session: Session) -> set[tuple]:
    rows = session.execute(
        select(func.lower(Employee.last_name), func.lower(Employee.first_name), Employee.birth_date)
    ).all()
    return {tuple(r) for r in rows}


def check(session: Session, records: list[dict]) -> tuple[list[dict], list[str]]:
    """Typed rows and line-numbered French errors (duplicates in the file and the structure)."""
    team_ids = {t.name.lower(): t.id for t in session.scalars(select(Team))}
    existing, seen = _existing_keys(session), {}
    parsed_rows, errors = [], []
    for record in records:
        line = record["line"]
        try:
            parsed = _parse(record, team_ids)
            _check_line(session, parsed)
        except ServiceError as exc:
            errors.append(f"Ligne {line} : {exc.message[:1].lower()}{exc.message[1:]}")
            continue
        key = _identity_key(parsed)
        if key in seen:
            errors.append(
                f"Ligne {line} : même nom, prénom et date de naissance qu'à la ligne {seen[key]}."
            )
        elif key in existing:
            errors.append(
                f"Ligne {line} : {parsed['last_name']} {parsed['first_name']} existe déjà "
                "dans la structure (même date de naissance)."
            )
        seen.setdefault(key, line)
        parsed_rows.append({"line": line, **parsed})
    return parsed_rows, errors


def records_of(rows: Iterator[Row]) -> tuple[list[dict], list[str]]:
    """The header's mapping, then one record per non-blank line (numbered as in the
    spreadsheet); the reader stops past ``MAX_LINES`` with its French message."""
    header = next(rows, None)
    if header is None or header.number != 1:
        raise ServiceError("Le fichier est vide ou sa première ligne (les titres) manque.", "file")
    mapping, ignored = _header(header.cells)
    records = []
    for row in rows:
        record = {"line": row.number}
        for i, name in mapping.items():
            cell = row.cells[i] if i < len(row.cells) else ""
            record[name] = from_spreadsheet(cell) if cell else ""
        records.append(record)
    if not records:
        raise ServiceError("Le fichier ne contient aucune ligne de salarié.", "file")
    return records, ignored


def preview(session: Session, membership: Membership, filename: str, data: bytes):
    """Read and check the file; keep a draft (the raw lines) for the confirmation step."""
    records, ignored = records_of(read_table(filename, data))
    rows, errors = check(session, records)
    draft = EmployeeImport(membership_id=membership.id, filename=filename[:255], rows=records)
    session.add(draft)
    session.flush()
    return draft, Preview(rows=rows, errors=errors, ignored_columns=ignored)


def confirm(session: Session, membership: Membership, draft: EmployeeImport) -> int:
    """Check the lines again (the structure may have changed) and create all or nothing."""
    rows, errors = check(session, draft.rows)
    if errors:
        raise ServiceError(
            f"L'import contient {len(errors)} erreur{'s' if len(errors) > 1 else ''} : corrigez "
            "le fichier et importez-le "
            "de nouveau. Aucun salarié n'a été créé.",
            "file",
        )
    for row in rows:
        _create(session, membership, row)
    session.delete(draft)
    session.flush()
    return len(rows)


def _create(session: Session, membership: Membership, row: dict) -> None:
    employee = identity.create_employee(session, membership, row)
    if row.get("pass_number"):
        pass_iae.create_pass(
            session,
            membership,
            employee,
            {
                "number": row["pass_number"],
                "start_date": row.get("pass_start") or row.get("entry_date"),
                "end_date": row.get("pass_end"),
            },
        )
    if row.get("contract_start"):
        contracts.create_contract(
            session,
            membership,
            employee,
            {
                "start_date": row["contract_start"],
                "end_date": row["contract_end"],
                "weekly_hours": row["weekly_hours"],
            },
        )
