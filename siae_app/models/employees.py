"""Salariés en insertion: identity, PASS IAE, CDDI contracts, eligibility, access log, history.

An Employee is a person in a parcours, never a User: they do not sign in.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import (
    AppendOnly,
    TenantRecord,
    TenantRow,
    Versioned,
    belongs_to,
    has_many,
    label_of,
    mixin_relationship,
    one_per_pair,
    one_per_structure,
    refers_to,
    timestamp,
    utcnow,
)
from siae_app.models.teams import Team

EXIT_KINDS = {
    "emploi_durable": "Emploi durable",
    "emploi_transition": "Emploi de transition",
    "sortie_positive": "Sortie positive",
    "autre": "Autre sortie",
}

# Sub-motifs of an exit, grouped by kind (labels shown in the forms and on the file).
EXIT_REASONS: dict[str, dict[str, str]] = {
    "emploi_durable": {
        "cdi": "CDI",
        "cdd_6m_plus": "CDD de 6 mois ou plus",
        "interim_6m_plus": "Intérim de 6 mois ou plus",
        "creation_entreprise": "Création d'entreprise",
        "titularisation_fonction_publique": "Titularisation dans la fonction publique",
    },
    "emploi_transition": {
        "cdd_moins_6m": "CDD de moins de 6 mois",
        "interim_moins_6m": "Intérim de moins de 6 mois",
        "contrat_aide": "Contrat aidé chez un employeur de droit commun",
    },
    "sortie_positive": {
        "formation_qualifiante": "Formation qualifiante",
        "embauche_autre_siae": "Embauche dans une autre SIAE",
        "retraite": "Départ à la retraite",
    },
    "autre": {
        "demandeur_emploi": "Au chômage",
        "inactif": "Inactif",
        "fin_contrat_employeur": "Rupture à l'initiative de l'employeur",
        "abandon": "Départ volontaire",
        "sans_nouvelles": "Sans nouvelles",
        "autre": "Autre motif",
    },
}

# « Situation à 6 mois » after a sortie: the same classification, plus « Injoignable »
# (the salarié could not be reached; no sub-motif then).
FOLLOWUP_UNREACHABLE = "injoignable"
FOLLOWUP_KINDS = {**EXIT_KINDS, FOLLOWUP_UNREACHABLE: "Injoignable"}

# Prolongation motifs (code du travail R5132-1-8; les emplois de l'inclusion,
# itou/approvals/enums.py ProlongationReason). A bilan goes with RQTH, 50 ans et plus and
# difficultés particulièrement importantes (itou/approvals/constants.py).
PASS_EXTENSION_MOTIFS = {
    "fin_formation": "Achèvement d'une formation",
    "rqth": "Travailleur handicapé (RQTH)",
    "50_ans": "Salarié de 50 ans et plus",
    "difficultes_particulieres": "Difficultés particulièrement importantes (AI et ACI)",
}
EXTENSION_MOTIFS_WITH_BILAN = frozenset({"rqth", "50_ans", "difficultes_particulieres"})

# Suspension motifs offered today (les emplois, Suspension.Reason). The old codes stay below
# so that suspensions recorded before keep their label; they are no longer offered.
PASS_SUSPENSION_CHOICES = {
    "contrat_suspendu": "Contrat de travail suspendu depuis plus de 15 jours",
    "contrat_rompu": "Contrat de travail rompu",
    "contrat_termine": "Contrat de travail terminé",
    "accord_cta": "Situation faisant l'objet d'un accord des membres du CTA",
    "contrat_passerelle": "Passage en contrat passerelle (ACI et EI)",
}
PASS_SUSPENSION_MOTIFS = {
    **PASS_SUSPENSION_CHOICES,
    "maladie": "Arrêt maladie",
    "maternite": "Congé maternité",
    "accident_travail": "Accident du travail",
    "incarceration": "Incarcération",
    "periode_essai_autre_employeur": "Période d'essai chez un autre employeur",
    "sanction": "Sanction",
    "autre": "Autre motif",
}

CONTRACT_KINDS = {"cddi": "CDDI"}

DEROGATION_MOTIFS = {
    "fin_formation": "Achèvement d'une formation",
    "50_ans": "Salarié de 50 ans et plus",
    "rqth": "Travailleur handicapé (RQTH)",
    "cdi_inclusion": "Préparation d'un CDI inclusion",
}

# What the State's record of a salarié (the ASP's fiche salarié) asks, in our words; the codes
# are the ASP's (niveau de formation, orienteur).
SEXES = {"F": "Femme", "M": "Homme"}
EDUCATION_LEVELS = {
    "01": "Jamais scolarisé·e",
    "70": "Pas de formation au-delà de la scolarité obligatoire",
    "60": "Formation courte d'une durée d'un an",
    "50": "Formation de niveau CAP ou BEP (sans le diplôme)",
    "51": "Diplôme du CAP ou du BEP",
    "40": "Formation de niveau bac",
    "41": "Bac professionnel ou brevet de technicien",
    "30": "Formation de niveau BTS ou DUT",
    "20": "Formation de niveau licence",
    "10": "Master, doctorat ou école d'ingénieur",
    "00": "Qualifications non certifiantes",
}
PRESCRIBER_KINDS = {
    "03": "France Travail",
    "01": "Mission locale",
    "02": "Cap emploi",
    "05": "Service social du conseil départemental",
    "04": "PLIE",
    "11": "CCAS ou CIAS",
    "09": "SPIP",
    "12": "CHRS",
    "19": "ASE (aide sociale à l'enfance)",
    "06": "Autre prescripteur habilité",
    "08": "Orienteur (prescripteur non habilité)",
    "07": "Candidature spontanée",
}

SENSITIVE_CRITERIA = frozenset({"aah", "th"})
# Motifs that reveal a handicap: their values are sensitive wherever they appear.
SENSITIVE_MOTIFS = frozenset({"rqth"})

DEFAULT_ELIGIBILITY_CRITERIA = [
    ("rsa", "Bénéficiaire du RSA"),
    ("ass", "Allocataire ASS"),
    ("aah", "Allocataire AAH"),
    ("deld", "Demandeur d'emploi de longue durée (DELD)"),
    ("moins_26", "Moins de 26 ans"),
    ("50_plus", "50 ans et plus"),
    ("qpv", "Résident QPV"),
    ("ase", "Sortant de l'ASE"),
    ("th", "Travailleur handicapé (TH)"),
    ("parent_isole", "Parent isolé"),
    ("sans_hebergement", "Sans hébergement"),
    ("refugie", "Réfugié ou protection subsidiaire"),
    ("infra_cap", "Niveau de formation infra-CAP"),
    ("zrr", "Résident ZRR"),
]


class Employee(Versioned, TenantRecord):
    """Salarié en insertion."""

    __tablename__ = "employees"
    __table_args__ = (
        Index("ix_employees_structure_name", "structure_id", "last_name"),
        # The list's order (services.employees.listing.ORDER): a page is read in order from
        # the index instead of sorting every salarié of the structure.
        Index(
            "ix_employees_list_order",
            "structure_id",
            func.lower(text("last_name")),
            func.lower(text("first_name")),
            "id",
        ),
    )

    last_name: Mapped[str] = mapped_column(String(120))
    usage_name: Mapped[str | None] = mapped_column(String(120))
    first_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    team_id: Mapped[uuid.UUID | None] = refers_to("teams")
    referent_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    prescriber_org: Mapped[str | None] = mapped_column(String(200))
    prescriber_contact: Mapped[str | None] = mapped_column(String(200))
    entry_date: Mapped[date | None] = mapped_column(Date)
    exit_date: Mapped[date | None] = mapped_column(Date)
    exit_kind: Mapped[str | None] = mapped_column(String(30))
    exit_reason: Mapped[str | None] = mapped_column(String(40))
    exit_comment: Mapped[str | None] = mapped_column(Text)
    accommodations: Mapped[str | None] = mapped_column(Text)
    # Situation à l'entrée, as the State's record and the annual report count it.
    sex: Mapped[str | None] = mapped_column(String(1))
    education_level: Mapped[str | None] = mapped_column(String(2))
    prescriber_kind: Mapped[str | None] = mapped_column(String(2))
    unemployed_since: Mapped[date | None] = mapped_column(Date)
    jobseeker_since: Mapped[date | None] = mapped_column(Date)  # inscrit à France Travail
    benefits_since: Mapped[date | None] = mapped_column(Date)  # minima sociaux (critères)
    resides_qpv: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    resides_zrr: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The life of the file (siae_app.privacy): its accompaniment's texts erased on the first
    # date, the person anonymised on the second, their age band at entry kept for the counts.
    accompaniment_erased_on: Mapped[date | None] = mapped_column(Date)
    anonymised_on: Mapped[date | None] = mapped_column(Date)
    age_band: Mapped[str | None] = mapped_column(String(10))

    team: Mapped[Team | None] = relationship()
    referent: Mapped[Membership | None] = relationship()
    passes: Mapped[list[PassIae]] = has_many("employee", order_by="PassIae.start_date")
    contracts: Mapped[list[Contract]] = has_many("employee", order_by="Contract.start_date")
    criteria: Mapped[list[EmployeeCriterion]] = has_many("employee")
    previous_stays: Mapped[list[PreviousStay]] = has_many(
        "employee", order_by="PreviousStay.entry_date"
    )
    exit_followups: Mapped[list[ExitFollowup]] = has_many(
        "employee", order_by="ExitFollowup.exit_date"
    )

    @property
    def display_name(self) -> str:
        """« NOM (nom d'usage) Prénom », the way staff look people up."""
        name = self.last_name.upper()
        if self.usage_name:
            name += f" ({self.usage_name.upper()})"
        return f"{name} {self.first_name}"

    @property
    def is_out(self) -> bool:
        return self.exit_date is not None

    def __repr__(self) -> str:
        return f"<Employee {self.id}>"  # never the name: reprs end up in logs


class OfEmployee:
    """A row about one salarié (``employee``), deleted with them."""

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")

    employee: Mapped[Employee] = mixin_relationship("Employee")


class PreviousStay(TenantRecord):
    """An earlier parcours of a salarié who left and came back: its entry and its sortie,
    kept as they were when the return was recorded (the sortie still counts in its year)."""

    __tablename__ = "previous_stays"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    entry_date: Mapped[date] = mapped_column(Date)
    exit_date: Mapped[date] = mapped_column(Date)
    exit_kind: Mapped[str] = mapped_column(String(30))
    exit_reason: Mapped[str | None] = mapped_column(String(40))
    exit_comment: Mapped[str | None] = mapped_column(Text)

    employee: Mapped[Employee] = relationship(back_populates="previous_stays")

    exit_kind_label = label_of("exit_kind", EXIT_KINDS)


# The documents handed to the salarié at the sortie, in the order of the checklist.
HANDOVER_ITEMS = {
    "certificat_travail": "Certificat de travail",
    "attestation_employeur": "Attestation employeur (France Travail)",
    "solde_tout_compte": "Solde de tout compte",
    "attestation_competences": "Attestation de compétences",
    "bilan_sortie": "Bilan de sortie tenu",
    "documents_remis": "Documents remis au salarié",
}


class ExitHandoverItem(OfEmployee, TenantRecord):
    """One document of the handover at the sortie: handed on ``done_on`` (None: unticked), by
    whom it was recorded; ``note``: why no attestation de compétences is handed, if none."""

    __tablename__ = "exit_handover_items"
    __table_args__ = one_per_pair("exit_handover_items", "employee_id", "item")

    item: Mapped[str] = mapped_column(String(30))
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    note: Mapped[str | None] = mapped_column(Text)

    done_by: Mapped[Membership | None] = relationship()

    item_label = label_of("item", HANDOVER_ITEMS)


class ExitFollowup(TenantRecord):
    """« Situation à 6 mois »: where the salarié stood six months after one of their sorties
    (``exit_date``: the current stay's or an earlier one's), in the classification of the
    sorties or « Injoignable »; when it was checked, and who recorded it."""

    __tablename__ = "exit_followups"
    __table_args__ = one_per_pair("exit_followups", "employee_id", "exit_date")

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    exit_date: Mapped[date] = mapped_column(Date)
    checked_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    employee: Mapped[Employee] = relationship(back_populates="exit_followups")
    recorded_by: Mapped[Membership | None] = relationship()

    kind_label = label_of("kind", FOLLOWUP_KINDS)

    @property
    def reason_label(self) -> str:
        return EXIT_REASONS.get(self.kind, {}).get(self.reason or "", "")


class PassIae(TenantRecord):
    """Agrément PASS IAE. Its status (valide, suspendu, expiré) is computed by the service."""

    __tablename__ = "pass_iae"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    number: Mapped[str] = mapped_column(String(12))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    # A new PASS within two years of the previous one's end: an authorized prescriber's new
    # diagnostic lets it start anyway (délai de carence).
    waiting_period_waived: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Closed by the structure before its end: the last day and why.
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[str | None] = mapped_column(Text)

    employee: Mapped[Employee] = relationship(back_populates="passes")
    suspensions: Mapped[list[PassSuspension]] = has_many(
        "pass_iae", order_by="PassSuspension.start_date"
    )
    extensions: Mapped[list[PassExtension]] = has_many(
        "pass_iae", order_by="PassExtension.decided_on"
    )


class _PassDecision(TenantRecord):
    """A suspension or an extension of a PASS IAE, with its motif."""

    __abstract__ = True

    pass_id: Mapped[uuid.UUID] = belongs_to("pass_iae")
    motif: Mapped[str] = mapped_column(String(40))


class PassSuspension(_PassDecision):
    __tablename__ = "pass_suspensions"

    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)

    pass_iae: Mapped[PassIae] = relationship(back_populates="suspensions")


