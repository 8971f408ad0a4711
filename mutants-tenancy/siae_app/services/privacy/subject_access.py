"""« Données détenues »: everything the structure holds about one salarié (RGPD, art. 15),
as a plain dict that the JSON download writes as it is and the PDF prints.

Built from the register (``siae_app.privacy.registry``): every entry of ``personal_entries``
gives one section of its category, read by one SELECT (``privacy.rows``), so a table added
to the register appears here without code. What a row says is kept; what only the software
needs is not:

- internal columns (ids, the structure, the salarié, versions) are dropped; a reference to
  a list of the structure (an axis, a team, a criterion, a competency) is kept as its label,
  read in the same SELECT; a reference to another row of the file is dropped;
- a member of the team (an author, a validator…) is given as their role, never their name;
- a stored file (a signed PDF) is said, not copied: « document PDF conservé (n octets) »;
- sensitive content (sensitive observations, freins on sensitive axes, confidential notes,
  sensitive criteria and motifs, urgent situations…) is included only for a membership the
  policy lets read it; otherwise the export counts what it left out and says so.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, LargeBinary, Table, Uuid, func, literal, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, Membership, Role, Structure
from siae_app.models.actions import ACTION_NATURES, ACTION_STATUSES
from siae_app.models.attendance import ABSENCE_MOTIFS, ATTENDANCE_STATUSES
from siae_app.models.diagnostic import BARRIER_STATUSES, OBJECTIVE_ORIGINS, OBJECTIVE_STATUSES
from siae_app.models.employees import (
    DEROGATION_MOTIFS,
    EDUCATION_LEVELS,
    EXIT_KINDS,
    FOLLOWUP_KINDS,
    PASS_EXTENSION_MOTIFS,
    PASS_SUSPENSION_MOTIFS,
    PRESCRIBER_KINDS,
    SENSITIVE_MOTIFS,
    SEXES,
)
from siae_app.models.evaluations import ASSESSMENT_KINDS
from siae_app.models.immersions import IMMERSION_OBJECTS, OBJECTIVES_REACHED
from siae_app.models.interviews import INTERVIEW_KINDS
from siae_app.models.observations import TONES
from siae_app.models.reviews import REVIEW_KINDS
from siae_app.models.statuses import Status
from siae_app.models.urgent import URGENT_KINDS
from siae_app.permissions.policy import Perm, allowed
from siae_app.privacy import rows as register_rows
from siae_app.privacy.registry import Entry, personal_entries
from siae_app.services.employees import access_log
from siae_app.services.history import FIELD_LABELS

SCHEMA = "parcours-siae/donnees-detenues/1"
WITHHELD_NOTE = (
    "Des éléments sensibles existent mais votre rôle ne permet pas de les lire : "
    "ils ne figurent pas dans cet export."
)
CONFIDENTIAL = "motif confidentiel"
UNKNOWN_MEMBER = "membre de l'équipe"

# Columns only the software needs.
INTERNAL = frozenset(
    {"id", "structure_id", "employee_id", "version_id", "updated_at", "position", "level_rank"}
)
# References the row already says in its own words (an item's label is its competency's).
SAID_BY_THE_ROW = frozenset(
    {("assessment_items", "grid_item_id"), ("assessment_items", "competency_id")}
)
# Lists of the structure a reference is kept as the label of (never a person's row).
LABEL_COLUMNS = ("label", "name")
# Where a row's time order is read (the first column the table has).
ORDER_COLUMNS = (
    "at",
    "day",
    "month",
    "observed_on",
    "held_on",
    "assessed_on",
    "start_date",
    "entry_date",
    "planned_on",
    "due_date",
    "due_on",
    "done_on",
    "decided_on",
    "created_at",
    "position",
)


@dataclass(frozen=True)
class Sensitive:
    """Which rows of a table are sensitive (an SQL condition) and who may read them."""

    condition: Callable[[Table], ColumnElement]
    perm: Perm


def _sensitive_axis(t: Table) -> ColumnElement:
    axes = register_rows.table_of("barrier_axes")
    return t.c.axis_id.in_(select(axes.c.id).where(axes.c.is_sensitive.is_(True)))


def _sensitive_criterion(t: Table) -> ColumnElement:
    criteria = register_rows.table_of("eligibility_criteria")
    return t.c.criterion_id.in_(select(criteria.c.id).where(criteria.c.is_sensitive.is_(True)))


# The same rules as the pages of the file (permissions/scopes.py, the file's templates).
SENSITIVE_ROWS: dict[str, Sensitive] = {
    "observations": Sensitive(lambda t: t.c.sensitive.is_(True), Perm.OBSERVATIONS_SENSITIVE_VIEW),
    "barriers": Sensitive(_sensitive_axis, Perm.DIAGNOSTIC_SENSITIVE_READ),
    "diagnostic_notes": Sensitive(
        lambda t: t.c.is_confidential.is_(True), Perm.DIAGNOSTIC_SENSITIVE_READ
    ),
    "review_disclosures": Sensitive(lambda t: literal(True), Perm.DIAGNOSTIC_SENSITIVE_READ),
    "urgent_situations": Sensitive(lambda t: literal(True), Perm.URGENT_HANDLE),
    "employee_criteria": Sensitive(_sensitive_criterion, Perm.EMPLOYEES_SENSITIVE_VIEW),
    "change_records": Sensitive(lambda t: t.c.sensitive.is_(True), Perm.EMPLOYEES_SENSITIVE_VIEW),
}
# A motif revealing a handicap: the row stays, the motif is read by those who may.
SENSITIVE_VALUES: dict[tuple[str, str], tuple[frozenset[str], Perm]] = {
    ("contracts", "derogation_motif"): (SENSITIVE_MOTIFS, Perm.EMPLOYEES_SENSITIVE_VIEW),
    ("pass_extensions", "motif"): (SENSITIVE_MOTIFS, Perm.EMPLOYEES_SENSITIVE_VIEW),
    ("renewal_decisions", "derogation_motif"): (SENSITIVE_MOTIFS, Perm.EMPLOYEES_SENSITIVE_VIEW),
}
# Codes given as the labels people read on the screens.
CHOICES: dict[tuple[str, str], Mapping[str, str]] = {
    ("employees", "sex"): SEXES,
    ("employees", "education_level"): EDUCATION_LEVELS,
    ("employees", "prescriber_kind"): PRESCRIBER_KINDS,
    ("employees", "exit_kind"): EXIT_KINDS,
    ("previous_stays", "exit_kind"): EXIT_KINDS,
    ("contracts", "derogation_motif"): DEROGATION_MOTIFS,
    ("renewal_decisions", "derogation_motif"): DEROGATION_MOTIFS,
    ("pass_suspensions", "motif"): PASS_SUSPENSION_MOTIFS,
    ("pass_extensions", "motif"): PASS_EXTENSION_MOTIFS,
    ("attendances", "status"): ATTENDANCE_STATUSES,
    ("attendances", "motif"): ABSENCE_MOTIFS,
    ("actions", "nature"): ACTION_NATURES,
    ("actions", "status"): ACTION_STATUSES,
    ("barriers", "status"): BARRIER_STATUSES,
    ("exit_followups", "kind"): FOLLOWUP_KINDS,
    ("immersions", "object_kind"): IMMERSION_OBJECTS,
    ("immersions", "objectives_reached"): OBJECTIVES_REACHED,
    ("reviews", "kind"): REVIEW_KINDS,
    ("observations", "tone"): TONES,
    ("pathway_objectives", "origin"): OBJECTIVE_ORIGINS,
    ("pathway_objectives", "status"): OBJECTIVE_STATUSES,
    ("interviews", "kind"): INTERVIEW_KINDS,
    ("urgent_situations", "kind"): URGENT_KINDS,
    ("assessments", "kind"): ASSESSMENT_KINDS,
}
# French names of the columns the change history does not name (history.FIELD_LABELS).
COLUMN_LABELS = {
    "created_at": "Enregistré le",
    "at": "Date et heure",
    "day": "Jour",
    "text": "Texte",
    "body": "Texte",
    "tone": "Ton",
    "level": "Niveau",
    "label": "Intitulé",
    "nature": "Nature",
    "result": "Résultat",
    "summary": "Compte rendu",
    "held_on": "Tenu le",
    "next_on": "Prochain rendez-vous",
    "closed_at": "Clôturé le",
    "observed_on": "Observé le",
    "due_date": "Échéance",
    "due_on": "Échéance",
    "done_on": "Fait le",
    "note": "Note",
    "item": "Étape",
    "origin": "Origine",
    "minutes_spent": "Temps passé (minutes)",
    "is_confidential": "Confidentielle",
    "sensitive": "Sensible",
    "action_taken": "Suite donnée",
    "acknowledged_at": "Prise en compte le",
    "until": "Reportée jusqu'au",
    "assessed_on": "Évaluée le",
    "grid_name": "Grille",
    "locked_at": "Verrouillée le",
    "seen_with_employee_at": "Vue avec le salarié le",
    "eti_validated_at": "Validée par l'encadrant le",
    "cip_validated_at": "Validée par le CIP le",
    "position": "Ordre",
    "source_label": "Libellé d'origine",
    "level_label": "Niveau",
    "level_rank": "Rang du niveau",
    "counts_as_acquired": "Compte comme acquis",
    "self_answer": "Réponse du salarié",
    "competency_label": "Compétence",
    "work_situation": "Situation de travail",
    "planned_on": "Prévue le",
    "reflection": "Réflexion",
    "period_start": "Début de la période",
    "period_end": "Fin de la période",
    "compiled": "Période compilée",
    "eti_part": "Partie de l'encadrant",
    "cip_synthesis": "Synthèse du CIP",
    "employee_words": "Mots du salarié",
    "renewal": "Renouvellement",
    "renewal_months": "Renouvellement (mois)",
    "prolongation_requested": "Prolongation demandée",
    "prolongation_motif": "Motif de prolongation",
    "requested_months": "Mois demandés",
    "orientation": "Orientation",
    "exit_planned": "Sortie prévue",
    "exit_planned_on": "Sortie prévue le",
    "next_appointment_on": "Prochain rendez-vous",
    "needs": "Besoins",
    "actions_done": "Actions faites",
    "actions_planned": "Actions prévues",
    "validated_at": "Validé le",
    "name": "Nom",
    "organisation": "Organisme",
    "role": "Rôle",
    "outcome": "Suite",
    "need_key": "Besoin",
    "content": "Contenu figé",
    "omit_insertion_word": "Sans le mot « insertion »",
    "signer_name": "Signataire",
    "signed_at": "Signée le",
    "signed_on": "Date de signature",
    "signed_place": "Lieu de signature",
    "verification_code": "Code de vérification",
    "pdf": "PDF signé",
    "pdf_sha256": "Empreinte du PDF",
    "revoked_at": "Révoquée le",
    "revocation_motif": "Motif de révocation",
    "expired_on": "Expirée le",
    "part": "Partie consultée",
    "action": "Consultation",
    "entity": "Élément",
    "field": "Champ",
    "old_value": "Avant",
    "new_value": "Après",
    "opinion_work": "Avis : travail",
    "opinion_attendance": "Avis : assiduité",
    "opinion_progress": "Avis : progression",
    "opinion_verdict": "Avis de l'encadrant",
    "opinion_on": "Avis donné le",
    "proposal": "Proposition",
    "proposed_months": "Durée proposée (mois)",
    "proposed_hours": "Heures proposées",
    "pass_extension": "Prolongation du PASS",
    "proposal_comment": "Commentaire de la proposition",
    "proposal_on": "Proposé le",
    "decision": "Décision",
    "decision_comment": "Commentaire de la décision",
    "recorded_at": "Enregistré le",
    "accompaniment_erased_on": "Textes de l'accompagnement effacés le",
    "anonymised_on": "Anonymisé le",
    "age_band": "Tranche d'âge à l'entrée",
    # references kept as a label or a role (the column's name without « _id »)
    "team": "Équipe",
    "axis": "Axe",
    "criterion": "Critère",
    "competency": "Compétence",
    "level_ref": "Niveau (échelle)",
    "partner": "Partenaire",
    "template_item": "Étape d'accueil",
    "grid": "Grille",
    "grid_item": "Ligne de la grille",
    "scale": "Échelle",
    "target_level": "Niveau visé",
    "author": "Auteur (rôle)",
    "referent": "Référent·e (rôle)",
    "owner": "Responsable (rôle)",
    "by": "Par (rôle)",
    "membership": "Membre de l'équipe (rôle)",
    "marked_by": "Pointé par (rôle)",
    "done_by": "Fait par (rôle)",
    "recorded_by": "Enregistré par (rôle)",
    "reported_by": "Signalé par (rôle)",
    "acknowledged_by": "Pris en compte par (rôle)",
    "outcome_by": "Bilan de l'immersion par (rôle)",
    "opinion_by": "Avis par (rôle)",
    "proposal_by": "Proposé par (rôle)",
    "decided_by": "Décidé par (rôle)",
    "seen_with_employee_by": "Vue avec le salarié par (rôle)",
    "eti_validated_by": "Validée par l'encadrant (rôle)",
    "cip_validated_by": "Validée par le CIP (rôle)",
    "validated_by": "Validé par (rôle)",
    "included_by": "Inclus par (rôle)",
    "proposed_by": "Proposée par (rôle)",
    "signed_by": "Signée par (rôle)",
    "revoked_by": "Révoquée par (rôle)",
}


def column_label(key: str) -> str:
    return COLUMN_LABELS.get(key) or FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Column:
    """One value of a section's rows: its key in the export and how it is read."""

    key: str
    kind: str  # "value", "role" (a member of the team), "label" (a list's label), "file"
    name: str  # the SELECT's label


