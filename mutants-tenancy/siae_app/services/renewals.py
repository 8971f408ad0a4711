"""The renewal circuit of a CDDI: ETI → CIP → direction.

Rules:

- the circuit opens ``Structure.renewal_notice_months`` months (2 by default) before the end
  of the salarié's latest contract, when that contract runs to its planned end (an early end
  is a sortie, not a renewal) and no sortie is recorded before it, until the contract's last
  day: a contract that ended with no opinion given is a sortie to record, not a renewal (a
  circuit already started goes on, late, to its decision);
- the ETI of the team (or coordination) gives an opinion: the work, the assiduité, the
  progress, and a verdict; the CIP (or coordination) then proposes to renew (months, weekly
  hours, a dérogation motif beyond 24 months, the PASS IAE's prolongation) or to prepare the
  exit; the direction then decides. Each step is refused before the previous one and after
  its own (« out of order »);
- a proposal and a decision to renew are checked against the CDDI rules of
  ``employees.contracts`` (24 months cumulated unless a dérogation motif, 20 h a week at
  least in an ACI, no overlap), for an avenant that starts the day after the contract's end;
  the decision creates that avenant. A decision not to renew plans the sortie on a day of the
  contract (its end by default) and opens the bilan de sortie due that day (or links the one
  already open).

The service flushes, never commits, and writes each step to the file's history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import (
    Contract,
    Employee,
    Membership,
    Observation,
    PassIae,
    RenewalDecision,
    RenewalStatus,
    Review,
    ReviewStatus,
    Structure,
)
from siae_app.models.employees import DEROGATION_MOTIFS
from siae_app.models.observations import TONES
from siae_app.models.renewals import OPINION_VERDICTS, RENEWAL_CHOICES
from siae_app.services import ServiceError, history
from siae_app.services.employees import contracts as contract_rules
from siae_app.services.employees import pass_iae
from siae_app.services.employees.dates import add_months, fr_date

ENTITY = "renouvellement"
NOTICE_RANGE = (1, 6)  # months before the contract's end the structure may choose
MAX_MONTHS = 24  # one avenant at most the length of a whole parcours
TEXT_LIMIT = 2000
# The contract's end is near: the step waited for is shown in red.
URGENT_DAYS = 31

# How a refusal sends each CDDI rule's field back to the renewal forms.
CONTRACT_FIELD_TO_FORM = {
    "start_date": "months",
    "end_date": "months",
    "weekly_hours": "hours",
    "derogation_motif": "derogation_motif",
}


@dataclass(frozen=True)
class Circuit:
    """Where a salarié's renewal stands: ``contract`` is the one it decides; ``row`` the
    record once the ETI gave an opinion; ``stage`` the step waited for (or the outcome)."""

    employee: Employee
    contract: Contract
    row: RenewalDecision | None
    opens_on: date

    @property
    def stage(self) -> RenewalStatus:
        return self.row.status if self.row is not None else RenewalStatus.OPINION

    @property
    def ends_on(self) -> date:
        return self.contract.effective_end

    @property
    def is_open(self) -> bool:
        return self.stage.is_open

    def urgent(self, today: date) -> bool:
        return (self.ends_on - today).days < URGENT_DAYS


def opens_on(contract: Contract, notice_months: int) -> date:
    return add_months(contract.effective_end, -notice_months)


def avenant_dates(contract: Contract, months: int) -> tuple[date, date]:
    """An avenant of ``months`` months that follows ``contract`` without a gap."""
    start = contract.effective_end + timedelta(days=1)
    return start, add_months(start, months) - timedelta(days=1)


def latest_contract(contracts: list[Contract]) -> Contract | None:
    return max(contracts, key=lambda c: (c.start_date, c.end_date), default=None)


def circuit_of(
    employee: Employee,
    contracts: list[Contract],
    rows: list[RenewalDecision],
    notice_months: int,
    today: date,
) -> Circuit | None:
    """The circuit of the salarié's latest contract, if it has opened (pure)."""
    contract = latest_contract(contracts)
    if contract is None:
        return None
    row = next((r for r in rows if r.contract_id == contract.id), None)
    renewed = next((r for r in rows if r.avenant_id == contract.id), None)
    if row is None and renewed is not None and today < opens_on(contract, notice_months):
        # The avenant a decision created: its own circuit has not opened, the decided one shows.
        decided = next(c for c in contracts if c.id == renewed.contract_id)
        return Circuit(employee, decided, renewed, opens_on(decided, notice_months))
    if row is None:
        if contract.ended_early_on is not None:
            return None
        if employee.exit_date is not None and employee.exit_date <= contract.end_date:
            return None
        if not opens_on(contract, notice_months) <= today <= contract.end_date:
            return None
    return Circuit(employee, contract, row, opens_on(contract, notice_months))