class PassExtension(_PassDecision):
    __tablename__ = "pass_extensions"

    months: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    # For a prolongation to finish a training: the day the training ends.
    training_end: Mapped[date | None] = mapped_column(Date)

    pass_iae: Mapped[PassIae] = relationship(back_populates="extensions")


class Contract(TenantRecord):
    """CDDI; an avenant or renouvellement points to the contract it extends (parent)."""

    __tablename__ = "contracts"

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    kind: Mapped[str] = mapped_column(String(20), default="cddi")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    parent_id: Mapped[uuid.UUID | None] = refers_to("contracts")
    derogation_motif: Mapped[str | None] = mapped_column(String(30))
    ended_early_on: Mapped[date | None] = mapped_column(Date)
    # The kind of annexe financière (ACI, EI…) whose ETP this contract's paid hours consume,
    # month by month the annex of that kind in force; none: the structure's own kind.
    annex_kind: Mapped[str | None] = mapped_column(String(10))

    employee: Mapped[Employee] = relationship(back_populates="contracts")
    parent: Mapped[Contract | None] = relationship(remote_side="Contract.id")

    @property
    def effective_end(self) -> date:
        return self.ended_early_on or self.end_date


class EligibilityCriterion(TenantRecord):
    """A critère d'éligibilité; each structure edits its list (defaults seeded by the service)."""

    __tablename__ = "eligibility_criteria"
    __table_args__ = one_per_structure("eligibility_criteria", "key")

    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Handicap (TH, AAH) is a special category: shown to CIP/coordination only.
    is_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)


