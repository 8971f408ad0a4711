"""The reference data set for performance measures (bench/): by default one structure with
300 salariés in 20 teams, two years of attendance and 200,000 observations; ``Size`` makes it
3,000 salariés, or 100 such structures on one database (``flask demo reference --help``).

Each salarié has a PASS IAE and a CDDI; some end within the coming weeks, a few PASS were
suspended or prolonged, so the « fin dans N semaines » filter has something to find.

Rows go in with bulk ``insert`` statements in batches (no ORM objects per row), so the set
loads in a few minutes on SQLite and PostgreSQL. Deterministic (seeded); refuses to load twice.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import (
    Activity,
    ActivityFramework,
    Attendance,
    Competency,
    Contract,
    Employee,
    Framework,
    FundingAnnex,
    Membership,
    Observation,
    ObservationCompetency,
    PassExtension,
    PassIae,
    PassSuspension,
    Role,
    Structure,
    Team,
    TeamSupervisor,
    User,
)
from siae_app.services.passwords import hash_password
from siae_app.services.scales import create_default_scale

SLUG = "reference"
PASSWORD = "Reference-Perf-2026"  # noqa: S105 - synthetic accounts of a local data set
TEAMS = 20
EMPLOYEES = 300
DAYS = 730
OBSERVATIONS = 200_000
BATCH = 5_000
MOTIFS = ["maladie", "justifiee", "injustifiee", "conge", "formation", "rdv_partenaire", "pmsmp"]
TEXTS = [
    "A respecté les consignes de sécurité sur la débroussailleuse.",
    "Arrivé à l'heure, a aidé un collègue à charger le camion.",
    "Difficulté à suivre le plan de taille, à reprendre ensemble.",
    "Bonne autonomie sur la tonte, travail soigné.",
    "Oubli des équipements de protection en début de journée.",
    "A expliqué le tri des déchets verts à un nouveau salarié.",
]


@dataclass(frozen=True)
class Size:
    employees: int
    teams: int
    days: int
    observations: int
    structures: int = 1


def default_size() -> Size:
    """The module's figures (read at call time: tests and benches shrink them)."""
    return Size(EMPLOYEES, TEAMS, DAYS, OBSERVATIONS)


def slug(n: int = 1) -> str:
    """The n-th reference structure's slug: « reference », then « reference-002 »..."""
    return SLUG if n == 1 else f"{SLUG}-{n:03d}"


def email(key: str, n: int = 1) -> str:
    return f"{key}@reference.example.org" if n == 1 else f"{key}.{n:03d}@reference.example.org"


