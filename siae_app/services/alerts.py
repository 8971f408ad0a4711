"""Alerts of the CIP's week, computed from the dates already entered.

``compute`` is pure (rows in, alerts out); ``load_inputs`` fetches everything it needs in a
fixed number of queries, whatever the number of salariés. Colours:
red = regulatory or contractual, amber = follow-up, grey = coming. Each alert names what it
counts (« 2 actions en retard »): ``tally`` adds them up over the lines for the top of the page.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from siae_app.models import (
    Action,
    AlertSnooze,
    Barrier,
    Contract,
    Employee,
    ExitFollowup,
    ExitHandoverItem,
    Interview,
    Membership,
    OnboardingItem,
    OnboardingTemplateItem,
    PassExtension,
    PassIae,
    PassSuspension,
    PrivacyRequest,
    RenewalDecision,
    RenewalStatus,
    Role,
    Structure,
    User,
)
from siae_app.models.actions import OPEN_ACTION_STATUSES
from siae_app.models.employees import HANDOVER_ITEMS
from siae_app.models.reviews import Review
from siae_app.services import ServiceError, renewals
from siae_app.services.attendance import unjustified_streaks_among
from siae_app.services.employees import handover
from siae_app.services.employees.contracts import cumulated_days
from siae_app.services.employees.dates import add_months, months_between
from siae_app.services.employees.exit_followups import FOLLOWUP_MONTHS
from siae_app.services.employees.pass_iae import effective_end
from siae_app.services.reviews import schedule as review_schedule
from siae_app.templating import plural

RED, AMBER, GREY = "red", "amber", "grey"
COLOUR_LABELS = {RED: "Réglementaire", AMBER: "Suivi", GREY: "À venir"}
RANK = {RED: 0, AMBER: 1, GREY: 2}
SNOOZE_DAYS = 7
UNJUSTIFIED_IN_A_ROW = 3
# Up to this many salariés, their inputs are read by their ids (see ``load_inputs``).
FEW = 200
# A request about personal data is answered within a month: red from three weeks on.
SPACE_REQUEST_LATE_DAYS = 21


@dataclass(frozen=True)
class Alert:
    """``topic``: what it counts, singular and plural (« bilan en retard », « bilans en
    retard »); ``count``: how many of them (late bilans, late actions; 1 for the others)."""

    kind: str
    colour: str
    message: str
    topic: tuple[str, str]
    count: int = 1

    @property
    def colour_label(self) -> str:
        return COLOUR_LABELS[self.colour]


@dataclass(slots=True)
class Inputs:
    """Everything ``compute`` reads for one salarié. Empty by default without a new container
    each (thousands are loaded at once: fewer objects for the garbage collector to follow)."""

    employee: Employee | Person
    passes: Sequence[PassIae | PassDates] = ()
    contracts: Sequence[Contract | ContractDates] = ()
    diagnosed: bool = False
    onboarding_due: Sequence[tuple[str, date]] = ()  # not done: (label, due)
    action_dues: Sequence[date] = ()  # open actions' due dates
    next_appointment: date | None = None
    unjustified_streak: int = 0  # unjustified absences in a row, up to the latest mark
    # bilans opened: (kind, date, status)
    reviews: Sequence[tuple[str, date | None, str]] = ()
    snoozed: AbstractSet[str] = frozenset()
    # days the documents of the sortie were handed (ticked rows of the handover checklist)
    handover_dates: Sequence[date] = ()
    followed_up: bool = False  # the current sortie's « situation à 6 mois » is recorded
    renewal: renewals.Circuit | None = None  # the renewal circuit of the latest contract
    # requests the salarié sent from their own space, not answered yet: the days they came
    space_requests: Sequence[date] = ()


@dataclass
class Line:
    """One salarié: the most urgent alert first, the others after it."""

    employee: Employee | Person
    alerts: list[Alert]

    @property
    def colour(self) -> str:
        return min((a.colour for a in self.alerts), key=RANK.__getitem__)

    @property
    def first(self) -> Alert:
        return self.alerts[0]

    @property
    def others(self) -> list[Alert]:
        return self.alerts[1:]


@dataclass(frozen=True)
class Tally:
    """« 3 bilans en retard »: one topic added up over every line."""

    colour: str
    one: str
    many: str
    count: int


def tally(all_lines: list[Line]) -> list[tuple[str, list[Tally]]]:
    """The alerts' topics added up, by colour (the most urgent first: (colour, tallies)), the
    largest count first within a colour."""
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for line in all_lines:
        for a in line.alerts:
            totals[(a.colour, *a.topic)] += a.count
    return tally_of(totals)


def tally_of(totals: dict[tuple[str, str, str], int]) -> list[tuple[str, list[Tally]]]:
    """``tally`` from the counts added up ({(colour, one, many): count}; 0 left out)."""
    by_colour: dict[str, list[Tally]] = defaultdict(list)
    for (colour, one, many), n in totals.items():
        if n:
            by_colour[colour].append(Tally(colour, one, many, n))
    return [
        (colour, sorted(by_colour[colour], key=lambda t: (-t.count, t.one)))
        for colour in sorted(by_colour, key=RANK.__getitem__)
    ]


def _months(months: float) -> str:
    return f"{months:.1f}".replace(".", ",") + " mois"


def _fr(day: date) -> str:
    """``day.strftime("%d/%m/%Y")``, without its cost (thousands of messages a page)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _this_week(due: date, today: date) -> bool:
    return today <= due <= today + timedelta(days=7)