def _columns(entry: Entry, table: Table, shown: set[str], personal: set[str]):
    """The SELECT's expressions and the export's columns of one entry."""
    exprs, cols = [], []
    for column in table.columns:
        name = column.name
        if name in INTERNAL or name not in shown:
            continue
        targets = [fk.column.table for fk in column.foreign_keys]
        base = name.removesuffix("_id")
        if targets and targets[0].name == "memberships":
            exprs.append(column.label(f"r_{name}"))
            cols.append(Column(base, "role", f"r_{name}"))
        elif targets:
            target = targets[0]
            text = next((target.c[c] for c in LABEL_COLUMNS if c in target.c), None)
            if text is None or target.name in personal:
                continue  # another row of the file: its own section says it
            if (table.name, name) in SAID_BY_THE_ROW or {f"{base}_name", f"{base}_label"} & set(
                table.c.keys()
            ):
                continue  # the row keeps the label it was given (a grid's name)
            key = "level_ref" if base == "level" else base
            sub = select(text).where(target.c.id == column).scalar_subquery()
            exprs.append(sub.label(f"l_{name}"))
            cols.append(Column(key, "label", f"l_{name}"))
        elif isinstance(column.type, Uuid):
            continue  # an id of another row (the history's entity)
        elif isinstance(column.type, LargeBinary):
            exprs.append(func.length(column).label(f"f_{name}"))
            cols.append(Column(name, "file", f"f_{name}"))
        else:
            exprs.append(column.label(f"v_{name}"))
            cols.append(Column(name, "value", f"v_{name}"))
    return exprs, cols


