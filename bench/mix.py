"""Benchmark: what a request of the load's mix costs in the process, against a bare page.

    .venv/bin/python bench/mix.py                     # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/siae_bench \\
        .venv/bin/python bench/mix.py                 # an existing, empty PostgreSQL base

bench/load.py measures the mix on gunicorn; on a small shared machine its throughputs move
with the neighbours by ±10 %. This script runs the same people's pages (``load.pages``: the
ETI's « Aujourd'hui », roll call, mark, observation and team page; the CIP's list, a file,
the alerts; the coordination's month grid and dashboard; the direction's dashboard) in their
order, through the test client, one person of each role, round after round: each page's
median, and the mean of the mix weighted as the load's closed loop sends them (a role's
share of the people over the length of its round), against the bare signed-in page
``/s/<slug>/mesure`` (bench/chantier.py) and ``GET /healthz``. The marks and observations
are committed as they would be, so the pages after them meet what a roll call leaves.
Loads the reference set (300 salariés, 20 teams, 2 years of marks, 200,000 observations by
default: the load's). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench import chantier  # noqa: E402, F401  (adds the bare page /mesure)
from bench.common import (  # noqa: E402
    TINY,
    apps,
    database_url,
    load_reference_set,
    report,
    runs,
    say_database,
    sign_in,
)
from bench.load import CSRF_HEADER, MIX, Targets, pages  # noqa: E402
from siae_app.demo.reference import PASSWORD, SLUG, Size, email  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.models import Employee, Membership, TeamSupervisor, User  # noqa: E402
from siae_app.services.funding import figures_cache  # noqa: E402

RUNS = runs(15)


def arguments() -> Size:
    parser = argparse.ArgumentParser(description="Coût des pages du mélange de la charge.")
    parser.add_argument("--salaries", type=int, default=40 if TINY else 300)
    parser.add_argument("--equipes", type=int, default=4 if TINY else 20)
    parser.add_argument("--jours", type=int, default=10 if TINY else 730)
    parser.add_argument("--observations", type=int, default=300 if TINY else 200_000)
    a = parser.parse_args()
    return Size(a.salaries, a.equipes, a.jours, a.observations)


def targets(session) -> Targets:
    """What bench/load.py's ``targets`` reads, through the ORM (SQLite too)."""
    teams_of: dict[str, list[str]] = defaultdict(list)
    for mail, team in session.execute(
        select(User.email, TeamSupervisor.team_id)
        .join(Membership, Membership.id == TeamSupervisor.membership_id)
        .join(User, User.id == Membership.user_id)
        .order_by(TeamSupervisor.team_id)
    ):
        teams_of[mail].append(str(team))
    employees_of_team: dict[str, list[str]] = defaultdict(list)
    for employee, team in session.execute(
        select(Employee.id, Employee.team_id)
        .where(Employee.exit_date.is_(None))
        .order_by(Employee.last_name, Employee.id)
    ):
        employees_of_team[str(team)].append(str(employee))
    return Targets.of(teams_of, employees_of_team)


def prepare(owner, size: Size) -> Targets:
    with owner.app_context():
        load_reference_set(owner, size)
        found = targets(db.session)
        db.session.remove()
        return found


class Person:
    """One signed-in person of a role, sending their round of pages as bench/load.py does."""

    def __init__(self, app, role: str, mail: str, where: Targets):
        self.role, self.turn = role, 0
        self.client = app.test_client()
        sign_in(self.client, mail, PASSWORD)
        home = self.client.get(f"/s/{SLUG}/").get_data(as_text=True)
        self.csrf = CSRF_HEADER.search(home).group(1)
        self.plan = pages(role, mail, 0, where)

    def send(self, method: str, path: str, form=None, fragment: bool = False):
        headers = {"X-CSRFToken": self.csrf}
        if fragment:
            headers["HX-Request"] = "true"
        data = form(self.turn) if form else None
        answer = self.client.open(path, method=method, data=data, headers=headers)
        assert answer.status_code in (200, 303), (path, answer.status_code)
        answer.get_data()


def weights(people: list[Person]) -> dict[str, float]:
    """Each page's share of the load's requests: in a closed loop every person sends about
    as many, so a page weighs its role's share of the people over the length of its round."""
    share = dict(MIX)
    return {label: share[p.role] / len(p.plan) for p in people for (label, *_) in p.plan}


def main() -> None:
    size = arguments()
    url = database_url()
    owner, app = apps(url, FIGURES_CACHE="memory")
    owner.extensions[figures_cache.EXTENSION] = app.extensions[figures_cache.EXTENSION]
    started = time.perf_counter()
    where = prepare(owner, size)
    print(
        f"Jeu de référence ({size.employees} salariés, {size.teams} équipes, {size.days} jours) "
        f"chargé en {time.perf_counter() - started:.0f} s"
    )
    eti = min(where.teams_of)  # the first ETI by address that supervises a team
    people = [
        Person(app, role, mail, where)
        for role, mail in (
            ("eti", eti),
            ("cip", email("cip1")),
            ("coordination", email("coordination")),
            ("direction", email("direction")),
        )
    ]
    bare = people[0]
    healthz = app.test_client()
    samples: dict[str, list[float]] = defaultdict(list)
    for round_ in range(RUNS + 1):  # round 0 warms up
        for person in people:
            for label, method, path, *rest in person.plan:
                start = time.perf_counter()
                person.send(method, path, *rest)
                if round_:
                    samples[label].append((time.perf_counter() - start) * 1000)
            person.turn += 1
        for label, send in (
            ("page nue", lambda: bare.send("GET", f"/s/{SLUG}/mesure")),
            ("/healthz", lambda: healthz.get("/healthz").get_data()),
        ):
            start = time.perf_counter()
            send()
            if round_:
                samples[label].append((time.perf_counter() - start) * 1000)
    medians = {label: statistics.median(values) for label, values in samples.items()}
    say_database(app, RUNS)
    base, health = medians.pop("page nue"), medians.pop("/healthz")
    share = weights(people)
    mean = sum(medians[label] * w for label, w in share.items()) / sum(share.values())
    print(f"{'page':<30} {'ms':>7} {'/ page nue':>11} {'part':>6}")
    for label in sorted(medians):
        print(
            f"{label:<30} {medians[label]:>7.1f} {medians[label] / base:>10.1f}× "
            f"{share[label] / sum(share.values()):>6.1%}"
        )
    print(f"{'page nue':<30} {base:>7.1f} {1:>10.1f}×")
    print(f"{'/healthz':<30} {health:>7.1f} {health / base:>10.1f}×")
    print(
        f"Mélange pondéré : {mean:.1f} ms, {mean / base:.1f}× la page nue, "
        f"{mean / health:.1f}× /healthz (dans le processus, sans serveur ni client)"
    )
    report(
        "mix",
        url,
        {
            "salaries": size.employees,
            "weighted_ms": round(mean, 2),
            "bare_page_ms": round(base, 2),
            "healthz_ms": round(health, 2),
            "weighted_over_bare_page": round(mean / base, 2),
            "weighted_over_healthz": round(mean / health, 2),
            "pages_ms": {label: round(ms, 2) for label, ms in sorted(medians.items())},
        },
    )


if __name__ == "__main__":
    main()
