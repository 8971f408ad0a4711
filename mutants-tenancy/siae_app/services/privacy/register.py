"""The « Registre des traitements » of a structure, as its page and its PDF show it: who
answers for the data, one section per category of personal data (purpose, what is held, who
reads it, who receives it, the duration in force and its source, what happens at the end),
the register's entries, and the purges done.

Everything comes from the register in code (``siae_app.privacy.registry``), the structure's
durations (``retention``) and the purge records; this module only reads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Membership, PurgeRecord, Role, Structure
from siae_app.privacy.registry import (
    ENTRIES,
    RULES,
    Category,
    Ending,
    Entry,
    Retention,
    Rule,
)
from siae_app.services.privacy.retention import Duration, durations

PURGES_SHOWN = 50

# Why each category is held, in French (the register's « finalité »).
PURPOSES = {
    Category.IDENTITY: "Identifier le salarié et le joindre pendant son parcours.",
    Category.EMPLOYMENT: "Gérer le contrat d'insertion (CDDI), le PASS IAE, les présences et "
    "les heures ; justifier l'aide au poste et rendre compte aux financeurs.",
    Category.ACCOMPANIMENT: "Accompagner le salarié vers l'emploi : accueil, diagnostic, "
    "actions, entretiens, immersions, renouvellement et sortie.",
    Category.SENSITIVE: "Lever les freins à l'emploi (santé, justice, situation personnelle), "
    "en ne gardant que ce qui sert l'accompagnement.",
    Category.EVALUATION: "Repérer et reconnaître les compétences acquises en situation de travail.",
    Category.DOCUMENTS: "Produire les bilans de parcours et les attestations de compétences "
    "remis au salarié.",
    Category.TRACES: "Protéger les dossiers : savoir qui a consulté ou modifié quoi, et "
    "vérifier les fichiers importés ou produits.",
    Category.STAFF: "Donner, limiter et retirer l'accès de l'équipe permanente.",
    Category.PARTNERS: "Orienter les salariés vers les partenaires (emploi, formation, santé, "
    "logement).",
}

# Who reads each category inside the structure, as the README's « Qui voit quoi » says it.
READERS = {
    Category.IDENTITY: "Encadrants techniques (salariés de leurs équipes), CIP, coordination "
    "et direction ; seuls les CIP et la coordination les modifient. L'administration n'y a "
    "pas accès.",
    Category.EMPLOYMENT: "CIP et coordination (lecture et écriture), direction (lecture), "
    "encadrants techniques (contrats et présences de leurs équipes) ; les critères "
    "d'éligibilité : CIP, coordination et direction ; les critères sensibles (TH, AAH, "
    "RQTH) : CIP et coordination seulement.",
    Category.ACCOMPANIMENT: "Encadrants techniques (leurs équipes), CIP et coordination "
    "(lecture et écriture), direction (lecture) ; les entretiens individuels : CIP, "
    "coordination et direction.",
    Category.SENSITIVE: "CIP (lecture et écriture) et coordination (lecture) ; "
    "l'encadrant technique ne relit que ce qu'il a écrit ; ni la direction ni "
    "l'administration.",
    Category.EVALUATION: "Encadrants techniques (leurs équipes) et coordination (lecture et "
    "écriture), CIP (lecture et validation), direction (lecture).",
    Category.DOCUMENTS: "Bilans : encadrant technique (sa partie), CIP et coordination, "
    "direction (lecture). Attestations : proposées par les encadrants techniques ou la "
    "coordination, signées par la direction, lues par les CIP.",
    Category.TRACES: "Journal des accès : direction et administration ; historique des "
    "modifications : CIP, coordination et direction.",
    Category.STAFF: "Direction (lecture, approbation des rôles demandés) et administration "
    "(gestion des comptes).",
    Category.PARTNERS: "Toute l'équipe permanente ; les CIP et la coordination les modifient.",
}

FUNDERS = "les financeurs ne reçoivent que des chiffres agrégés, sans nom"

# Who receives each category outside the structure.
RECIPIENTS = {
    Category.IDENTITY: f"Le salarié lui-même (sur demande) ; {FUNDERS}.",
    Category.EMPLOYMENT: f"Le salarié lui-même (sur demande) ; {FUNDERS}.",
    Category.ACCOMPANIMENT: f"Le salarié lui-même (sur demande) ; {FUNDERS}.",
    Category.SENSITIVE: "Le salarié lui-même (sur demande) ; un élément sensible ne figure "
    f"dans une copie de bilan que si la CIP l'y inclut ; {FUNDERS}.",
    Category.EVALUATION: f"Le salarié lui-même (sur demande) ; {FUNDERS}.",
    Category.DOCUMENTS: "Le salarié, à qui les bilans et attestations sont remis ; le "
    f"titulaire d'une attestation la fait vérifier par qui il veut ; {FUNDERS}.",
    Category.TRACES: "Le salarié lui-même (sur demande) ; personne d'autre.",
    Category.STAFF: "Personne.",
    Category.PARTNERS: "Personne.",
}

ENDING_LABELS = {
    Ending.SCRUB: "textes effacés, la ligne reste sans contenu",
    Ending.DELETE: "lignes supprimées",
    Ending.ANONYMISE: "salarié anonymisé",
    Ending.KEEP: "gardé : plus rien n'identifie la personne une fois le salarié anonymisé",
    Ending.NONE: "pas d'effacement automatique",
}


def of_fr(words: str) -> str:
    """« de » before ``words``, contracted as French does (« du », « des », « de l' »)."""
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if words.startswith(article):
            return contracted + words.removeprefix(article)
    return f"de {words}"


def months_fr(months: int) -> str:
    """A duration in French: « 2 ans », « 1 an », « 18 mois »; 0: no fixed duration."""
    if months <= 0:
        return "sans durée fixe"
    if months % 12 == 0:
        years = months // 12
        return "1 an" if years == 1 else f"{years} ans"
    return f"{months} mois"


@dataclass(frozen=True)
class RuleInForce:
    retention: Retention
    months: int
    duration: Duration | None  # None: a rule the structure does not set

    @property
    def anchor(self) -> str:
        return f"duree-{self.retention.rule.value}"

    @property
    def text(self) -> str:
        return months_fr(self.months)

    @property
    def since(self) -> str:
        """« à compter du dernier contact », « à compter de la signature »."""
        return f"à compter {of_fr(self.retention.starts)}"

    @property
    def default_text(self) -> str:
        return months_fr(self.retention.default_months)

    @property
    def lengthened(self) -> bool:
        return self.duration is not None and self.duration.lengthened


@dataclass(frozen=True)
class Section:
    category: Category
    purpose: str
    holds: list[str]
    readers: str
    recipients: str
    rules: list[RuleInForce]

    @property
    def anchor(self) -> str:
        return f"cat-{self.category.value}"


@dataclass(frozen=True)
class Purge:
    at: datetime
    rule_label: str
    cutoff: date
    people: int
    rows: list[tuple[str, int]]


@dataclass(frozen=True)
class Register:
    structure: Structure
    responsables: list[Membership]
    sections: list[Section]
    rules: list[RuleInForce]  # every rule of a personal entry, once, in the register's order
    entries: list[tuple[Entry, str]]  # each with its rule and duration in force, in French
    no_personal_data: list[str]  # the labels of the structure's settings tables
    purges: list[Purge]
    durations: dict[Rule, Duration]


def _rule_in_force(rule: Rule, in_force: dict[Rule, Duration]) -> RuleInForce:
    duration = in_force.get(rule)
    months = duration.months if duration else RULES[rule].default_months
    return RuleInForce(RULES[rule], months, duration)


def sections(in_force: dict[Rule, Duration]) -> list[Section]:
    """One per category that holds personal data, in the register's order."""
    out = []
    for category in Category:
        if category == Category.STRUCTURE:
            continue
        entries = [e for e in ENTRIES if e.category == category]
        rules = list(dict.fromkeys(e.rule for e in entries if e.rule != Rule.NONE))
        out.append(
            Section(
                category,
                PURPOSES[category],
                [f"{e.label} : {e.holds}" for e in entries],
                READERS[category],
                RECIPIENTS[category],
                [_rule_in_force(rule, in_force) for rule in rules],
            )
        )
    return out


def entry_duration(entry: Entry, in_force: dict[Rule, Duration]) -> str:
    if entry.rule == Rule.NONE:
        return "—"
    rule = _rule_in_force(entry.rule, in_force)
    if not rule.retention.default_months:
        return f"{rule.retention.label} (sans durée fixe)"
    return f"{rule.retention.label} ({rule.text})"


def table_labels() -> dict[str, str]:
    labels = {"employees": "Salariés (fiche)"}
    for entry in ENTRIES:
        labels.setdefault(entry.table, entry.label)
    return labels


def _rule_label(value: str) -> str:
    try:
        return RULES[Rule(value)].label
    except ValueError:
        return value


def purges(session: Session, structure_id: uuid.UUID, limit: int = PURGES_SHOWN) -> list[Purge]:
    """The latest purges of the structure, newest first, each table named by its label."""
    labels = table_labels()
    records = session.scalars(
        select(PurgeRecord)
        .where(PurgeRecord.structure_id == structure_id)
        .order_by(PurgeRecord.at.desc())
        .limit(limit)
    )
    return [
        Purge(
            r.at,
            _rule_label(r.rule),
            r.cutoff,
            r.people,
            [(labels.get(table, table), n) for table, n in sorted((r.counts or {}).items())],
        )
        for r in records
    ]


def responsables(session: Session) -> list[Membership]:
    """The direction's active members (the structure's own, tenant-scoped)."""
    members = session.scalars(
        select(Membership)
        .where(Membership.is_active.is_(True))
        .options(selectinload(Membership.user))
    ).all()
    directors = [m for m in members if Role.DIRECTOR in m.role_set]
    return sorted(directors, key=lambda m: m.user.full_name)


def register(session: Session, structure: Structure) -> Register:
    in_force = durations(session, structure.id)
    shown = sections(in_force)
    personal = [e for e in ENTRIES if e.category != Category.STRUCTURE]
    return Register(
        structure,
        responsables(session),
        shown,
        sorted(
            {r.retention.rule: r for section in shown for r in section.rules}.values(),
            key=lambda r: list(RULES).index(r.retention.rule),
        ),
        [(e, entry_duration(e, in_force)) for e in personal],
        sorted(e.label for e in ENTRIES if e.category == Category.STRUCTURE),
        purges(session, structure.id),
        in_force,
    )


def ending_label(ending: Ending) -> str:
    return ENDING_LABELS[ending]
