"""The policy against the role table users are promised: the README's « Qui voit quoi ».

The route matrix (tests/test_route_matrix.py) takes its expectations from POLICY, so a wrong
entry there cannot fail it. This test reads the README's table instead and maps each line, by
hand, to the permissions of POLICY: for each wording of a cell, which of the line's
permissions the role holds. A role given what its cell does not say, or refused what it says,
fails; so does a line, a cell wording or a permission this module does not know.
"""

from __future__ import annotations

import re
from pathlib import Path

from siae_app.models import Role
from siae_app.permissions.policy import POLICY, Perm

README = Path(__file__).resolve().parent.parent / "README.md"

COLUMNS = {
    "ETI": Role.ETI,
    "CIP": Role.CIP,
    "Coordination": Role.COORDINATOR,
    "Direction": Role.DIRECTOR,
    "Administration": Role.ADMIN,
}


def _rw(read: set[Perm], write: set[Perm]) -> dict[str, set[Perm]]:
    """The plain wordings: « – », « lecture », « lecture/écriture »."""
    return {"–": set(), "lecture": read, "lecture/écriture": read | write}


# README line label → {cell wording → the permissions a role with that cell holds}. The
# line's permissions are every one named in its cells: a role holds exactly its cell's.
LINES: dict[str, dict[str, set[Perm]]] = {
    "Salariés listés": {
        "ceux des équipes qu'il encadre": {Perm.EMPLOYEES_VIEW},  # the scope: scopes.employees
        "tous": {Perm.EMPLOYEES_VIEW},
        "aucun": set(),
    },
    # The teams carry the salariés (identity, contract, team): they are written alike.
    "Identité, contrats, PASS IAE, sortie": _rw(
        {Perm.EMPLOYEES_VIEW, Perm.TEAMS_VIEW}, {Perm.EMPLOYEES_EDIT, Perm.TEAMS_MANAGE}
    ),
    # Each step of the circuit is one role's; everyone who sees the file reads it.
    "Renouvellement d'un CDDI : avis, proposition, décision": {
        "–": set(),
        "avis (ses équipes)": {Perm.RENEWAL_VIEW, Perm.RENEWAL_OPINION},
        "proposition": {Perm.RENEWAL_VIEW, Perm.RENEWAL_PROPOSE},
        "avis, proposition": {Perm.RENEWAL_VIEW, Perm.RENEWAL_OPINION, Perm.RENEWAL_PROPOSE},
        "décision": {Perm.RENEWAL_VIEW, Perm.RENEWAL_DECIDE},
    },
    # Recorded on the salarié's file, from its sortie section, by those who record the sortie.
    "Situation six mois après la sortie": _rw({Perm.EMPLOYEES_VIEW}, {Perm.EMPLOYEES_EDIT}),
    # On the salarié's file (its parcours): those who see the file read, CIP and coordination write.
    "Immersions (PMSMP) : conventions, renouvellement, bilan": _rw(
        {Perm.EMPLOYEES_VIEW}, {Perm.EMPLOYEES_EDIT}
    ),
    "Critères d'éligibilité et situation à l'entrée (administratifs)": _rw(
        {Perm.EMPLOYEES_ELIGIBILITY_VIEW}, {Perm.EMPLOYEES_EDIT}
    ),
    "Critères et motifs sensibles (TH, AAH, RQTH)": _rw(
        {Perm.EMPLOYEES_SENSITIVE_VIEW}, {Perm.EMPLOYEES_SENSITIVE_WRITE}
    ),
    "Aménagements de poste": _rw({Perm.EMPLOYEES_VIEW}, {Perm.EMPLOYEES_EDIT}),
    "Atouts, freins non sensibles, objectifs": _rw({Perm.DIAGNOSTIC_VIEW}, {Perm.DIAGNOSTIC_EDIT}),
    "Freins sensibles (santé, handicap, addictions, justice) et notes confidentielles": {
        "écriture, ne relit que les siens": {Perm.DIAGNOSTIC_SENSITIVE_WRITE},
        **_rw({Perm.DIAGNOSTIC_SENSITIVE_READ}, {Perm.DIAGNOSTIC_SENSITIVE_WRITE}),
    },
    "Actions (pistes d'action)": _rw({Perm.ACTIONS_VIEW}, {Perm.ACTIONS_EDIT}),
    "Check-list d'accueil": {
        "coche ses éléments": {Perm.ONBOARDING_VIEW, Perm.ONBOARDING_EDIT},
        "coche": {Perm.ONBOARDING_VIEW, Perm.ONBOARDING_EDIT},
        "coche, modifie le modèle": {
            Perm.ONBOARDING_VIEW,
            Perm.ONBOARDING_EDIT,
            Perm.ONBOARDING_TEMPLATE_MANAGE,
        },
        "lecture": {Perm.ONBOARDING_VIEW},
        "modifie le modèle": {Perm.ONBOARDING_TEMPLATE_MANAGE},
    },
    "Entretiens individuels": _rw({Perm.INTERVIEWS_VIEW}, {Perm.INTERVIEWS_EDIT}),
    "Alertes de la semaine": {
        "–": set(),
        "les siennes": {Perm.ALERTS_VIEW},
        "toutes, par référent": {Perm.ALERTS_VIEW},
    },
    "Présences": {
        "saisie pour ses équipes": {Perm.ATTENDANCE_TODAY, Perm.ATTENDANCE_MARK},
        "totaux sans noms": {Perm.ATTENDANCE_GRID},
        **_rw(
            {Perm.ATTENDANCE_TODAY, Perm.ATTENDANCE_GRID, Perm.ATTENDANCE_NAMED},
            {Perm.ATTENDANCE_MARK},
        ),
    },
    "Observations": {
        "écriture ; lecture de ses équipes": {Perm.OBSERVATIONS_VIEW, Perm.OBSERVATIONS_WRITE},
        **_rw({Perm.OBSERVATIONS_VIEW}, {Perm.OBSERVATIONS_WRITE}),
    },
    # « les siennes »: an author reads their own (scopes.observations), not the others'.
    "Observations marquées sensibles": {
        "les siennes": set(),
        **_rw({Perm.OBSERVATIONS_SENSITIVE_VIEW}, set()),
    },
    "Situations urgentes": {
        "–": set(),
        "signale": {Perm.URGENT_REPORT},
        "signale, prend en charge": {Perm.URGENT_REPORT, Perm.URGENT_HANDLE},
    },
    "Évaluations, objectifs, séances": {
        "lecture/écriture (ses équipes)": {Perm.EVALUATIONS_VIEW, Perm.EVALUATIONS_WRITE},
        "lecture, validation CIP": {Perm.EVALUATIONS_VIEW, Perm.EVALUATIONS_VALIDATE_CIP},
        "lecture/écriture, grilles": {
            Perm.EVALUATIONS_VIEW,
            Perm.EVALUATIONS_WRITE,
            Perm.GRIDS_MANAGE,
        },
        **_rw({Perm.EVALUATIONS_VIEW}, {Perm.EVALUATIONS_WRITE}),
    },
    "Bilans": {
        "écrit sa partie (ses équipes)": {Perm.REVIEWS_VIEW, Perm.REVIEWS_CONTRIBUTE},
        "prépare, tient, valide ; seule à inclure un élément sensible": {
            Perm.REVIEWS_VIEW,
            Perm.REVIEWS_CONTRIBUTE,
            Perm.REVIEWS_PREPARE,
            Perm.REVIEWS_DISCLOSE,
        },
        **_rw({Perm.REVIEWS_VIEW}, {Perm.REVIEWS_CONTRIBUTE, Perm.REVIEWS_PREPARE}),
    },
    "Dossier de preuves pour un jury (VAE, RSFP)": {
        "–": set(),
        "prépare, propose dans l'espace du salarié": {Perm.REVIEWS_PREPARE},
    },
    "Attestations de compétences": {
        "–": set(),
        "lecture": {Perm.ATTESTATIONS_VIEW},
        "lecture, proposer (ses équipes)": {Perm.ATTESTATIONS_VIEW, Perm.ATTESTATIONS_PROPOSE},
        "lecture, proposer": {Perm.ATTESTATIONS_VIEW, Perm.ATTESTATIONS_PROPOSE},
        "lecture, signer, révoquer, exports en lot": {
            Perm.ATTESTATIONS_VIEW,
            Perm.ATTESTATIONS_SIGN,
            Perm.ATTESTATIONS_EXPORT,
        },
    },
    "Tableau de bord, suivi mensuel": _rw({Perm.PILOTAGE_VIEW}, set()),
    "Annexes financières, heures payées": _rw(set(), {Perm.FUNDING_MANAGE}),
    "Identité de la structure (SIRET, adresse, logo)": _rw(set(), {Perm.STRUCTURE_IDENTITY_MANAGE}),
    "Historique des modifications": _rw({Perm.EMPLOYEES_HISTORY_VIEW}, set()),
    "Journal des accès": _rw({Perm.ACCESS_LOG_VIEW}, set()),
    "Registre des traitements, durées de conservation": _rw(
        {Perm.PRIVACY_VIEW}, {Perm.PRIVACY_MANAGE}
    ),
    # The export holds what the role reads: the sensitive content for CIP and coordination.
    "« Données détenues » d'un salarié (PDF, JSON)": {
        "–": set(),
        "exporte, sensible compris": {Perm.SUBJECT_ACCESS_EXPORT},
        "exporte, sans le sensible": {Perm.SUBJECT_ACCESS_EXPORT},
    },
    "Demandes d'un salarié sur ses données (accès, limitation, effacement…)": {
        "–": set(),
        "enregistre": {Perm.PRIVACY_REQUESTS},
        "enregistre, répond, efface": {Perm.PRIVACY_REQUESTS, Perm.PRIVACY_ANSWER},
    },
    "Espace personnel du salarié (lien, code, fermeture)": {
        "–": set(),
        "ouvre, débloque, ferme": {Perm.PERSONAL_SPACE_MANAGE},
    },
    "Référentiels, échelles": _rw({Perm.FRAMEWORKS_VIEW}, {Perm.FRAMEWORKS_MANAGE}),
    "Équipe permanente (comptes, rôles)": {
        "–": set(),
        "lecture, approuve les rôles demandés": {Perm.MEMBERS_VIEW, Perm.MEMBERS_APPROVE},
        "lecture/écriture ; rôles lisant des données personnelles sur approbation": {
            Perm.MEMBERS_VIEW,
            Perm.MEMBERS_MANAGE,
            Perm.MEMBERS_APPROVE,
        },
    },
}