def _at_most_one(rule: Callable[[Inputs, date], Alert | None]) -> Callable[[Inputs, date], list]:
    """A rule that finds one alert or none, as a list like every rule's."""

    @functools.wraps(rule)
    def alerts(data: Inputs, today: date) -> list[Alert]:
        found = rule(data, today)
        return [] if found is None else [found]

    return alerts


PASS_DUE = ("PASS IAE à prolonger", "PASS IAE à prolonger")
PASS_COMING = ("fin de PASS IAE à anticiper", "fins de PASS IAE à anticiper")
CONTRACT_DUE = ("fin de contrat à préparer", "fins de contrat à préparer")
CONTRACT_COMING = ("fin de contrat à anticiper", "fins de contrat à anticiper")
CDDI_LIMIT = ("cumul de CDDI proche de 24 mois", "cumuls de CDDI proches de 24 mois")
CDDI_COMING = ("cumul de CDDI à surveiller", "cumuls de CDDI à surveiller")
DIAGNOSTIC_LATE = ("diagnostic en retard", "diagnostics en retard")
DIAGNOSTIC_DUE = ("diagnostic à réaliser", "diagnostics à réaliser")
ONBOARDING_LATE = ("accueil en retard", "accueils en retard")
ONBOARDING_DUE = ("accueil à terminer", "accueils à terminer")
ACTIONS_LATE = ("action en retard", "actions en retard")
ACTIONS_DUE = ("action à échéance cette semaine", "actions à échéance cette semaine")
NO_APPOINTMENT = ("rendez-vous à fixer", "rendez-vous à fixer")
ABSENCES = ("série d'absences injustifiées", "séries d'absences injustifiées")
REVIEWS_LATE = ("bilan en retard", "bilans en retard")
EXIT_DUE = ("sortie à enregistrer", "sorties à enregistrer")
HANDOVER_MISSING = (
    "remise de documents de sortie incomplète",
    "remises de documents de sortie incomplètes",
)
FOLLOWUP_DUE = ("situation à 6 mois à recueillir", "situations à 6 mois à recueillir")
FOLLOWUP_LATE = ("situation à 6 mois en retard", "situations à 6 mois en retard")
RENEWAL_PROPOSAL = (
    "proposition de renouvellement à faire",
    "propositions de renouvellement à faire",
)
SPACE_REQUEST = (
    "demande du salarié sur ses données",
    "demandes de salariés sur leurs données",
)
FOLLOWUP_COMING = ("situation à 6 mois à venir", "situations à 6 mois à venir")
# After the sortie, the situation is asked for from M+5 (grey) to M+12: later, the reminder
# stops (the report counts it as not known).
FOLLOWUP_FROM_MONTHS = FOLLOWUP_MONTHS - 1
FOLLOWUP_LATE_MONTHS = FOLLOWUP_MONTHS + 1
FOLLOWUP_UNTIL_MONTHS = 12


