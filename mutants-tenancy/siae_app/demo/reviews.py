"""Demo bilans (synthetic): for the salariés of each structure, the bilans their dates call
for — the first ones validated, the next one in progress, a prolongation request with the
funder's needs, exit bilans — and some left unopened so that « Bilan en retard » shows.
Idempotent: nothing is added to a structure that already has bilans.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, Membership, PassIae, ReviewStatus, Role, Structure
from siae_app.models.reviews import Review
from siae_app.services.reviews import schedule, workflow

SYNTHESES = {
    "integration": "Intégration réussie dans l'équipe ; consignes de sécurité acquises.",
    "intermediate": "Progression régulière au poste ; autonomie en hausse sur les gestes "
    "techniques. Démarches de mobilité engagées.",
    "tripartite": "Point avec le prescripteur : projet professionnel précisé, renouvellement "
    "du contrat proposé pour consolider les acquis.",
    "prolongation": "Parcours à poursuivre : la formation qualifiante commence dans deux mois.",
    "exit": "Sortie vers un CDD de six mois chez un employeur partenaire.",
    "followup_6m": "Toujours en poste ; contact maintenu avec la CIP.",
}
ETI_PARTS = [
    "Ponctuel et soigneux ; prend des initiatives sur le chantier.",
    "Bonne entente avec l'équipe ; à accompagner sur le rythme de travail.",
    "Maîtrise le matériel ; transmet volontiers aux nouveaux arrivants.",
]
WORDS = [
    "Je me sens à ma place dans l'équipe.",
    "J'aimerais passer le permis pour trouver du travail plus loin.",
    "Je veux continuer vers une formation.",
]


def _fill(session: Session, review: Review, employee: Employee, i: int) -> None:
    workflow.save_eti_part(session, review, text=ETI_PARTS[i % len(ETI_PARTS)])
    workflow.save_synthesis(
        session,
        review,
        workflow.Synthesis(
            cip_synthesis=SYNTHESES[review.kind],
            employee_words=WORDS[i % len(WORDS)],
            renewal="renew" if review.kind == "tripartite" else "not_applicable",
            renewal_months=6 if review.kind == "tripartite" else None,
            prolongation_requested=review.kind == "prolongation",
            orientation="Formation d'agent d'entretien des espaces verts" if i % 2 else None,
            exit_planned=review.kind == "exit",
        ),
    )
    if review.kind == "tripartite":
        workflow.add_participant(
            session,
            review,
            name=employee.prescriber_contact or "Conseiller·e référent·e",
            organisation=employee.prescriber_org or "France Travail",
            role="Prescripteur",
        )
    if review.kind == "prolongation":
        needs = {"projet_pro": "+", "mobilite": "-", "savoirs_base": "++", "logement": "--"}
        workflow.save_prolongation(
            session,
            review,
            workflow.Prolongation(
                needs=needs,
                actions_done="Remise à niveau en français ; inscription au code de la route.",
                actions_planned="Entrée en formation qualifiante ; examen du permis.",
                requested_months=6,
                prolongation_motif="fin_formation",
            ),
        )


def _advance(session, review: Review, cip: Membership, to: ReviewStatus, day: date) -> None:
    for step in (ReviewStatus.READY, ReviewStatus.HELD, ReviewStatus.VALIDATED):
        workflow.move(session, review, to=step, membership=cip, today=day)
        if step == to:
            break
    if review.validated_at is not None:  # validated the day it was held
        review.validated_at = datetime.combine(day, time(17, 0), tzinfo=UTC)


def _bilans(session, employee: Employee, cip: Membership, i: int, today: date) -> None:
    due = schedule.expected(employee, employee.contracts, employee.passes)
    past = [e for e in due if e.due_on <= today]
    if i % 4 == 3 and past:
        return  # left unopened: « Bilan en retard » in the CIP's alerts
    for n, item in enumerate(past[-3:]):
        last = n == len(past[-3:]) - 1
        review = workflow.open_review(
            session,
            employee=employee,
            membership=cip,
            kind=item.kind,
            due_on=item.due_on,
            today=item.due_on,
        )
        _fill(session, review, employee, i + n)
        if not last or i % 3 == 0:
            _advance(session, review, cip, ReviewStatus.VALIDATED, item.due_on)
        elif i % 3 == 1:
            _advance(session, review, cip, ReviewStatus.READY, item.due_on)
    coming = [e for e in due if e.kind == "followup_6m" and e.due_on > today]
    if coming and i % 2 == 0:
        # Prepared ahead: the six-month follow-up call after the exit.
        workflow.open_review(
            session,
            employee=employee,
            membership=cip,
            kind="followup_6m",
            due_on=coming[0].due_on,
            today=today,
        )
    if i % 5 == 2 and employee.exit_date is None and employee.passes:
        # The PASS can be prolonged from 12 months before its end: a request in progress.
        review = workflow.open_review(
            session,
            employee=employee,
            membership=cip,
            kind="prolongation",
            due_on=None,
            today=today,
        )
        _fill(session, review, employee, i)


def load_demo_reviews(session: Session, structure: Structure, today: date | None = None) -> None:
    """The bilans of ``structure``'s demo salariés (its tenant is active)."""
    today = today or date.today()
    if session.scalar(select(Review.id).limit(1)) is not None:
        return
    cips = [m for m in session.scalars(select(Membership)) if Role.CIP in m.role_set]
    if not cips:
        return
    employees = session.scalars(
        select(Employee)
        .options(
            selectinload(Employee.contracts),
            selectinload(Employee.passes).selectinload(PassIae.extensions),
            selectinload(Employee.passes).selectinload(PassIae.suspensions),
        )
        .order_by(Employee.last_name)
    ).all()
    for i, employee in enumerate(employees):
        cip = next((m for m in cips if m.id == employee.referent_id), cips[0])
        _bilans(session, employee, cip, i, today)
    session.flush()