# Permissions no line of the table speaks of, and why.
NOT_IN_TABLE: dict[Perm, str] = {
    Perm.HOME: "la page d'accueil de la structure, ouverte à tout membre actif",
    Perm.EMPLOYEES_EXPORT: "l'export CSV de la liste "
    "(docs/salaries.md, « Export » : sans les rôles)",
    Perm.ELIGIBILITY_MANAGE: "la liste des critères de la structure, un réglage "
    "(docs/salaries.md, « Fiche » : « liste modifiable par la coordination »)",
    Perm.DIAGNOSTIC_AXES_MANAGE: "les axes de freins de la structure, un réglage",
    Perm.PARTNERS_VIEW: "l'annuaire des partenaires "
    "(docs/suivi-et-chantier.md, « Actions » : sans les rôles)",
    Perm.PARTNERS_MANAGE: "l'annuaire des partenaires "
    "(docs/suivi-et-chantier.md, « Actions » : sans les rôles)",
}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def readme_table() -> dict[str, dict[Role, str]]:
    """The « Qui voit quoi » table: line label → {role → the cell's wording}."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Qui voit quoi\n(.*?)^## ", text, re.S | re.M)
    assert section, "README.md : section « Qui voit quoi » introuvable"
    rows = [line for line in section.group(1).splitlines() if line.startswith("|")]
    header, rule, *body = rows
    assert set(_cells(rule)) == {"---"}, rule
    columns = _cells(header)[1:]
    assert columns == list(COLUMNS), f"Colonnes du tableau : {columns}"
    table = {}
    for row in body:
        label, *cells = _cells(row)
        assert len(cells) == len(columns), row
        table[label] = {COLUMNS[c]: cell for c, cell in zip(columns, cells, strict=True)}
    return table


def expected_roles() -> dict[Perm, dict[str, set[Role]]]:
    """For each permission a line names: line label → the roles that line says hold it."""
    expected: dict[Perm, dict[str, set[Role]]] = {}
    table = readme_table()
    assert set(table) == set(LINES), (
        f"Lignes du README sans correspondance : {sorted(set(table) - set(LINES))} ; "
        f"correspondances sans ligne : {sorted(set(LINES) - set(table))}"
    )
    for label, cells in table.items():
        wordings = LINES[label]
        line_perms = set().union(*wordings.values())
        for role, cell in cells.items():
            assert cell in wordings, f"« {label} », {role.label} : formulation inconnue « {cell} »"
            for perm in line_perms:
                holders = expected.setdefault(perm, {}).setdefault(label, set())
                if perm in wordings[cell]:
                    holders.add(role)
    return expected


def test_the_policy_gives_each_role_what_the_readme_table_says():
    wrong = []
    for perm, by_line in expected_roles().items():
        for label, roles in by_line.items():
            if set(POLICY[perm]) != roles:
                granted = sorted(r.value for r in set(POLICY[perm]) - roles)
                denied = sorted(r.value for r in roles - set(POLICY[perm]))
                wrong.append(f"{perm.value} (« {label} ») : en trop {granted}, manquants {denied}")
    assert wrong == [], "POLICY contredit le README :\n" + "\n".join(wrong)


def test_every_permission_is_in_the_readme_table_or_said_why_not():
    in_table = set(expected_roles())
    assert not in_table & set(NOT_IN_TABLE), sorted(in_table & set(NOT_IN_TABLE))
    assert set(Perm) == in_table | set(NOT_IN_TABLE), sorted(
        p.value for p in set(Perm) - in_table - set(NOT_IN_TABLE)
    )
    assert set(POLICY) == set(Perm)
