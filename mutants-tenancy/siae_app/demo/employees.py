"""Demo salariés: 44 per structure with varied parcours (synthetic, Faker fr_FR, fixed seeds).

Arrivals over the last 18 months, CDDI renewals, a few suspended or prolonged PASS, exits of
every type (one after six weeks, below the minimal stay), a team and a référent CIP for each;
in the EI, one contract in five counts on its ACI annex. Idempotent: a salarié with the same
name and birth date is left as it is.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal

from faker import Faker
from faker.providers.person.fr_FR import Provider as FrenchNames
from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import (
    Contract,
    Employee,
    EmployeeCriterion,
    ExitFollowup,
    Membership,
    PassExtension,
    PassIae,
    PassSuspension,
    PreviousStay,
    Role,
    Structure,
    Team,
)
from siae_app.services.employees import identity
from siae_app.services.employees.dates import add_months

PER_STRUCTURE = 44
SHORT_STAY = 39  # the salarié (by position) who leaves before the minimal stay
RETURNER = 35  # the salarié (by position) who left and came back
FOLLOWED_UP = 3  # left seven months ago: their situation six months later is recorded
FOLLOW_UP_DUE = 7  # left six months ago: their situation is still to be asked (alert)
PRESCRIBERS = ["France Travail", "Mission locale", "Cap emploi", "Conseil départemental", "CCAS"]
ACCOMMODATIONS = [
    "Port de charges limité à 10 kg.",
    "Pas de travail en hauteur ni sur échelle.",
    "Horaires aménagés le mercredi matin (rendez-vous de soins).",
    "Poste assis possible par moments ; pauses toutes les deux heures.",
]
# Exits spread over the four official types, in this order.
EXITS = [
    ("emploi_durable", "cdi"),
    ("emploi_transition", "cdd_moins_6m"),
    ("sortie_positive", "formation_qualifiante"),
    ("autre", "demandeur_emploi"),
    ("emploi_durable", "cdd_6m_plus"),
    ("emploi_transition", "interim_moins_6m"),
    ("sortie_positive", "embauche_autre_siae"),
    ("autre", "abandon"),
    ("emploi_durable", "creation_entreprise"),
    ("emploi_transition", "contrat_aide"),
]


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _people(structure: Structure, n: int):
    fake = Faker("fr_FR")
    fake.seed_instance(_seed(f"salaries-{structure.slug}"))
    for _ in range(n):
        yield fake


def _contracts(rng: random.Random, entry: date, today: date, hours: Decimal) -> list[Contract]:
    """A first CDDI then renewals while the parcours goes on, within 24 months."""
    out: list[Contract] = []
    start, months_done = entry, 0
    while start <= today and months_done < 24:
        months = min(rng.choice([4, 6, 6, 12]), 24 - months_done)
        end = add_months(start, months) - timedelta(days=1)
        contract = Contract(kind="cddi", start_date=start, end_date=end, weekly_hours=hours)
        if out:
            contract.parent = out[-1]
        out.append(contract)
        months_done += months
        start = end + timedelta(days=1)
    return out


def _pass(rng: random.Random, i: int, entry: date, today: date, slug: str) -> PassIae:
    p = PassIae(
        number=f"99999{_seed(slug) % 100:02d}{i:05d}",
        start_date=entry,
        end_date=add_months(entry, 24) - timedelta(days=1),
    )
    if i % 9 == 4 and entry < today - timedelta(days=30):
        start = today - timedelta(days=rng.randint(3, 20))
        p.suspensions.append(
            PassSuspension(
                motif="contrat_suspendu", start_date=start, end_date=start + timedelta(days=30)
            )
        )
    if i % 13 == 7:
        p.extensions.append(PassExtension(motif="fin_formation", months=6, decided_on=today))
    return p


def _exit(employee: Employee, contracts: list[Contract], i: int, today: date, offset: int):
    """About one in four leaves: after a few months, with a type and a sub-motif."""
    if i % 4 != 3:
        return
    kind, reason = EXITS[(i // 4) % len(EXITS)]
    day = min(today - timedelta(days=offset), contracts[-1].end_date)
    day = max(day, employee.entry_date + timedelta(days=90))
    if i == SHORT_STAY:  # left after six weeks: below the minimal stay, not counted
        day = employee.entry_date + timedelta(days=45)
    if i == RETURNER:  # left after four months, to come back (below)
        day = employee.entry_date + timedelta(days=120)
    employee.exit_date, employee.exit_kind, employee.exit_reason = day, kind, reason
    kept = [c for c in contracts if c.start_date <= day]
    contracts[:] = kept
    if day < kept[-1].end_date:
        kept[-1].ended_early_on = day
    if i == RETURNER:
        _come_back(employee, contracts, today)


def _left_months_ago(employee, contracts: list[Contract], pass_iae: PassIae, i: int, today):
    """Two sorties old enough for the « situation à 6 mois »: eight months of parcours, then a
    sortie seven months ago (situation recorded by the référent) or six months and ten days
    ago (still to be asked: the CIP's amber alert). No random draw, so a second run is alike."""
    if i not in (FOLLOWED_UP, FOLLOW_UP_DUE):
        return
    day = add_months(today, -7 if i == FOLLOWED_UP else -6) - timedelta(days=10)
    entry = add_months(day, -8)
    employee.entry_date, employee.exit_date = entry, day
    end = add_months(entry, 12) - timedelta(days=1)
    hours = contracts[0].weekly_hours
    contracts[:] = [
        Contract(
            kind="cddi", start_date=entry, end_date=end, weekly_hours=hours, ended_early_on=day
        )
    ]
    pass_iae.start_date, pass_iae.end_date = entry, add_months(entry, 24) - timedelta(days=1)
    if i == FOLLOWED_UP:
        employee.exit_followups = [
            ExitFollowup(
                exit_date=day,
                checked_on=add_months(day, 6) + timedelta(days=3),
                kind="emploi_durable",
                reason="cdi",
                comment="Joint par téléphone : embauché en CDI par un client de la structure.",
                recorded_by_id=employee.referent_id,
            )
        ]


def _come_back(employee: Employee, contracts: list[Contract], today: date) -> None:
    """Back in parcours halfway between the sortie and today, on a new six-month CDDI; the
    first stay and its sortie are kept (they count in their year)."""
    back = employee.exit_date + timedelta(days=(today - employee.exit_date).days // 2)
    employee.previous_stays = [
        PreviousStay(
            entry_date=employee.entry_date,
            exit_date=employee.exit_date,
            exit_kind=employee.exit_kind,
            exit_reason=employee.exit_reason,
        )
    ]
    employee.entry_date = back
    employee.exit_date = employee.exit_kind = employee.exit_reason = None
    hours = contracts[-1].weekly_hours
    end = add_months(back, 6) - timedelta(days=1)
    contracts.append(Contract(kind="cddi", start_date=back, end_date=end, weekly_hours=hours))


FEMALE_FIRST_NAMES = frozenset(FrenchNames.first_names_female)
EDUCATION = ["70", "70", "60", "50", "51", "51", "40", "41", "01", "30"]
PRESCRIBER_KIND_OF = {
    "France Travail": "03",
    "Mission locale": "01",
    "Cap emploi": "02",
    "Conseil départemental": "05",
    "CCAS": "11",
}


def _situation(employee: Employee, rng: random.Random, entry: date) -> None:
    """The situation at entry, drawn plausibly: mostly long unemployment, a few in a QPV."""
    employee.sex = "F" if employee.first_name in FEMALE_FIRST_NAMES else "M"
    employee.education_level = rng.choice(EDUCATION)
    employee.prescriber_kind = PRESCRIBER_KIND_OF[employee.prescriber_org]
    employee.unemployed_since = entry - timedelta(days=rng.randint(200, 2000))
    employee.jobseeker_since = employee.unemployed_since + timedelta(days=rng.randint(0, 90))
    if rng.random() < 0.5:
        employee.benefits_since = employee.unemployed_since + timedelta(days=rng.randint(90, 400))
    employee.resides_qpv = rng.random() < 0.3
    employee.resides_zrr = not employee.resides_qpv and rng.random() < 0.1


# Criteria that follow from the file (age at entry, residence, education): ticked when true,
# so that the report's criteria agree with its age bands, residences and levels.
FACT_CRITERIA = frozenset({"moins_26", "50_plus", "qpv", "zrr", "infra_cap"})


def _facts(employee: Employee, entry: date) -> set[str]:
    facts = set()
    if employee.birth_date:
        if entry < add_months(employee.birth_date, 26 * 12):
            facts.add("moins_26")
        elif entry >= add_months(employee.birth_date, 50 * 12):
            facts.add("50_plus")
    if employee.resides_qpv:
        facts.add("qpv")
    if employee.resides_zrr:
        facts.add("zrr")
    if employee.education_level in {"00", "01", "70", "60", "50"}:
        facts.add("infra_cap")
    return facts


def load_demo_employees(session: Session, structure: Structure, today: date | None = None):
    """Create the demo salariés of ``structure`` (its tenant is active)."""
    today = today or date.today()
    teams = session.scalars(select(Team).order_by(Team.name)).all()
    cips = [m for m in session.scalars(select(Membership)) if Role.CIP in m.role_set]
    criteria = identity.ensure_default_criteria(session)
    known = {(e.last_name, e.first_name, e.birth_date) for e in session.scalars(select(Employee))}
    rng = random.Random(_seed(structure.slug))
    hours_choices = [20, 24, 26, 30, 35] if structure.kind == "ACI" else [24, 30, 35]
    for i, fake in enumerate(_people(structure, PER_STRUCTURE)):
        last, first = fake.last_name(), fake.first_name()
        birth = fake.date_of_birth(minimum_age=19, maximum_age=61)
        leaves = i % 4 == 3  # about one in four has left, after a few months
        entry = today - timedelta(days=rng.randint(150 if leaves else 0, 540))
        hours = Decimal(rng.choice(hours_choices))
        contracts = _contracts(rng, entry, today, hours)
        pass_iae = _pass(rng, i, entry, today, structure.slug)
        employee = Employee(
            last_name=last,
            first_name=first,
            usage_name=fake.last_name() if i % 11 == 5 else None,
            birth_date=birth,
            phone=fake.phone_number(),
            email=f"{first}.{last}@example.org".lower().replace(" ", "-") if i % 3 else None,
            address=f"{fake.street_address()}, {fake.postcode()} {fake.city()}",
            team_id=teams[i % len(teams)].id if teams else None,
            referent_id=cips[i % len(cips)].id if cips else None,
            prescriber_org=PRESCRIBERS[i % len(PRESCRIBERS)],
            prescriber_contact=fake.name(),
            entry_date=entry,
            accommodations=ACCOMMODATIONS[i % len(ACCOMMODATIONS)] if i % 6 == 1 else None,
        )
        _situation(employee, rng, entry)
        # Every random draw is made before this test, so that a second run draws the same.
        drawn = [c for c in criteria if c.key not in FACT_CRITERIA]
        picked = rng.sample(drawn, k=rng.randint(1, 3))
        exit_offset = rng.randint(1, 60)
        if (last, first, birth) in known:
            continue
        _exit(employee, contracts, i, today, exit_offset)
        _left_months_ago(employee, contracts, pass_iae, i, today)
        if structure.kind == "EI" and i % 5 == 2:
            for contract in contracts:  # the recyclerie also runs a chantier (ACI annex)
                contract.annex_kind = "ACI"
        employee.contracts = contracts
        employee.passes = [pass_iae]
        picked += [c for c in criteria if c.key in _facts(employee, entry)]
        employee.criteria = [EmployeeCriterion(criterion_id=c.id) for c in picked]
        session.add(employee)
    session.flush()
