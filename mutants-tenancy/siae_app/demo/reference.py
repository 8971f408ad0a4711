"""The reference data set for performance measures (bench/): one structure with 300
salariés in 20 teams, two years of attendance and 200,000 observations.

Rows go in with bulk ``insert`` statements in batches (no ORM objects per row), so the set
loads in a few minutes on SQLite and PostgreSQL. Deterministic (seeded); refuses to load twice.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
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
ETIS = 10  # two teams each
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


def email(key: str) -> str:
    return f"{key}@reference.example.org"


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


def _accounts(session: Session, structure: Structure) -> dict[str, list[Membership]]:
    password_hash = hash_password(PASSWORD)
    fake = Faker("fr_FR")
    fake.seed_instance(2026)
    plan = [(f"eti{i + 1:02d}", Role.ETI) for i in range(ETIS)]
    plan += [(f"cip{i + 1}", Role.CIP) for i in range(3)]
    plan += [("coordination", Role.COORDINATOR), ("direction", Role.DIRECTOR)]
    people: dict[str, list[Membership]] = {}
    for key, role in plan:
        user = User(
            email=email(key),
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


def _teams(session, structure, activity, etis) -> list[Team]:
    teams = []
    for i in range(TEAMS):
        team = Team(structure_id=structure.id, name=f"Équipe {i + 1:02d}", activity_id=activity.id)
        team.supervisions.append(
            TeamSupervisor(structure_id=structure.id, membership_id=etis[i // 2 % len(etis)].id)
        )
        teams.append(team)
    session.add_all(teams)
    session.flush()
    return teams


def _employees(session, structure, teams, cips, start: date) -> list[dict]:
    fake = Faker("fr_FR")
    fake.seed_instance(300)
    rows = []
    for i in range(EMPLOYEES):
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
                **_exit_of(i, start),
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
            "end_date": start + timedelta(days=DAYS + 365),
            "weekly_hours": Decimal(26 if n % 3 else 35),
        }
        for n, e in enumerate(rows)
    )
    _bulk(session, Contract, contracts)
    return rows


# One salarié in six has left, spread over the period and the four categories (the
# dashboard and the annual report have sorties to count).
EXIT_KINDS_CYCLE = [
    ("emploi_durable", "cdi"),
    ("emploi_transition", "cdd_moins_6m"),
    ("sortie_positive", "formation_qualifiante"),
    ("autre", "demandeur_emploi"),
]


def _exit_of(i: int, start: date) -> dict:
    if i % 6 != 5:
        return {"exit_date": None, "exit_kind": None, "exit_reason": None}
    kind, reason = EXIT_KINDS_CYCLE[(i // 6) % len(EXIT_KINDS_CYCLE)]
    day = min(start + timedelta(days=60 + (i * 7) % max(DAYS - 60, 1)), date.today())
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


def _observation_rows(structure, employees, days, supervisors, comp_ids, rng, links):
    now = datetime.now(UTC)
    for n in range(OBSERVATIONS):
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


def load_reference(session: Session, echo: Callable[[str], None] = print) -> Structure:
    """Create the reference structure and its data (system scope, no commit)."""
    if tenancy.current_tenant(session) != tenancy.SYSTEM:
        raise RuntimeError("Le jeu de référence se charge en périmètre système.")
    if session.scalar(select(Structure).where(Structure.slug == SLUG)) is not None:
        raise RuntimeError("Le jeu de référence est déjà chargé (structure « reference »).")
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    structure = Structure(slug=SLUG, name="Structure de référence", kind="ACI", city="Lyon")
    session.add(structure)
    session.flush()
    create_default_scale(session, structure.id)
    people = _accounts(session, structure)
    activity, comp_ids = _framework(session, structure)
    teams = _teams(session, structure, activity, people["eti"])
    supervisors = {t.id: t.supervisions[0].membership_id for t in teams}
    today = date.today()
    start = today - timedelta(days=DAYS)
    employees = _employees(session, structure, teams, people["cip"], start)
    _annexes(session, structure, start, today)
    echo(f"{len(employees)} salariés dans {len(teams)} équipes.")
    days = _working_days(start, today - timedelta(days=1))  # today is left to mark
    n = _bulk(session, Attendance, _attendance_rows(structure, employees, days, supervisors, rng))
    echo(f"{n} présences sur {len(days)} jours ouvrés.")
    links: list[dict] = []
    rows = _observation_rows(structure, employees, days, supervisors, comp_ids, rng, links)
    n = _bulk(session, Observation, rows)
    _bulk(session, ObservationCompetency, iter(links))
    echo(f"{n} observations ({len(links)} citent une compétence).")
    session.execute(text("ANALYZE"))  # planner statistics after a bulk load
    return structure