@_at_most_one
def _pass_alerts(data: Inputs, today: date) -> Alert | None:
    if not data.passes:
        return None
    end = max(effective_end(p) for p in data.passes)
    if end < today:
        return Alert("pass", RED, f"PASS IAE expiré depuis le {_fr(end)}", PASS_DUE)
    if end <= add_months(today, 1):
        return Alert("pass", RED, f"PASS IAE se termine le {_fr(end)} (moins d'un mois)", PASS_DUE)
    if end <= add_months(today, 3):
        return Alert("pass", RED, f"PASS IAE se termine le {_fr(end)} (moins de 3 mois)", PASS_DUE)
    if end <= add_months(today, 4):
        return Alert("pass", GREY, f"PASS IAE se termine le {_fr(end)}", PASS_COMING)
    return None


def _contract_alerts(data: Inputs, today: date) -> list[Alert]:
    if not data.contracts:
        return []
    alerts = []
    end = max(c.effective_end for c in data.contracts)
    if today <= end <= today + timedelta(weeks=6):
        message = f"Contrat se termine le {_fr(end)} (moins de 6 semaines)"
        alerts.append(Alert("contrat", RED, message, CONTRACT_DUE))
    elif today <= end <= today + timedelta(weeks=8):
        alerts.append(Alert("contrat", GREY, f"Contrat se termine le {_fr(end)}", CONTRACT_COMING))
    months = months_between(cumulated_days(data.contracts))
    if months >= 22:
        message = f"CDDI cumulés : {_months(months)} (limite 24 mois)"
        alerts.append(Alert("cumul_cddi", RED, message, CDDI_LIMIT))
    elif months >= 20:
        alerts.append(Alert("cumul_cddi", GREY, f"CDDI cumulés : {_months(months)}", CDDI_COMING))
    return alerts


@_at_most_one
def _diagnostic_alerts(data: Inputs, today: date) -> Alert | None:
    entry = data.employee.entry_date
    if data.diagnosed or entry is None:
        return None
    days = (today - entry).days
    if days >= 30:
        message = f"Diagnostic non réalisé {days} jours après l'arrivée"
        return Alert("diagnostic", RED, message, DIAGNOSTIC_LATE)
    if days >= 20:
        due = _fr(entry + timedelta(days=30))
        return Alert("diagnostic", GREY, f"Diagnostic à réaliser avant le {due}", DIAGNOSTIC_DUE)
    return None


@_at_most_one
def _onboarding_alerts(data: Inputs, today: date) -> Alert | None:
    late = sorted(label for label, due in data.onboarding_due if due < today)
    soon = sorted(label for label, due in data.onboarding_due if _this_week(due, today))
    if late:
        return Alert("accueil", AMBER, "Accueil en retard : " + ", ".join(late), ONBOARDING_LATE)
    if soon:
        message = "Accueil à terminer cette semaine : " + ", ".join(soon)
        return Alert("accueil", GREY, message, ONBOARDING_DUE)
    return None


@_at_most_one
def _action_alerts(data: Inputs, today: date) -> Alert | None:
    late = sum(1 for due in data.action_dues if due < today)
    soon = sum(1 for due in data.action_dues if _this_week(due, today))
    if late:
        return Alert("actions", AMBER, plural(late, *ACTIONS_LATE), ACTIONS_LATE, late)
    if soon:
        return Alert("actions", GREY, plural(soon, *ACTIONS_DUE), ACTIONS_DUE, soon)
    return None


@_at_most_one
def _appointment_alerts(data: Inputs, today: date) -> Alert | None:
    if data.next_appointment is None:
        return Alert("rendez_vous", AMBER, "Aucun prochain rendez-vous fixé", NO_APPOINTMENT)
    return None


@_at_most_one
def _attendance_alerts(data: Inputs, today: date) -> Alert | None:
    return absence_alert(data.unjustified_streak)


def absence_alert(streak: int) -> Alert | None:
    if streak >= UNJUSTIFIED_IN_A_ROW:
        message = f"{streak} absences injustifiées consécutives"
        return Alert("absences", AMBER, message, ABSENCES)
    return None


