"""Demo follow-up (synthetic): partners, freins at various stages (sensitive ones recorded by
the CIP), atouts, notes, actions with partners, entretiens, accueil in progress, and alerts
of each colour. Idempotent: nothing is added to a structure that already has partners.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Action,
    Employee,
    Interview,
    Membership,
    Partner,
    PartnerContact,
    Role,
    Structure,
)
from siae_app.models.base import utcnow
from siae_app.services import diagnostic, onboarding

PARTNERS = [
    ("France Travail — agence locale", "france_travail", "Conseiller·e référent·e"),
    ("Mission locale", "mission_locale", "Conseiller·e d'insertion"),
    ("CCAS", "ccas", "Travailleur·se social·e"),
    ("CAF", "caf", "Accueil partenaires"),
    ("CPAM", "cpam", "Service accès aux droits"),
    ("SPIP", "spip", "CPIP"),
    ("CMP adultes", "cmp", "Infirmier·e"),
    ("Auto-école sociale", "auto_ecole_sociale", "Moniteur·rice"),
    ("Organisme de formation AFPA", "formation", "Chargé·e de recrutement"),
]
CONTACT_NAMES = ["Camille Durand", "Sacha Petit", "Dominique Leroy", "Alix Moreau"]

# (axis key, status, level, comment) — cycled over the salariés in parcours.
BARRIERS = [
    ("mobilite", "en_cours", 3, "Pas de permis ; inscrit au code."),
    ("logement", "identifie", None, "Hébergé chez un proche."),
    ("numerique", "leve", 1, "Sait maintenant utiliser son espace France Travail."),
    ("finances", "en_cours", 4, "Dossier de surendettement à constituer."),
    ("francais", "identifie", 2, "Échanges oraux aisés, écrit à travailler."),
]
SENSITIVE_BARRIERS = [
    ("sante", "en_cours", 3, "Suivi médical régulier, rendez-vous le mercredi."),
    ("justice", "identifie", None, "Obligations de suivi auprès du SPIP."),
    ("addictions", "en_cours", 2, "Accompagnement engagé avec le CMP."),
]
ACTIONS = [
    ("Inscription à l'auto-école sociale", "mobilite", "auto_ecole_sociale", "en_cours"),
    ("Demande de logement social", "logement", "ccas", "prevue"),
    ("Mise à jour de l'espace France Travail", "demarche", "france_travail", "faite"),
    ("Ouverture des droits CSS", "sante", "cpam", "en_attente"),
    ("Information collective formation", "formation", "formation", "prevue"),
]


def _partners(session: Session) -> dict[str, Partner]:
    partners = {}
    for i, (name, kind, job) in enumerate(PARTNERS):
        partner = Partner(name=name, kind=kind, phone=f"01 23 45 67 {i:02d}")
        partner.contacts = [
            PartnerContact(name=CONTACT_NAMES[i % len(CONTACT_NAMES)], job_title=job)
        ]
        session.add(partner)
        partners[kind] = partner
    session.flush()
    return partners


def _diagnostic(session: Session, employee: Employee, cip: Membership, i: int) -> None:
    axes = {a.key: a for a in diagnostic.axes(session)}
    barriers = [BARRIERS[i % 5], BARRIERS[(i + 2) % 5]]
    if i % 3 == 0:
        barriers.append(SENSITIVE_BARRIERS[(i // 3) % 3])
    for key, status, level, comment in barriers:
        diagnostic.save_barrier(
            session,
            None,
            employee=employee,
            membership=cip,
            axis=axes[key],
            status=status,
            level=level,
            comment=comment,
        )
    if i % 3 == 0:
        diagnostic.add_note(
            session,
            employee=employee,
            membership=cip,
            body="Situation personnelle évoquée en entretien ; à revoir avec la coordination.",
            is_confidential=True,
        )
    diagnostic.add_strength(
        session,
        employee=employee,
        membership=cip,
        text="Ponctuel·le, apprécié·e de l'équipe.",
        axis=None,
    )


def _weekday(day: date) -> date:
    """The day, or the Monday after it: a CIP sees nobody at the weekend."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _follow_up(session, employee, cip, partners, i: int, today: date) -> None:
    label, nature, partner_kind, status = ACTIONS[i % len(ACTIONS)]
    # Overdue (amber), due this week (grey) or later, in turn.
    due = today + timedelta(days=(-10, 3, 30)[i % 3])
    session.add(
        Action(
            employee_id=employee.id,
            label=label,
            nature=nature,
            partner_id=partners[partner_kind].id,
            owner_id=cip.id,
            due_date=due,
            status=status,
            minutes_spent=30 if status == "faite" else None,
        )
    )
    held = min(_weekday(max(employee.entry_date or today, today - timedelta(days=20))), today)
    session.add(
        Interview(
            employee_id=employee.id,
            author_id=cip.id,
            held_on=held,
            kind="diagnostic_accueil",
            summary="Premier entretien : attentes, freins et atouts passés en revue.",
            next_on=_weekday(today + timedelta(days=14)) if i % 2 else None,
            closed_at=utcnow(),
        )
    )


def _accueil(session: Session, employee: Employee, member: Membership, i: int, today) -> None:
    checklist = onboarding.checklist(session, employee, today)
    for item in checklist.items[: 3 + i % 5]:
        done_on = min(today, (employee.entry_date or today) + timedelta(days=1))
        onboarding.tick(session, item, membership=member, done_on=done_on, today=today)


def load_demo_followup(session: Session, structure: Structure, today: date | None = None) -> None:
    """The follow-up of ``structure``'s demo salariés (its tenant is active)."""
    today = today or date.today()
    if session.scalar(select(Partner.id).limit(1)) is not None:
        return
    partners = _partners(session)
    members = session.scalars(select(Membership)).all()
    cips = [m for m in members if Role.CIP in m.role_set]
    employees = session.scalars(
        select(Employee).where(Employee.exit_date.is_(None)).order_by(Employee.last_name)
    ).all()
    if not cips:
        return
    for i, employee in enumerate(employees):
        cip = next((m for m in cips if m.id == employee.referent_id), cips[0])
        recent = employee.entry_date and (today - employee.entry_date).days < 60
        if recent and i % 2:
            # Arrived recently, diagnostic not yet done: red at 30 days, grey before.
            _accueil(session, employee, cip, i, today)
            continue
        _diagnostic(session, employee, cip, i)
        _follow_up(session, employee, cip, partners, i, today)
        _accueil(session, employee, cip, i, today)
    session.flush()