def of_employee(session: Session, employee: Employee, today: date) -> Circuit | None:
    structure = session.get(Structure, employee.structure_id)
    rows = list(
        session.scalars(select(RenewalDecision).where(RenewalDecision.employee_id == employee.id))
    )
    return circuit_of(employee, employee.contracts, rows, structure.renewal_notice_months, today)


def past_of(session: Session, employee: Employee, current: Circuit | None) -> list:
    """The salarié's earlier circuits (other contracts), the latest first."""
    stmt = (
        select(RenewalDecision)
        .options(*_people())
        .where(RenewalDecision.employee_id == employee.id)
        .order_by(RenewalDecision.opinion_on.desc())
    )
    skip = current.row.id if current is not None and current.row is not None else None
    return [r for r in session.scalars(stmt) if r.id != skip]


def _people():
    return (
        selectinload(RenewalDecision.opinion_by).selectinload(Membership.user),
        selectinload(RenewalDecision.proposal_by).selectinload(Membership.user),
        selectinload(RenewalDecision.decided_by).selectinload(Membership.user),
    )


def open_circuits(
    session: Session, employees: Select, structure: Structure, today: date
) -> list[Circuit]:
    """The open circuits of the salariés ``employees`` selects (a scoped statement), the
    nearest contract end first, in a fixed number of queries whatever the number of salariés."""
    # Only the salariés a circuit may concern (a superset: ``circuit_of`` decides): a contract
    # ending from today to a month past the notice, or a circuit already started and open.
    ending = select(Contract.employee_id).where(
        Contract.end_date >= today,
        Contract.end_date <= add_months(today, structure.renewal_notice_months + 1),
    )
    started = select(RenewalDecision.employee_id).where(
        RenewalDecision.status.in_([s for s in RenewalStatus if s.is_open])
    )
    stmt = employees.where(
        (Employee.exit_date.is_(None)) | (Employee.exit_date >= today),
        Employee.id.in_(ending) | Employee.id.in_(started),
    ).options(selectinload(Employee.team))
    people = {e.id: e for e in session.scalars(stmt)}
    if not people:
        return []
    ids = list(people)
    by_employee: dict[uuid.UUID, list[Contract]] = {i: [] for i in ids}
    for c in session.scalars(select(Contract).where(Contract.employee_id.in_(ids))):
        by_employee[c.employee_id].append(c)
    rows: dict[uuid.UUID, list[RenewalDecision]] = {i: [] for i in ids}
    for r in session.scalars(
        select(RenewalDecision).options(*_people()).where(RenewalDecision.employee_id.in_(ids))
    ):
        rows[r.employee_id].append(r)
    found = []
    for employee_id, employee in people.items():
        circuit = circuit_of(
            employee,
            by_employee[employee_id],
            rows[employee_id],
            structure.renewal_notice_months,
            today,
        )
        if circuit is not None and circuit.is_open:
            found.append(circuit)
    return sorted(found, key=lambda c: (c.ends_on, c.employee.display_name))


def waiting_for(circuits: list[Circuit], stage: RenewalStatus) -> list[Circuit]:
    return [c for c in circuits if c.stage == stage]