@_at_most_one
def _review_alerts(data: Inputs, today: date) -> Alert | None:
    """Bilans: an expected bilan whose date has passed with none opened for it (and no later
    bilan of the parcours validated since)."""
    expected = review_schedule.expected(data.employee, data.contracts, data.passes)
    late = review_schedule.late(expected, data.reviews, today)
    if not late:
        return None
    names = ", ".join(f"{e.label.lower()} (prévu le {_fr(e.due_on)})" for e in late)
    return Alert("bilan", AMBER, f"Bilan en retard : {names}", REVIEWS_LATE, len(late))


@_at_most_one
def _renewal_alerts(data: Inputs, today: date) -> Alert | None:
    """The ETI gave their opinion on the renewal: the CIP's proposal is waited for (red when
    the contract ends within a month)."""
    circuit = data.renewal
    if circuit is None or circuit.stage != RenewalStatus.PROPOSAL:
        return None
    colour = RED if circuit.urgent(today) else AMBER
    message = (
        f"Renouvellement : proposition à faire, avis de l'encadrant reçu "
        f"(contrat jusqu'au {_fr(circuit.ends_on)})"
    )
    return Alert("renouvellement", colour, message, RENEWAL_PROPOSAL)


# The sortie on time: the financeurs refuse it entered more than a month after the last
# contract's end. Reminded from D+15, regulatory from D+25.
EXIT_DUE_DAYS, EXIT_LATE_DAYS = 15, 25
# The documents of the sortie: reminded from 15 days after it, for 3 months.
HANDOVER_DUE_DAYS, HANDOVER_FOLLOWED_DAYS = 15, 92


@_at_most_one
def _exit_due_alerts(data: Inputs, today: date) -> Alert | None:
    """The last contract has ended (none running or starting later) and no sortie is
    recorded."""
    if data.employee.exit_date is not None or not data.contracts:
        return None
    end = max(c.effective_end for c in data.contracts)
    days = (today - end).days
    if days >= EXIT_LATE_DAYS:
        message = (
            f"Sortie à enregistrer avant le {_fr(add_months(end, 1))} : "
            "les financeurs refusent une saisie tardive"
        )
        return Alert("sortie", RED, message, EXIT_DUE)
    if days >= EXIT_DUE_DAYS:
        return Alert(
            "sortie", AMBER, f"Sortie à enregistrer : contrat terminé le {_fr(end)}", EXIT_DUE
        )
    return None


@_at_most_one
def _handover_alerts(data: Inputs, today: date) -> Alert | None:
    """Documents of the sortie not handed 15 days after it (followed for 3 months)."""
    exit_date = data.employee.exit_date
    if exit_date is None:
        return None
    if not HANDOVER_DUE_DAYS <= (today - exit_date).days <= HANDOVER_FOLLOWED_DAYS:
        return None
    done = sum(1 for day in data.handover_dates if handover.counts(day, exit_date))
    total = len(HANDOVER_ITEMS)
    if done >= total:
        return None
    message = f"Remise des documents de sortie incomplète : {done} sur {total}"
    return Alert("remise_sortie", AMBER, message, HANDOVER_MISSING)


@_at_most_one
def _space_request_alerts(data: Inputs, today: date) -> Alert | None:
    """A copy or a correction the salarié asked for from their own space: the structure
    answers within a month (RGPD, article 12), the direction writes the answer."""
    if not data.space_requests:
        return None
    first = min(data.space_requests)
    count = len(data.space_requests)
    colour = RED if (today - first).days >= SPACE_REQUEST_LATE_DAYS else AMBER
    message = (
        f"Demande sur ses données envoyée depuis son espace le {_fr(first)}"
        + (f" (et {count - 1} autre{'s' if count > 2 else ''})" if count > 1 else "")
        + " : à voir avec la direction, qui répond dans le mois"
    )
    return Alert("demande_espace", colour, message, SPACE_REQUEST, count)


def _exited(data: Inputs, today: date) -> bool:
    """Left before today: only the rules about the sortie concern them."""
    return data.employee.exit_date is not None and data.employee.exit_date < today