def _shown_columns(entry: Entry, table: Table, entries: list[Entry]) -> set[str]:
    """A table given by several entries (the salarié's row): each shows its own columns, the
    last one also what no entry names."""
    same = [e for e in entries if e.table == entry.table]
    if len(same) == 1:
        return set(table.c.keys())
    own = set(entry.columns)
    if entry is same[-1]:
        named = {c for e in same for c in e.columns}
        own |= set(table.c.keys()) - named
    return own


def _order(table: Table):
    return next((table.c[c] for c in ORDER_COLUMNS if c in table.c), None)


def json_value(value):
    """A value as JSON holds it: dates in ISO form, decimals as text, a status as its label."""
    if isinstance(value, Status):
        return value.label
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def _without_names(value, names: Mapping[str, str]):
    """A staff member's name, wherever a value holds it whole, becomes their role."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {k: _without_names(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_names(v, names) for v in value]
    return value


def role_label(membership: Membership | None) -> str:
    if membership is None:
        return UNKNOWN_MEMBER
    labels = [r.label for r in Role if r in membership.role_set]
    return ", ".join(labels) or UNKNOWN_MEMBER


def _team(session: Session, structure_id: uuid.UUID) -> dict[uuid.UUID, Membership]:
    """Every member of the structure (one query): their roles stand for them."""
    found = session.scalars(
        select(Membership)
        .where(Membership.structure_id == structure_id)
        .options(selectinload(Membership.user))
    ).all()
    return {m.id: m for m in found}


def collect(session: Session, employee: Employee, membership: Membership) -> dict:
    """Everything held about ``employee`` in their structure, as ``membership`` may read it.
    One SELECT per entry of the register, and two for the team (their roles)."""
    sid = employee.structure_id
    structure = session.get(Structure, sid)
    team = _team(session, sid)
    roles = {mid: role_label(m) for mid, m in team.items()}
    names = {m.user.full_name: role_label(m) for m in team.values() if m.user.full_name}
    entries = personal_entries()
    personal = {e.table for e in entries}
    categories: dict[str, dict] = {}
    withheld_total = 0
    included_sensitive = False
    for entry in entries:
        table = register_rows.table_of(entry.table)
        exprs, cols = _columns(entry, table, _shown_columns(entry, table, entries), personal)
        rule = SENSITIVE_ROWS.get(entry.table)
        if rule is not None:
            exprs.append(rule.condition(table).label("s_row"))
        stmt = register_rows.rows(entry, sid, [employee.id], columns=exprs)
        order = _order(table)
        if order is not None:
            stmt = stmt.order_by(order)
        withheld = sensitive_rows = 0
        out_rows = []
        reads_rows = rule is None or allowed(membership, rule.perm)
        for row in session.execute(stmt).mappings():
            if rule is not None and row["s_row"]:
                if not reads_rows:
                    withheld += 1
                    continue
                sensitive_rows += 1
            values, hidden, shown_sensitive = _row(entry, cols, row, roles, names, membership)
            withheld += hidden
            if shown_sensitive and not (rule is not None and row["s_row"]):
                sensitive_rows += 1
            out_rows.append(values)
        withheld_total += withheld
        included_sensitive |= sensitive_rows > 0
        section = {
            "table": entry.table,
            "label": entry.label,
            "holds": entry.holds,
            "columns": [{"key": c.key, "label": column_label(c.key)} for c in cols],
            "rows": out_rows,
            "sensitive": sensitive_rows > 0,
        }
        if withheld:
            section["withheld"] = withheld
        category = categories.setdefault(
            entry.category.value,
            {"key": entry.category.value, "label": entry.category.label, "sections": []},
        )
        category["sections"].append(section)
    return {
        "schema": SCHEMA,
        "produced_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "produced_by": {"role": role_label(membership)},
        "structure": {
            "name": structure.name,
            "siret": structure.siret,
            "address": structure.address,
        },
        "person": {
            "last_name": employee.last_name,
            "usage_name": employee.usage_name,
            "first_name": employee.first_name,
            "birth_date": json_value(employee.birth_date),
            "entry_date": json_value(employee.entry_date),
            "exit_date": json_value(employee.exit_date),
        },
        "sensitive": {
            "included": included_sensitive,
            "withheld": withheld_total,
            "note": WITHHELD_NOTE if withheld_total else None,
        },
        "categories": list(categories.values()),
    }


def _row(entry: Entry, cols: list[Column], row, roles, names, membership):
    """One row as the export gives it; how many of its values were withheld, and whether a
    sensitive value was given."""
    values: dict = {}
    hidden = 0
    shown_sensitive = False
    for col in cols:
        raw = row[col.name]
        if col.kind == "role":
            values[col.key] = None if raw is None else roles.get(raw, UNKNOWN_MEMBER)
            continue
        if col.kind == "file":
            values[col.key] = None if raw is None else f"document PDF conservé ({raw} octets)"
            continue
        guarded = SENSITIVE_VALUES.get((entry.table, col.key))
        if guarded is not None and raw in guarded[0]:
            if not allowed(membership, guarded[1]):
                values[col.key] = CONFIDENTIAL
                hidden += 1
                continue
            shown_sensitive = True
        choices = CHOICES.get((entry.table, col.key))
        if choices is not None and isinstance(raw, str):
            raw = choices.get(raw, raw)
        if entry.table == "access_logs" and col.key == "part" and raw:
            raw = access_log.part_label(_LogPart(raw))
        values[col.key] = _without_names(json_value(raw), names)
    return values, hidden, shown_sensitive


@dataclass(frozen=True)
class _LogPart:
    """What ``access_log.part_label`` reads of a row of the log."""

    part: str
    action: str = "view"


def filled_columns(section: dict) -> list[dict]:
    """The columns of a section that some row fills (what the PDF prints)."""
    return [
        c
        for c in section["columns"]
        if any(r.get(c["key"]) not in (None, "", {}, []) for r in section["rows"])
    ]


def counts(data: dict) -> list[dict]:
    """Per category: its label and how many rows each section holds (the page's list)."""
    return [
        {
            "key": c["key"],
            "label": c["label"],
            "rows": sum(len(s["rows"]) for s in c["sections"]),
            "sections": [(s["label"], len(s["rows"])) for s in c["sections"]],
        }
        for c in data["categories"]
    ]


ISO_DATE = 10  # « 2025-01-06 »
LONG_VALUE = 600


def display(value) -> str:
    """A value of the export as the PDF prints it: dates as 06/01/2025, « Oui » / « Non »,
    a structured value (a bilan's compiled period) as text, cut when long."""
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, str):
        return _date_text(value) or value
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        if len(text) > LONG_VALUE:
            return text[:LONG_VALUE] + " … (en entier dans le fichier JSON)"
        return text
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def _date_text(value: str) -> str | None:
    """« 06/01/2025 » or « 06/01/2025 14:05 » for an ISO date or time (UTC kept as is)."""
    try:
        if len(value) == ISO_DATE:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if len(value) > ISO_DATE and value[ISO_DATE] == "T":
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return None
    return None