# ------------------------------------------------------------------ the steps


class OutOfOrder(ServiceError):
    """A step asked for before the previous one, or again, or once the circuit is closed."""

    status = 409


def _order(circuit: Circuit | None, step: RenewalStatus) -> None:
    """Refuse a step that is not the one waited for, in French."""
    if circuit is None:
        raise OutOfOrder(
            "Le circuit de renouvellement n'est pas ouvert pour ce salarié : il s'ouvre avant "
            "la fin de son dernier contrat (réglage de la structure)."
        )
    stage = circuit.stage
    if stage == step:
        return
    if not stage.is_open:
        raise OutOfOrder(
            f"Le renouvellement est déjà décidé ({stage.label.lower()}) : le circuit est clos."
        )
    before = {
        RenewalStatus.OPINION: "l'avis de l'encadrant",
        RenewalStatus.PROPOSAL: "la proposition de la CIP",
        RenewalStatus.DECISION: "la décision de la direction",
    }
    steps = list(before)
    if steps.index(stage) < steps.index(step):
        raise OutOfOrder(f"Il faut d'abord {before[stage]} : chaque étape attend la précédente.")
    raise OutOfOrder(f"Cette étape est déjà faite : {before[step]} est enregistrée.")


def _text(values: dict, name: str, label: str, required: bool = True) -> str | None:
    text = (values.get(name) or "").strip()
    if not text:
        if required:
            raise ServiceError(f"Indiquez {label}.", field=name)
        return None
    if len(text) > TEXT_LIMIT:
        raise ServiceError(f"{TEXT_LIMIT} caractères au plus.", field=name)
    return text


def give_opinion(
    session: Session,
    membership: Membership,
    circuit: Circuit | None,
    values: dict,
    today: date,
) -> RenewalDecision:
    """Step 1: the ETI's opinion opens the record of the circuit."""
    _order(circuit, RenewalStatus.OPINION)
    verdict = values.get("verdict")
    if verdict not in OPINION_VERDICTS:
        raise ServiceError("Choisissez votre avis sur le renouvellement.", field="verdict")
    clean = {
        "opinion_work": _text(values, "work", "ce que vous observez du travail"),
        "opinion_attendance": _text(values, "attendance", "ce que vous observez de l'assiduité"),
        "opinion_progress": _text(values, "progress", "les progrès observés"),
        "opinion_verdict": verdict,
    }
    row = RenewalDecision(
        structure_id=circuit.employee.structure_id,
        employee_id=circuit.employee.id,
        contract_id=circuit.contract.id,
        status=RenewalStatus.PROPOSAL,
        opinion_on=today,
        opinion_by_id=membership.id,
        **clean,
    )
    session.add(row)
    session.flush()
    history.record(
        session,
        membership,
        ENTITY,
        row,
        [
            history.Change("contrat", None, circuit.contract),
            history.Change("avis de l'encadrant", None, OPINION_VERDICTS[verdict]),
        ],
    )
    return row


def _months(value) -> int:
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise ServiceError("Indiquez la durée du renouvellement en mois.", field="months") from None
    if not 1 <= months <= MAX_MONTHS:
        raise ServiceError(f"Entre 1 et {MAX_MONTHS} mois.", field="months")
    return months