@_at_most_one
def _exit_followup_alerts(data: Inputs, today: date) -> Alert | None:
    """« Situation à 6 mois »: the salarié left (the current stay's sortie) and where they
    stand six months later is not recorded yet."""
    left = data.employee.exit_date
    if left is None or left >= today or data.followed_up:
        return None
    due = add_months(left, FOLLOWUP_MONTHS)
    kind = "situation_6_mois"
    if today < add_months(left, FOLLOWUP_FROM_MONTHS) or today > add_months(
        left, FOLLOWUP_UNTIL_MONTHS
    ):
        return None
    if today < due:
        return Alert(kind, GREY, f"Situation à 6 mois à recueillir le {_fr(due)}", FOLLOWUP_COMING)
    if today < add_months(left, FOLLOWUP_LATE_MONTHS):
        message = f"Situation à 6 mois à recueillir (sortie le {_fr(left)})"
        return Alert(kind, AMBER, message, FOLLOWUP_DUE)
    message = f"Situation à 6 mois en retard : attendue depuis le {_fr(due)}"
    return Alert(kind, RED, message, FOLLOWUP_LATE)


# A salarié who has left is on the list only for what follows the sortie.
AFTER_EXIT_RULES = (_handover_alerts, _exit_followup_alerts, _space_request_alerts)

RULES = (
    _pass_alerts,
    _contract_alerts,
    _diagnostic_alerts,
    _onboarding_alerts,
    _action_alerts,
    _appointment_alerts,
    _attendance_alerts,
    _review_alerts,
    _renewal_alerts,
    _exit_due_alerts,
    _space_request_alerts,
)


# The kinds of the rules before ``_attendance_alerts`` in RULES (``with_absence`` puts the
# absences' alert after theirs within its colour, as ``compute`` does).
KINDS_BEFORE_ABSENCES = frozenset(
    {"pass", "contrat", "cumul_cddi", "diagnostic", "accueil", "actions", "rendez_vous"}
)


def with_absence(alerts: Sequence[Alert], absence: Alert) -> list[Alert]:
    """A salarié's alerts computed without their absences (``load_inputs(absences=False)``),
    with the absences' alert read apart put where ``compute`` puts it."""
    rank = RANK[absence.colour]
    at = next(
        (
            i
            for i, a in enumerate(alerts)
            if RANK[a.colour] > rank
            or (RANK[a.colour] == rank and a.kind not in KINDS_BEFORE_ABSENCES)
        ),
        len(alerts),
    )
    return [*alerts[:at], absence, *alerts[at:]]


def compute(data: Inputs, today: date) -> list[Alert]:
    """The alerts of one salarié, worst first, without the snoozed ones."""
    rules = AFTER_EXIT_RULES if _exited(data, today) else RULES
    alerts = [a for rule in rules for a in rule(data, today) if a.kind not in data.snoozed]
    return sorted(alerts, key=lambda a: RANK[a.colour])


def lines(inputs: list[Inputs], today: date) -> list[Line]:
    result = [Line(d.employee, alerts) for d in inputs if (alerts := compute(d, today))]
    return sorted(result, key=lambda line: (RANK[line.colour], line.employee.display_name))


# ------------------------------------------------------------------ loading
# Thousands of salariés: the rules read plain rows (a few columns each), never ORM objects,
# and every query selects its salariés with the same subquery, not a list of their ids.


@dataclass(frozen=True, slots=True)
class Person:
    """The columns of a salarié the rules and the page read."""

    id: uuid.UUID
    last_name: str
    usage_name: str | None
    first_name: str
    entry_date: date | None
    exit_date: date | None
    referent_id: uuid.UUID | None

    display_name = property(Employee.display_name.fget)


@dataclass(frozen=True, slots=True)
class ContractDates:
    """A contract's dates, as ``Contract`` names them (the rules read nothing else)."""

    id: uuid.UUID
    start_date: date
    end_date: date
    ended_early_on: date | None

    effective_end = property(Contract.effective_end.fget)


@dataclass(slots=True)
class PassDates:
    """A PASS IAE's dates, its suspensions (``start_date``, ``end_date``) and prolongations
    (``months``), in the order ``effective_end`` adds them."""

    end_date: date
    closed_on: date | None
    suspensions: Sequence = ()
    extensions: Sequence = ()


