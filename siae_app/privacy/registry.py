"""The register of personal data, in code: what each table holds about a salarié, why, for how
long, how it is given to the person and how it ends.

Two lists, read by the purge (``siae_app.services.privacy``), the register page of the
direction, the person's export, and a test that fails for any table with a ``structure_id``
or an ``employee_id`` that is not declared here:

- ``RULES``: the retention rules, each with its default duration, its ceiling, what starts
  it and its source. A structure may lengthen a duration up to the ceiling, with a motif;
- ``ENTRIES``: one per table (two for ``employees``, whose columns end at two times), with
  its category, the rule that ends it and what that end does: ``SCRUB`` empties the listed
  columns and keeps the row as a non-identifying fact (the funders' counts read those rows:
  interviews held, actions done, bilans validated, freins lifted by axis); ``DELETE``
  removes the rows; ``ANONYMISE`` is the salarié's own row; ``KEEP`` holds nothing that
  identifies a person once the salarié's row is anonymised; ``NONE`` holds no personal data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Category(enum.StrEnum):
    IDENTITY = "identity"
    EMPLOYMENT = "employment"
    ACCOMPANIMENT = "accompaniment"
    SENSITIVE = "sensitive"
    EVALUATION = "evaluation"
    DOCUMENTS = "documents"
    TRACES = "traces"
    STAFF = "staff"
    PARTNERS = "partners"
    STRUCTURE = "structure"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.IDENTITY: "Identité et coordonnées",
    Category.EMPLOYMENT: "Contrat, PASS IAE, présences et heures",
    Category.ACCOMPANIMENT: "Accompagnement socioprofessionnel",
    Category.SENSITIVE: "Données sensibles (santé, justice, situation personnelle)",
    Category.EVALUATION: "Évaluations et compétences",
    Category.DOCUMENTS: "Documents produits (bilans, attestations)",
    Category.TRACES: "Traces (journal des accès, historique, fichiers de travail)",
    Category.STAFF: "Comptes de l'équipe",
    Category.PARTNERS: "Contacts des partenaires",
    Category.STRUCTURE: "Paramètres de la structure (aucune donnée personnelle)",
}


class Rule(enum.StrEnum):
    ACCOMPANIMENT = "accompaniment"
    EMPLOYMENT = "employment"
    ATTESTATION = "attestation"
    ACCESS_LOG = "access_log"
    WORK_FILES = "work_files"
    ACCOUNT = "account"  # no automatic end: while the person works with the structure
    PARTNER = "partner"  # no automatic end: while the partner is in the directory
    NONE = "none"  # no personal data


@dataclass(frozen=True)
class Retention:
    rule: Rule
    label: str
    starts: str  # what the duration is counted from, in French
    default_months: int
    max_months: int
    source: str
    ending: str  # what happens at the end, in French


RULES: dict[Rule, Retention] = {
    Rule.ACCOMPANIMENT: Retention(
        Rule.ACCOMPANIMENT,
        "Dossier d'accompagnement",
        "le dernier contact (dernière présence, observation, entretien, bilan, action, "
        "fin de contrat ou sortie)",
        24,
        60,
        "CNIL, délibération n° 2023-095 du 14 septembre 2023 (référentiel « durées de "
        "conservation » du secteur social et médico-social) : base active de 2 ans à compter "
        "du dernier contact avec la personne accompagnée.",
        "textes, notes, observations, coordonnées et documents effacés ; les faits sans "
        "contenu (dates, natures, statuts) restent pour les comptes des financeurs",
    ),
    Rule.EMPLOYMENT: Retention(
        Rule.EMPLOYMENT,
        "Contrats, PASS IAE et heures",
        "la fin du dernier contrat (ou la sortie)",
        60,
        120,
        "Code du travail, art. L3243-4 (double des bulletins de paie, 5 ans) et R1221-26 "
        "(registre unique du personnel, 5 ans après le départ) ; pour une structure "
        "cofinancée par le FSE+, règlement (UE) 2021/1060, art. 82 (pièces gardées 5 ans "
        "à compter du 31 décembre de l'année du dernier paiement) : allonger la durée "
        "jusqu'à cette date.",
        "le salarié est anonymisé : nom, prénom, date de naissance, numéro de PASS et "
        "valeurs de l'historique effacés ; restent la tranche d'âge à l'entrée, le sexe, "
        "les dates d'entrée et de sortie, la catégorie de sortie et les heures",
    ),
    Rule.ATTESTATION: Retention(
        Rule.ATTESTATION,
        "Attestations de compétences signées",
        "la signature",
        60,
        120,
        "Durée choisie par la structure : l'attestation reste vérifiable par son titulaire "
        "(page publique) tant que la structure la garde.",
        "contenu et PDF effacés ; la page de vérification dit que l'attestation a expiré",
    ),
    Rule.ACCESS_LOG: Retention(
        Rule.ACCESS_LOG,
        "Journal des accès",
        "la consultation",
        12,
        36,
        "CNIL, recommandation relative à la journalisation (délibération n° 2021-122 du "
        "14 octobre 2021) : de 6 mois à 1 an, plus longtemps si un risque le justifie.",
        "lignes supprimées",
    ),
    Rule.WORK_FILES: Retention(
        Rule.WORK_FILES,
        "Fichiers de travail (imports de salariés, archives d'attestations)",
        "leur dépôt ou leur production",
        3,
        12,
        "Nécessité du service : le temps de vérifier l'import ou de télécharger l'archive.",
        "lignes supprimées",
    ),
    Rule.ACCOUNT: Retention(
        Rule.ACCOUNT,
        "Comptes de l'équipe",
        "la fin de l'accès à la structure",
        0,
        0,
        "Nécessité du service : l'auteur d'un document reste nommé tant que le document est "
        "gardé ; un compte désactivé n'ouvre plus rien.",
        "pas d'effacement automatique : l'accès est retiré à la désactivation",
    ),
    Rule.PARTNER: Retention(
        Rule.PARTNER,
        "Contacts des partenaires",
        "la fin du partenariat",
        0,
        0,
        "Nécessité du service : les coordonnées professionnelles d'un contact restent tant que "
        "le partenaire est dans l'annuaire ; elles sont corrigées ou effacées à la demande de "
        "la personne.",
        "pas d'effacement automatique : le contact est effacé de l'annuaire à sa demande",
    ),
    Rule.NONE: Retention(
        Rule.NONE,
        "Paramètres de la structure",
        "—",
        0,
        0,
        "Aucune donnée personnelle.",
        "gardés tant que la structure utilise l'application",
    ),
}

# The rules a structure may set (the others are fixed).
SETTABLE = (Rule.ACCOMPANIMENT, Rule.EMPLOYMENT, Rule.ATTESTATION, Rule.ACCESS_LOG, Rule.WORK_FILES)


class Ending(enum.StrEnum):
    SCRUB = "scrub"
    DELETE = "delete"
    ANONYMISE = "anonymise"
    KEEP = "keep"
    NONE = "none"


@dataclass(frozen=True)
class Entry:
    table: str
    label: str
    category: Category
    rule: Rule
    ending: Ending
    holds: str  # what the rows hold, in French
    columns: tuple[str, ...] = ()  # emptied by SCRUB / ANONYMISE
    via: str = "employee_id"  # how a row leads to its salarié (a column, or a parent table)
    export: bool = True  # part of « Données détenues »


def _e(table, label, category, rule, ending, holds, columns=(), via="employee_id", export=True):
    return Entry(table, label, category, rule, ending, holds, tuple(columns), via, export)


# fmt: off
_ACC = Rule.ACCOMPANIMENT
_SCRUB, _DELETE, _KEEP, _NONE = Ending.SCRUB, Ending.DELETE, Ending.KEEP, Ending.NONE
ENTRIES: tuple[Entry, ...] = (
    # ---- the salarié's own row: contact details with the accompaniment, identity with the contract
    _e("employees", "Coordonnées et situation", Category.IDENTITY, _ACC, _SCRUB,
       "téléphone, courriel, adresse, contact du prescripteur, aménagements, commentaire de sortie",
       ("phone", "email", "address", "prescriber_contact", "accommodations", "exit_comment"),
       via="id"),
    _e("employees", "Identité", Category.IDENTITY, Rule.EMPLOYMENT, Ending.ANONYMISE,
       "nom, nom d'usage, prénom, date de naissance (restent : sexe, niveau de formation, "
       "dates d'entrée et de sortie, catégorie de sortie, tranche d'âge à l'entrée)",
       ("last_name", "usage_name", "first_name", "birth_date"), via="id"),
    # ---- contract, PASS, attendance, hours: kept with the employment rule, then facts only
    _e("contracts", "Contrats (CDDI et avenants)", Category.EMPLOYMENT, Rule.EMPLOYMENT, _KEEP,
       "dates, durée hebdomadaire, motif de dérogation"),
    _e("pass_iae", "PASS IAE", Category.EMPLOYMENT, Rule.EMPLOYMENT, _SCRUB,
       "numéro, dates, fermeture", ("number", "closure_reason")),
    _e("pass_suspensions", "Suspensions du PASS", Category.EMPLOYMENT, Rule.EMPLOYMENT, _KEEP,
       "dates et motif codé", via="pass_iae"),
    _e("pass_extensions", "Prolongations du PASS", Category.EMPLOYMENT, Rule.EMPLOYMENT, _KEEP,
       "durée, date de décision, motif codé", via="pass_iae"),
    _e("attendances", "Présences", Category.EMPLOYMENT, Rule.EMPLOYMENT, _KEEP,
       "jour, statut, motif codé d'absence, retard, heures"),
    _e("paid_hours", "Heures payées", Category.EMPLOYMENT, Rule.EMPLOYMENT, _SCRUB,
       "mois, heures, motif d'une correction", ("motif",)),
    _e("employee_criteria", "Critères d'éligibilité", Category.EMPLOYMENT, Rule.EMPLOYMENT, _KEEP,
       "critères cochés (certains sensibles : RQTH, justice)"),
    _e("previous_stays", "Passages précédents", Category.EMPLOYMENT, _ACC, _SCRUB,
       "dates, catégorie et commentaire de sortie", ("exit_comment",)),
    _e("exit_followups", "Situation à 6 mois", Category.EMPLOYMENT, _ACC, _SCRUB,
       "date, situation, commentaire", ("comment",)),
    _e("exit_handover_items", "Passage de relais à la sortie", Category.ACCOMPANIMENT, _ACC, _SCRUB,
       "démarches faites et note", ("note",)),
    _e("renewal_decisions", "Renouvellements (avis, proposition, décision)",
       Category.EMPLOYMENT, _ACC, _SCRUB,
       "avis de l'encadrant, proposition, décision et commentaires",
       ("opinion_work", "opinion_attendance", "opinion_progress", "proposal_comment",
        "decision_comment")),
    _e("immersions", "Immersions (PMSMP)", Category.ACCOMPANIMENT, _ACC, _SCRUB,
       "entreprise, dates, objectifs, observations du tuteur, proposition d'embauche",
       ("objectives", "host_observations", "job_offer_details")),
    _e("onboarding_items", "Accueil (étapes faites)", Category.ACCOMPANIMENT, _ACC, _KEEP,
       "étape, date, auteur"),
    # ---- accompaniment: texts go after two years, the facts stay for the funders' counts
    _e("observations", "Observations du chantier", Category.ACCOMPANIMENT, _ACC, _DELETE,
       "date, texte, ton, niveau, auteur (les observations sensibles en font partie)"),
    _e("observation_competencies", "Compétences liées aux observations",
       Category.ACCOMPANIMENT, _ACC, _DELETE, "compétence citée", via="observations"),
    _e("interviews", "Entretiens", Category.ACCOMPANIMENT, _ACC, _SCRUB,
       "date, nature, compte rendu, prochain rendez-vous", ("summary",)),
    _e("actions", "Plan d'actions", Category.ACCOMPANIMENT, _ACC, _SCRUB,
       "intitulé, nature, partenaire, échéance, statut, résultat, temps passé",
       ("label", "result")),
    _e("pathway_objectives", "Objectifs du parcours", Category.ACCOMPANIMENT, _ACC, _SCRUB,
       "intitulé, échéance, statut", ("label",)),
    _e("barriers", "Freins", Category.SENSITIVE, _ACC, _SCRUB,
       "axe, niveau, statut, commentaire (axes sensibles : santé, justice, addictions)",
       ("comment",)),
    _e("strengths", "Atouts", Category.ACCOMPANIMENT, _ACC, _DELETE, "axe et texte"),
    _e("diagnostic_notes", "Notes du diagnostic", Category.SENSITIVE, _ACC, _DELETE,
       "texte, confidentialité, auteur"),
    _e("urgent_situations", "Situations urgentes", Category.SENSITIVE, _ACC, _SCRUB,
       "nature, texte, suite donnée", ("text", "action_taken")),
    _e("alert_snoozes", "Alertes reportées", Category.TRACES, _ACC, _DELETE,
       "alerte et date de report"),
    # ---- evaluations
    _e("assessments", "Évaluations", Category.EVALUATION, _ACC, _KEEP,
       "grille, date, validations (les niveaux sont dans les items)"),
    _e("assessment_items", "Niveaux évalués", Category.EVALUATION, _ACC, _SCRUB,
       "compétence, niveau, réponse et commentaire", ("self_answer", "comment"),
       via="assessments"),
    _e("assessment_evidence", "Preuves d'une évaluation", Category.EVALUATION, _ACC, _KEEP,
       "observation citée", via="assessment_items"),
    _e("assessment_reopenings", "Réouvertures d'évaluations", Category.TRACES, _ACC, _SCRUB,
       "motif et auteur", ("motif",), via="assessments"),
    _e("goals", "Objectifs de compétence", Category.EVALUATION, _ACC, _SCRUB,
       "compétence, intitulé, niveau visé, échéance, statut", ("label",)),
    _e("learning_sessions", "Séquences d'apprentissage", Category.EVALUATION, _ACC, _SCRUB,
       "compétence, situation de travail, date, réflexion", ("work_situation", "reflection")),
    # ---- documents: bilans (frozen period), attestations (frozen content, PDF)
    _e("reviews", "Bilans", Category.DOCUMENTS, _ACC, _SCRUB,
       "période compilée, parties de l'encadrant et du CIP, mots du salarié, besoins, suites",
       ("compiled", "eti_part", "cip_synthesis", "employee_words", "orientation", "needs",
        "actions_done", "actions_planned")),
    _e("evidence_files", "Dossiers de preuves (VAE, RSFP)", Category.DOCUMENTS, _ACC, _DELETE,
       "référentiel, qui l'a préparé, quand le choix des preuves a été fait, proposé dans "
       "l'espace du salarié (date, qui)"),
    _e("evidence_file_items", "Preuves choisies pour un dossier de preuves", Category.DOCUMENTS,
       _ACC, _DELETE, "nature et référence de la preuve choisie (observation, séance, "
       "immersion, formation)", via="evidence_files"),
    _e("review_participants", "Participants aux bilans", Category.DOCUMENTS, _ACC, _SCRUB,
       "nom, organisme et rôle des participants", ("name", "organisation"), via="reviews"),
    _e("review_highlights", "Observations citées dans un bilan", Category.DOCUMENTS, _ACC, _KEEP,
       "observation citée", via="reviews"),
    _e("review_followups", "Suites d'un bilan", Category.DOCUMENTS, _ACC, _SCRUB,
       "intitulé et résultat", ("label",), via="reviews"),
    _e("review_disclosures", "Éléments sensibles partagés dans un bilan", Category.SENSITIVE,
       _ACC, _KEEP, "frein ou note cités, avec qui les a inclus", via="reviews"),
    _e("review_reopenings", "Réouvertures de bilans", Category.TRACES, _ACC, _SCRUB,
       "motif et auteur", ("motif",), via="reviews"),
    _e("attestations", "Attestations de compétences", Category.DOCUMENTS,
       Rule.ATTESTATION, _SCRUB,
       "contenu figé (titulaire, compétences), PDF signé, code de vérification",
       ("content", "pdf", "revocation_motif")),
    _e("attestation_batches", "Archives d'attestations", Category.DOCUMENTS,
       Rule.WORK_FILES, _DELETE,
       "archive ZIP des attestations d'un lot", via="attestation_ids", export=False),
    # ---- traces
    _e("access_logs", "Journal des accès", Category.TRACES, Rule.ACCESS_LOG, _DELETE,
       "qui a consulté quelle partie du dossier, quand (jamais le contenu)"),
    _e("change_records", "Historique des modifications", Category.TRACES, Rule.EMPLOYMENT, _SCRUB,
       "champ modifié, valeurs avant et après, auteur, date", ("old_value", "new_value")),
    _e("purge_records", "Registre des purges", Category.TRACES, Rule.NONE, _NONE,
       "date, règle, nombre de lignes par table (jamais qui)", via="—", export=False),
    _e("privacy_requests", "Demandes sur les données (accès, effacement…)", Category.TRACES,
       Rule.EMPLOYMENT, _SCRUB, "nature, date, demande et réponse", ("details", "answer")),
    _e("personal_accesses", "Espace personnel du salarié (lien et code)", Category.TRACES, _ACC,
       _DELETE, "dates d'ouverture, empreinte du lien, code chiffré, essais faux, blocage, "
       "accord pour les rappels, jour du dernier rappel", export=False),
    _e("employee_imports", "Imports de salariés", Category.TRACES, Rule.WORK_FILES, _DELETE,
       "lignes du fichier importé", via="rows", export=False),
    # ---- the team's accounts
    _e("memberships", "Membres de l'équipe", Category.STAFF, Rule.ACCOUNT, _NONE,
       "compte, rôles, fonction, invitation", via="—", export=False),
    _e("membership_events", "Historique des rôles", Category.STAFF, Rule.ACCOUNT, _NONE,
       "changements de rôle, qui les a faits", via="—", export=False),
    _e("team_supervisors", "Encadrants des équipes", Category.STAFF, Rule.ACCOUNT, _NONE,
       "équipe et encadrant", via="—", export=False),
    # ---- partners: professional contacts of other organisations
    _e("partners", "Partenaires", Category.PARTNERS, Rule.PARTNER, _NONE,
       "organisme, coordonnées, notes", via="—", export=False),
    _e("partner_contacts", "Contacts des partenaires", Category.PARTNERS, Rule.PARTNER, _NONE,
       "nom, fonction, téléphone, courriel professionnels", via="—", export=False),
)

# fmt: on

_STRUCTURE_TABLES = {
    "activities": "Activités",
    "activity_frameworks": "Référentiels des activités",
    "annual_reports": "Rapports annuels (chiffres agrégés)",
    "barrier_axes": "Axes des freins",
    "credential_keys": "Clés de signature des badges numériques",
    "eligibility_criteria": "Critères d'éligibilité proposés",
    "framework_blocks": "Blocs des référentiels",
    "framework_competencies": "Compétences des référentiels",
    "framework_criteria": "Critères des référentiels",
    "framework_imports": "Imports de référentiels",
    "frameworks": "Référentiels",
    "funding_annexes": "Annexes financières",
    "grid_items": "Lignes des grilles",
    "grids": "Grilles d'évaluation",
    "onboarding_template_items": "Étapes d'accueil proposées",
    "retention_settings": "Durées de conservation choisies",
    "scale_levels": "Niveaux des échelles",
    "scales": "Échelles",
    "teams": "Équipes",
}
ENTRIES += tuple(
    _e(
        table,
        label,
        Category.STRUCTURE,
        Rule.NONE,
        _NONE,
        "aucune donnée personnelle",
        via="—",
        export=False,
    )
    for table, label in sorted(_STRUCTURE_TABLES.items())
)
del _ACC, _SCRUB, _DELETE, _KEEP, _NONE


def tables() -> set[str]:
    return {e.table for e in ENTRIES}


def entries_of(rule: Rule) -> list[Entry]:
    return [e for e in ENTRIES if e.rule == rule]


def personal_entries() -> list[Entry]:
    """The entries that hold data about a salarié, in the register's order."""
    return [e for e in ENTRIES if e.export]


def table_label(table: str, rule: Rule | None = None) -> str:
    """The French name of a table's rows (of the entry under ``rule`` when it has two)."""
    matching = [e for e in ENTRIES if e.table == table]
    chosen = next((e for e in matching if e.rule == rule), matching[0] if matching else None)
    return chosen.label if chosen else table