class EmployeeCriterion(TenantRow):
    __tablename__ = "employee_criteria"
    __table_args__ = one_per_pair("employee_criteria", "employee_id", "criterion_id")

    employee_id: Mapped[uuid.UUID] = belongs_to("employees")
    criterion_id: Mapped[uuid.UUID] = belongs_to("eligibility_criteria")

    employee: Mapped[Employee] = relationship(back_populates="criteria")
    criterion: Mapped[EligibilityCriterion] = relationship()


class AccessLog(AppendOnly, TenantRow):
    """Who opened which part of a salarié's file, and when, and whether sensitive content was
    in what they saw. Never the data itself."""

    __tablename__ = "access_logs"
    __table_args__ = (Index("ix_access_logs_structure_at", "structure_id", "at"),)

    at: Mapped[datetime] = timestamp(default=utcnow)
    membership_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    employee_id: Mapped[uuid.UUID | None] = refers_to("employees")
    # The page's endpoint without "s." ("reviews.pdf"); a few older rows: « fiche », « sensible »…
    part: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20), default="view")  # "view" or "download"
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    membership: Mapped[Membership | None] = relationship()
    employee: Mapped[Employee | None] = relationship()


class ChangeRecord(AppendOnly, TenantRow):
    """One changed field of an audited entity (written by the services, one row per field)."""

    __tablename__ = "change_records"

    at: Mapped[datetime] = timestamp(default=utcnow)
    membership_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    employee_id: Mapped[uuid.UUID | None] = belongs_to("employees")
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)

    membership: Mapped[Membership | None] = relationship()


class EmployeeImport(TenantRecord):
    """An uploaded list of salariés waiting for confirmation (the preview). Only the person
    who uploaded it may confirm it; confirming or abandoning it deletes the draft."""

    __tablename__ = "employee_imports"

    membership_id: Mapped[uuid.UUID] = belongs_to("memberships")
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[list] = mapped_column(JSON)