def _scope(membership: Membership, today: date, employee_ids: Collection | None = None):
    """The conditions on ``Employee`` of the salariés the alerts look at (among
    ``employee_ids`` when given)."""
    conditions = [
        or_(
            Employee.exit_date.is_(None),
            Employee.exit_date >= today,
            _handover_followed(today),
            _followup_pending(today),
        ),
        *_theirs(membership),
    ]
    if employee_ids is not None:
        conditions.append(Employee.id.in_(employee_ids))
    return conditions


def _theirs(membership: Membership) -> list:
    """The CIP's salariés are those they are the référent of; the coordination's, all."""
    if Role.COORDINATOR in membership.role_set:
        return []
    return [Employee.referent_id == membership.id]


def _employees(session: Session, conditions: list) -> list[Person]:
    stmt = (
        select(
            Employee.id,
            Employee.last_name,
            Employee.usage_name,
            Employee.first_name,
            Employee.entry_date,
            Employee.exit_date,
            Employee.referent_id,
        )
        .where(*conditions)
        .order_by(Employee.last_name)
    )
    return [Person(*row) for row in session.execute(stmt)]


def _handover_followed(today: date):
    """Left recently enough for the handover of their documents to be reminded."""
    since = today - timedelta(days=HANDOVER_FOLLOWED_DAYS)
    until = today - timedelta(days=HANDOVER_DUE_DAYS)
    return Employee.exit_date.between(since, until)


def _followup_pending(today: date):
    """Left, within the months the « situation à 6 mois » is asked for, and not recorded
    (the rule decides the exact days)."""
    recorded = exists().where(
        ExitFollowup.employee_id == Employee.id, ExitFollowup.exit_date == Employee.exit_date
    )
    return and_(
        Employee.exit_date < today,
        Employee.exit_date >= add_months(today, -FOLLOWUP_UNTIL_MONTHS - 1),
        Employee.exit_date <= add_months(today, -FOLLOWUP_FROM_MONTHS + 1),
        ~recorded,
    )


def load_inputs(
    session: Session,
    membership: Membership,
    today: date,
    employee_ids: Collection | None = None,
    snoozes: bool = True,
    absences: bool = True,
) -> list[Inputs]:
    """The CIP's salariés (their référent); coordination: all. A fixed number of queries;
    ``snoozes=False`` leaves the snoozed kinds out, ``absences=False`` the streaks of
    unjustified absences (``alert_lines`` reads both apart, at each request)."""
    conditions = _scope(membership, today, employee_ids)
    data = {p.id: Inputs(employee=p) for p in _employees(session, conditions)}
    if not data:
        return []
    # A few salariés (the lines brought up to date after a commit): their ids as such, which
    # the planner follows by index; many: the scope as a subquery, not thousands of values.
    ids = list(data) if len(data) <= FEW else select(Employee.id).where(*conditions)
    _load_passes(session, data, ids)
    contracts = session.execute(
        select(
            Contract.employee_id,
            Contract.id,
            Contract.start_date,
            Contract.end_date,
            Contract.ended_early_on,
        ).where(Contract.employee_id.in_(ids))
    )
    for employee_id_, found in _grouped((c[0], ContractDates(*c[1:])) for c in contracts).items():
        data[employee_id_].contracts = found
    _load_renewals(session, membership, data, ids, today)
    _load_diagnosed(session, data, ids)
    _load_onboarding(session, data, ids)
    actions = session.execute(
        select(Action.employee_id, Action.due_date).where(
            Action.employee_id.in_(ids),
            Action.status.in_(OPEN_ACTION_STATUSES),
            Action.due_date.is_not(None),
        )
    )
    for employee_id_, found in _grouped(actions).items():
        data[employee_id_].action_dues = found
    for employee_id_, next_on in session.execute(
        select(Interview.employee_id, func.max(Interview.next_on))
        .where(Interview.employee_id.in_(ids), Interview.next_on >= today)
        .group_by(Interview.employee_id)
    ):
        data[employee_id_].next_appointment = next_on
    if absences:
        for employee_id_, streak in unjustified_streaks_among(session, ids).items():
            data[employee_id_].unjustified_streak = streak
    _load_reviews(session, data, ids, today)
    handed = session.execute(
        select(ExitHandoverItem.employee_id, ExitHandoverItem.done_on).where(
            ExitHandoverItem.employee_id.in_(ids), ExitHandoverItem.done_on.is_not(None)
        )
    )
    for employee_id_, found in _grouped(handed).items():
        data[employee_id_].handover_dates = found
    requests = session.execute(
        select(PrivacyRequest.employee_id, PrivacyRequest.received_on).where(
            PrivacyRequest.employee_id.in_(ids),
            PrivacyRequest.from_space.is_(True),
            PrivacyRequest.answered_on.is_(None),
        )
    )
    for employee_id_, found in _grouped(requests).items():
        data[employee_id_].space_requests = found
    if snoozes:
        for employee_id_, kinds in _grouped(snoozed(session, today, ids)).items():
            data[employee_id_].snoozed = set(kinds)
    return list(data.values())