def _hours(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        raise ServiceError("Indiquez les heures par semaine.", field="hours") from None


def check_avenant(
    session: Session, contract: Contract, months: int, hours, motif: str | None
) -> dict:
    """The avenant a renewal would create, checked against the CDDI rules (refusals name
    the renewal form's fields). Returns its values."""
    if motif and motif not in DEROGATION_MOTIFS:
        raise ServiceError("Motif de dérogation inconnu.", field="derogation_motif")
    start, end = avenant_dates(contract, months)
    values = {
        "start_date": start,
        "end_date": end,
        "weekly_hours": hours,
        "derogation_motif": motif or None,
        "ended_early_on": None,
        "annex_kind": contract.annex_kind,
    }
    try:
        contract_rules.validate(session, contract.employee, None, values)
    except ServiceError as exc:
        raise ServiceError(
            exc.message, field=CONTRACT_FIELD_TO_FORM.get(exc.field or "", "months")
        ) from None
    return values


def _renewal_terms(session: Session, contract: Contract, values: dict) -> dict:
    months = _months(values.get("months"))
    hours = _hours(values.get("hours"))
    if hours is None:
        raise ServiceError("Indiquez les heures par semaine.", field="hours")
    motif = values.get("derogation_motif") or None
    check_avenant(session, contract, months, hours, motif)
    return {"months": months, "hours": hours, "motif": motif}


def propose(
    session: Session,
    membership: Membership,
    circuit: Circuit | None,
    values: dict,
    today: date,
) -> RenewalDecision:
    """Step 2: the CIP's proposal."""
    _order(circuit, RenewalStatus.PROPOSAL)
    row = circuit.row
    choice = values.get("choice")
    if choice not in RENEWAL_CHOICES:
        raise ServiceError("Choisissez : renouveler ou préparer la sortie.", field="choice")
    comment = _text(values, "comment", "un commentaire", required=False)
    if choice == "renew":
        terms = _renewal_terms(session, circuit.contract, values)
        # The avenant may carry the renewed contract's motif; only the CIP writes another
        # one that reveals a handicap, or takes it away.
        contract_rules.check_motif_writer(
            membership, circuit.contract.derogation_motif, terms["motif"], "derogation_motif"
        )
        row.proposed_months, row.proposed_hours = terms["months"], terms["hours"]
        row.derogation_motif = terms["motif"]
        row.pass_extension = bool(values.get("pass_extension"))
    else:
        row.proposed_months = row.proposed_hours = row.derogation_motif = None
        row.pass_extension = False
    row.proposal, row.proposal_comment = choice, comment
    row.proposal_on, row.proposal_by_id = today, membership.id
    row.status = RenewalStatus.DECISION
    session.flush()
    summary = RENEWAL_CHOICES[choice]
    if choice == "renew":
        summary += f" : {row.proposed_months} mois, {history.decimal_fr(row.proposed_hours)} h"
        summary += " par semaine"
        if row.pass_extension:
            summary += ", prolongation du PASS IAE à demander"
    sensitive = contract_rules.is_sensitive_motif(row.derogation_motif)
    history.record(
        session,
        membership,
        ENTITY,
        row,
        [history.Change("proposition de la CIP", None, summary)]
        + (
            [
                history.Change(
                    "motif de dérogation", None, DEROGATION_MOTIFS[row.derogation_motif], sensitive
                )
            ]
            if row.derogation_motif
            else []
        ),
    )
    return row


def _exit_review(session: Session, membership: Membership, employee: Employee, day: date, today):
    """The bilan de sortie due on ``day``: the one already open, else a new draft."""
    from siae_app.services.reviews import workflow  # the reviews import the employees' services

    pending = session.scalars(
        select(Review).where(
            Review.employee_id == employee.id,
            Review.kind == "exit",
            Review.status != ReviewStatus.VALIDATED,
        )
    ).first()
    if pending is not None:
        return pending
    return workflow.open_review(
        session, employee=employee, membership=membership, kind="exit", due_on=day, today=today
    )


def decide(
    session: Session,
    membership: Membership,
    circuit: Circuit | None,
    values: dict,
    today: date,
) -> RenewalDecision:
    """Step 3: the direction's decision, and what follows it (the avenant, or the planned
    sortie and its bilan)."""
    _order(circuit, RenewalStatus.DECISION)
    row, contract = circuit.row, circuit.contract
    choice = values.get("choice")
    if choice not in RENEWAL_CHOICES:
        raise ServiceError("Choisissez : renouveler ou ne pas renouveler.", field="choice")
    comment = _text(values, "comment", "un commentaire", required=False)
    changes = []
    if choice == "renew":
        # The motif is the CIP's proposal's, whatever is sent (checked when proposed).
        values = {**values, "derogation_motif": row.derogation_motif}
        terms = _renewal_terms(session, contract, values)
        avenant_values = check_avenant(
            session, contract, terms["months"], terms["hours"], terms["motif"]
        )
        avenant = contract_rules.create_contract(
            session,
            membership,
            circuit.employee,
            avenant_values,
            parent=contract,
            motif_checked=True,
        )
        row.avenant_id = avenant.id
        row.status = RenewalStatus.RENEWED
        changes.append(
            history.Change(
                "décision de la direction",
                None,
                f"Renouvelé du {fr_date(avenant.start_date)} au {fr_date(avenant.end_date)}, "
                f"{history.decimal_fr(avenant.weekly_hours)} h par semaine",
            )
        )
    else:
        day = values.get("exit_on") or contract.effective_end
        if not contract.start_date <= day <= contract.effective_end:
            raise ServiceError(
                "La sortie prévue tombe pendant le contrat : entre le "
                f"{fr_date(contract.start_date)} et le {fr_date(contract.effective_end)}.",
                field="exit_on",
            )
        review = _exit_review(session, membership, circuit.employee, day, today)
        row.exit_planned_on, row.exit_review_id = day, review.id
        row.status = RenewalStatus.NOT_RENEWED
        changes.append(
            history.Change(
                "décision de la direction", None, f"Non renouvelé : sortie prévue le {fr_date(day)}"
            )
        )
    row.decision, row.decision_comment = choice, comment
    row.decided_on, row.decided_by_id = today, membership.id
    session.flush()
    history.record(session, membership, ENTITY, row, changes)
    return row


# ------------------------------------------------------------------ what the pages show


@dataclass(frozen=True)
class PassNote:
    """The PASS IAE against a renewal: its end and the prolongation window."""

    end: date
    window: tuple[date, date]
    covers: bool  # the PASS still runs on the last day of the avenant


def pass_note(passes: list[PassIae], last_day: date) -> PassNote | None:
    if not passes:
        return None
    end = max(pass_iae.effective_end(p) for p in passes)
    return PassNote(end, pass_iae.extension_window(end), end >= last_day)


def save_notice(session: Session, structure: Structure, months: int | None) -> None:
    low, high = NOTICE_RANGE
    if months is None or not low <= months <= high:
        raise ServiceError(
            f"Le circuit de renouvellement s'ouvre entre {low} et {high} mois avant la fin du "
            "contrat.",
            field="renewal_notice_months",
        )
    structure.renewal_notice_months = months
    session.flush()


@dataclass(frozen=True)
class Evidence:
    """What the ETI's opinion rests on, since the contract began: the assiduité, the latest
    validated assessment of each grid (competencies by level group and the moves), and the
    observations the reader may see, non-sensitive only, by tone with the latest three."""

    since: date
    attendance: dict
    assessments: list[dict]
    tones: dict[str, int]
    latest: list


def evidence(
    session: Session, visible_observations: Select, circuit: Circuit, today: date
) -> Evidence:
    from siae_app.services.reviews import compile as compiling  # reviews import employees

    employee_id, since = circuit.employee.id, circuit.contract.start_date
    until = min(today, circuit.ends_on)
    assessments = [
        part
        for part in compiling.evaluations_part(session, employee_id, since, until)
        if "summary" in part
    ]
    mine = visible_observations.where(
        Observation.employee_id == employee_id,
        Observation.sensitive.is_(False),
        Observation.observed_on.between(since, until),
    )
    tones = dict(
        session.execute(
            mine.with_only_columns(Observation.tone, func.count()).group_by(Observation.tone)
        ).all()
    )
    latest = session.scalars(
        mine.order_by(Observation.observed_on.desc(), Observation.created_at.desc()).limit(3)
    ).all()
    return Evidence(
        since,
        compiling.attendance_part(session, employee_id, since, until),
        assessments,
        {tone: tones.get(tone, 0) for tone in TONES},
        list(latest),
    )