def _batches(rows: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk(session: Session, model, rows: Iterator[dict]) -> int:
    count = 0
    for batch in _batches(rows):
        session.execute(insert(model), batch)
        count += len(batch)
    return count


def _accounts(
    session: Session, structure: Structure, n: int, password_hash: str, etis: int
) -> dict[str, list[Membership]]:
    fake = Faker("fr_FR")
    fake.seed_instance(2026 + n)
    plan = [(f"eti{i + 1:02d}", Role.ETI) for i in range(etis)]
    plan += [(f"cip{i + 1}", Role.CIP) for i in range(3)]
    plan += [("coordination", Role.COORDINATOR), ("direction", Role.DIRECTOR)]
    people: dict[str, list[Membership]] = {}
    for key, role in plan:
        user = User(
            email=email(key, n),
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            password_hash=password_hash,
        )
        m = Membership(structure_id=structure.id, user=user, roles=[role.value])
        session.add(m)
        people.setdefault(role.value, []).append(m)
    session.flush()
    return people


def _framework(session: Session, structure: Structure) -> tuple[Activity, list[uuid.UUID]]:
    activity = Activity(structure_id=structure.id, name="Espaces verts")
    framework = Framework(
        structure_id=structure.id,
        title="Ouvrier du paysage (référence)",
        family_key=f"ref-{uuid.uuid4()}",
    )
    session.add_all([activity, framework])
    session.flush()
    words = ["tondre", "tailler", "débroussailler", "planter", "désherber", "entretenir"]
    objects = ["une haie", "un massif", "une pelouse", "un talus", "du matériel", "un chantier"]
    comps = [
        Competency(
            structure_id=structure.id,
            framework_id=framework.id,
            position=i,
            number=i + 1,
            title=f"{w.capitalize()} {o} en sécurité",
            search_text=f"{w} {o} en securite",
        )
        for i, (w, o) in enumerate((w, o) for w in words for o in objects)
    ]
    session.add_all(comps)
    session.add(
        ActivityFramework(
            structure_id=structure.id, activity_id=activity.id, framework_id=framework.id
        )
    )
    session.flush()
    return activity, [c.id for c in comps]


def _teams(session, structure, activity, etis, count: int) -> list[Team]:
    teams = []
    for i in range(count):
        team = Team(structure_id=structure.id, name=f"Équipe {i + 1:02d}", activity_id=activity.id)
        team.supervisions.append(
            TeamSupervisor(structure_id=structure.id, membership_id=etis[i // 2 % len(etis)].id)
        )
        teams.append(team)
    session.add_all(teams)
    session.flush()
    return teams


def _employees(session, structure, teams, cips, start: date, size: Size) -> list[dict]:
    fake = Faker("fr_FR")
    fake.seed_instance(300)
    rows = []
    for i in range(size.employees):
        rows.append(
            {
                "id": uuid.uuid4(),
                "structure_id": structure.id,
                "last_name": fake.last_name(),
                "first_name": fake.first_name(),
                "birth_date": date(1970 + i % 35, 1 + i % 12, 1 + i % 28),
                "team_id": teams[i % len(teams)].id,
                "referent_id": cips[i % len(cips)].id,
                "entry_date": start,
                "version_id": 1,
                **_exit_of(i, start, size.days),
            }
        )
    _bulk(session, Employee, iter(rows))
    contracts = (
        {
            "id": uuid.uuid4(),
            "structure_id": structure.id,
            "employee_id": e["id"],
            "kind": "cddi",
            "start_date": start,
            "end_date": _contract_end(n, start, size.days),
            "weekly_hours": Decimal(26 if n % 3 else 35),
        }
        for n, e in enumerate(rows)
    )
    _bulk(session, Contract, contracts)
    _passes(session, structure, rows, start, size.days)
    return rows


def _contract_end(n: int, start: date, days: int) -> date:
    """One CDDI in eight ends within the coming 2 to 17 weeks; the others in a year."""
    today = start + timedelta(days=days)
    if n % 8 == 3:
        return today + timedelta(weeks=2 + n % 16)
    return today + timedelta(days=365)


def _passes(session, structure, employees, start: date, days: int) -> None:
    """A PASS of two years from the entry, its end spread over the coming 30 weeks; one in
    twenty-five suspended a month, one in forty prolonged six months."""
    today = start + timedelta(days=days)
    passes, suspensions, extensions = [], [], []
    for n, e in enumerate(employees):
        pass_id = uuid.uuid4()
        passes.append(
            {
                "id": pass_id,
                "structure_id": structure.id,
                "employee_id": e["id"],
                "number": f"99999{n:07d}",
                "start_date": start,
                "end_date": today + timedelta(days=(n * 13) % 210),
                "waiting_period_waived": False,
            }
        )
        decision = {"id": uuid.uuid4(), "structure_id": structure.id, "pass_id": pass_id}
        if n % 25 == 7:
            on = start + timedelta(days=days // 2)
            suspensions.append(
                decision | {"motif": "maladie", "start_date": on, "end_date": on + timedelta(29)}
            )
        if n % 40 == 11:
            extensions.append(
                decision | {"motif": "fin_formation", "months": 6, "decided_on": today}
            )
    _bulk(session, PassIae, iter(passes))
    _bulk(session, PassSuspension, iter(suspensions))
    _bulk(session, PassExtension, iter(extensions))


# One salarié in six has left, spread over the period and the four categories (the
# dashboard and the annual report have sorties to count).
EXIT_KINDS_CYCLE = [
    ("emploi_durable", "cdi"),
    ("emploi_transition", "cdd_moins_6m"),
    ("sortie_positive", "formation_qualifiante"),
    ("autre", "demandeur_emploi"),
]


def _exit_of(i: int, start: date, days: int) -> dict:
    if i % 6 != 5:
        return {"exit_date": None, "exit_kind": None, "exit_reason": None}
    kind, reason = EXIT_KINDS_CYCLE[(i // 6) % len(EXIT_KINDS_CYCLE)]
    day = min(start + timedelta(days=60 + (i * 7) % max(days - 60, 1)), date.today())
    return {"exit_date": day, "exit_kind": kind, "exit_reason": reason}


def _annexes(session: Session, structure: Structure, start: date, today: date) -> None:
    """An ACI annex for each calendar year of the period (80 ETP)."""
    for year in range(start.year, today.year + 1):
        session.add(
            FundingAnnex(
                structure_id=structure.id,
                kind="ACI",
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
                etp_conventioned=Decimal(80),
                target_dynamic_rate=Decimal("0.6"),
                target_durable_rate=Decimal("0.25"),
            )
        )


def _working_days(start: date, end: date) -> list[date]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def _attendance_rows(structure, employees, days, supervisors, rng) -> Iterator[dict]:
    now = datetime.now(UTC)
    for e in employees:
        daily = Decimal("5.20")
        for day in days:
            roll = rng.random()
            row = {
                "id": uuid.uuid4(),
                "structure_id": structure.id,
                "employee_id": e["id"],
                "team_id": e["team_id"],
                "day": day,
                "status": "present",
                "motif": None,
                "late_minutes": None,
                "hours_worked": daily,
                "marked_by_id": supervisors[e["team_id"]],
                "created_at": now,
                "updated_at": now,
            }
            if roll < 0.06:
                row |= {"status": "absent", "motif": rng.choice(MOTIFS), "hours_worked": 0}
            elif roll < 0.09:
                row |= {"status": "late", "late_minutes": 30, "hours_worked": Decimal("4.70")}
            elif roll < 0.11:
                row |= {"status": "left_early", "hours_worked": Decimal("3.50")}
            yield row


def _observation_rows(structure, employees, days, supervisors, comp_ids, rng, links, count):
    now = datetime.now(UTC)
    for n in range(count):
        e = employees[n % len(employees)]
        oid = uuid.uuid4()
        if n % 3 == 0:
            links.append(
                {
                    "id": uuid.uuid4(),
                    "structure_id": structure.id,
                    "observation_id": oid,
                    "competency_id": comp_ids[n % len(comp_ids)],
                }
            )
        yield {
            "id": oid,
            "structure_id": structure.id,
            "employee_id": e["id"],
            "author_id": supervisors[e["team_id"]],
            "team_id": e["team_id"],
            "observed_on": days[rng.randrange(len(days))],
            "text": TEXTS[n % len(TEXTS)],
            "tone": ("positive", "neutral", "vigilance")[n % 3],
            "sensitive": n % 20 == 0,
            "level_id": None,
            "created_at": now,
            "updated_at": now,
        }


def load_reference(
    session: Session, echo: Callable[[str], None] = print, size: Size | None = None
) -> Structure:
    """Create the reference structure(s) and their data (system scope, no commit); return the
    first one."""
    if tenancy.current_tenant(session) != tenancy.SYSTEM:
        raise RuntimeError("Le jeu de référence se charge en périmètre système.")
    if session.scalar(select(Structure).where(Structure.slug == SLUG)) is not None:
        raise RuntimeError("Le jeu de référence est déjà chargé (structure « reference »).")
    size = size or default_size()
    password_hash = hash_password(PASSWORD)
    structures = [
        _load_one(session, n, size, password_hash, echo) for n in range(1, size.structures + 1)
    ]
    session.execute(text("ANALYZE"))  # planner statistics after a bulk load
    return structures[0]


def _load_one(session: Session, n: int, size: Size, password_hash: str, echo) -> Structure:
    rng = random.Random(2026 + n)  # noqa: S311 - synthetic data, not security
    name = "Structure de référence" + ("" if n == 1 else f" n° {n}")
    structure = Structure(slug=slug(n), name=name, kind="ACI", city="Lyon")
    session.add(structure)
    session.flush()
    create_default_scale(session, structure.id)
    etis = max(1, size.teams // 2)  # two teams each
    people = _accounts(session, structure, n, password_hash, etis)
    activity, comp_ids = _framework(session, structure)
    teams = _teams(session, structure, activity, people["eti"], size.teams)
    supervisors = {t.id: t.supervisions[0].membership_id for t in teams}
    today = date.today()
    start = today - timedelta(days=size.days)
    employees = _employees(session, structure, teams, people["cip"], start, size)
    _annexes(session, structure, start, today)
    prefix = "" if size.structures == 1 else f"{structure.slug} : "
    echo(f"{prefix}{len(employees)} salariés dans {len(teams)} équipes.")
    days = _working_days(start, today - timedelta(days=1))  # today is left to mark
    n_att = _bulk(
        session, Attendance, _attendance_rows(structure, employees, days, supervisors, rng)
    )
    echo(f"{prefix}{n_att} présences sur {len(days)} jours ouvrés.")
    links: list[dict] = []
    rows = _observation_rows(
        structure, employees, days, supervisors, comp_ids, rng, links, size.observations
    )
    n_obs = _bulk(session, Observation, rows)
    _bulk(session, ObservationCompetency, iter(links))
    echo(f"{prefix}{n_obs} observations ({len(links)} citent une compétence).")
    return structure