def absences_now(session: Session, membership: Membership, today: date) -> list[tuple]:
    """(salarié, alert) of the person's salariés not gone whose unjustified absences in a
    row call for an alert (the rule ``compute`` applies; two queries, one when none)."""
    conditions = [
        or_(Employee.exit_date.is_(None), Employee.exit_date >= today),  # not ``_exited``
        *_theirs(membership),
    ]
    streaks = unjustified_streaks_among(
        session, select(Employee.id).where(*conditions), at_least=UNJUSTIFIED_IN_A_ROW
    )
    alerts = {i: alert for i, n in streaks.items() if (alert := absence_alert(n))}
    if not alerts:
        return []
    return [(p, alerts[p.id]) for p in _employees(session, [Employee.id.in_(list(alerts))])]


def _grouped(pairs: Iterable[tuple]) -> dict:
    """{key: [values]} of (key, value) pairs, in their order."""
    found = defaultdict(list)
    for key, value in pairs:
        found[key].append(value)
    return found


def snoozed(session: Session, today: date, ids=None) -> list[tuple[uuid.UUID, str]]:
    """(salarié, kind) of the alerts « Vu » hides today (of the salariés ``ids`` selects)."""
    stmt = select(AlertSnooze.employee_id, AlertSnooze.kind).where(AlertSnooze.until > today)
    if ids is not None:
        stmt = stmt.where(AlertSnooze.employee_id.in_(ids))
    return list(session.execute(stmt).tuples())


def _load_passes(session: Session, data: dict, ids) -> None:
    """PASS IAE with their suspensions and prolongations (three queries)."""
    passes: dict[uuid.UUID, PassDates] = {}
    by_employee = defaultdict(list)
    for employee_id, pass_id, end_date, closed_on in session.execute(
        select(PassIae.employee_id, PassIae.id, PassIae.end_date, PassIae.closed_on).where(
            PassIae.employee_id.in_(ids)
        )
    ):
        passes[pass_id] = PassDates(end_date, closed_on)
        by_employee[employee_id].append(passes[pass_id])
    for employee_id, found in by_employee.items():
        data[employee_id].passes = found
    if not passes:
        return
    of_these = PassIae.employee_id.in_(ids)
    suspensions = session.execute(
        select(PassSuspension.pass_id, PassSuspension.start_date, PassSuspension.end_date)
        .join(PassIae, PassIae.id == PassSuspension.pass_id)
        .where(of_these)
        .order_by(PassSuspension.start_date)
    )
    for pass_id, found in _grouped((row.pass_id, row) for row in suspensions).items():
        passes[pass_id].suspensions = found
    extensions = session.execute(
        select(PassExtension.pass_id, PassExtension.months)
        .join(PassIae, PassIae.id == PassExtension.pass_id)
        .where(of_these)
        .order_by(PassExtension.decided_on)
    )
    for pass_id, found in _grouped((row.pass_id, row) for row in extensions).items():
        passes[pass_id].extensions = found


def _load_renewals(session: Session, membership: Membership, data: dict, ids, today: date) -> None:
    """Where each salarié's renewal stands (one query; the contracts are loaded, and so is
    the structure in a request: its notice is read from the session)."""
    decisions = session.execute(
        select(
            RenewalDecision.employee_id,
            RenewalDecision.contract_id,
            RenewalDecision.avenant_id,
            RenewalDecision.status,
        ).where(RenewalDecision.employee_id.in_(ids))
    )
    rows = _grouped((r.employee_id, r) for r in decisions)
    notice = session.get(Structure, membership.structure_id).renewal_notice_months
    for employee_id, d in data.items():
        d.renewal = renewals.circuit_of(
            d.employee, d.contracts, rows.get(employee_id, ()), notice, today
        )


def _load_diagnosed(session: Session, data: dict, ids) -> None:
    """A diagnostic is done when a frein is recorded or a diagnostic entretien held (only
    the fact is read, never the content of a frein)."""
    with_barriers = select(Barrier.employee_id).where(Barrier.employee_id.in_(ids)).distinct()
    with_interview = select(Interview.employee_id).where(
        Interview.employee_id.in_(ids), Interview.kind == "diagnostic_accueil"
    )
    for employee_id in session.scalars(with_barriers.union(with_interview)):
        data[employee_id].diagnosed = True


def _load_reviews(session: Session, data: dict, ids, today: date) -> None:
    """Bilans: (type, date, status) of those opened, for « Bilan en retard »; the next
    appointment a bilan fixed counts as one (two queries)."""
    opened = session.execute(
        select(
            Review.employee_id,
            Review.kind,
            func.coalesce(Review.due_on, Review.held_on, Review.period_end),
            Review.status,
        ).where(Review.employee_id.in_(ids))
    )
    for employee_id, found in _grouped((r[0], tuple(r[1:])) for r in opened).items():
        data[employee_id].reviews = found
    for employee_id, next_on in session.execute(
        select(Review.employee_id, func.max(Review.next_appointment_on))
        .where(Review.employee_id.in_(ids), Review.next_appointment_on >= today)
        .group_by(Review.employee_id)
    ):
        current = data[employee_id].next_appointment
        data[employee_id].next_appointment = max(current or next_on, next_on)


def _load_onboarding(session: Session, data: dict, ids) -> None:
    templates = session.execute(
        select(
            OnboardingTemplateItem.id,
            OnboardingTemplateItem.label,
            OnboardingTemplateItem.due_days,
        ).where(OnboardingTemplateItem.is_archived.is_(False))
    ).all()
    done = set(
        session.execute(
            select(OnboardingItem.employee_id, OnboardingItem.template_item_id).where(
                OnboardingItem.employee_id.in_(ids), OnboardingItem.done_on.is_not(None)
            )
        ).tuples()
    )
    for d in data.values():
        entry = d.employee.entry_date
        if entry is None:
            continue
        due = [
            (t.label, entry + timedelta(days=t.due_days))
            for t in templates
            if (d.employee.id, t.id) not in done
        ]
        if due:
            d.onboarding_due = due


def referent_names(session: Session, all_lines: list[Line]) -> dict[uuid.UUID, str]:
    """{membership id: full name} of the référents of these lines (one query)."""
    wanted = {line.employee.referent_id for line in all_lines} - {None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Membership.id, User.first_name, User.last_name)  # as ``User.full_name`` reads
        .join(User, User.id == Membership.user_id)
        .where(Membership.id.in_(wanted))
    )
    return {row.id: User.full_name.fget(row) for row in rows}


def group_by_referent(
    all_lines: list[Line], names: dict[uuid.UUID, str]
) -> list[tuple[str, list[Line]]]:
    groups: dict[str, list[Line]] = defaultdict(list)
    for line in all_lines:
        groups[names.get(line.employee.referent_id, "Sans référent")].append(line)
    return sorted(groups.items())


def snooze(
    session: Session, membership: Membership, employee: Employee, today: date
) -> list[AlertSnooze]:
    """« Vu — rappeler dans 7 jours »: every current alert of the line, for the whole team."""
    inputs = load_inputs(session, membership, today, employee_ids=[employee.id])
    alerts = compute(inputs[0], today) if inputs else []
    if not alerts:
        raise ServiceError("Aucune alerte à reporter pour ce salarié.")
    until = today + timedelta(days=SNOOZE_DAYS)
    rows = [
        AlertSnooze(employee_id=employee.id, kind=a.kind, until=until, membership_id=membership.id)
        for a in alerts
    ]
    session.add_all(rows)
    session.flush()
    return rows
