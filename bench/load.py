"""Closed-loop load on gunicorn, as in production: how the pages hold with 10, 50, 100 people.

A fresh PostgreSQL database (``BENCH_DATABASE_URL``, else a scratch one dropped at the end) is
migrated and filled with the reference set (``flask demo reference``, sizes passed through);
``flask dbrole setup`` prepares the application's role, which the servers connect as (under
row-level security). One or two gunicorn servers (``--servers 2``: same PostgreSQL, same
Redis) start on free local ports with ``SIAE_ENV=production``.

The script plays the TLS reverse proxy production has in front of gunicorn: it sends
``X-Forwarded-Proto: https`` and, per simulated person, ``X-Forwarded-For`` (the servers run
with ``PROXY_FIX_X_FOR=1``), and keeps each person's cookies itself, « Secure » ones included,
as a browser does over https. Nothing in the production settings is loosened.

Each simulated person signs in (direction with its second factor), then requests in a loop
the pages their role opens most, for ``--seconds`` at each level of ``--users``: 60 % ETI,
20 % CIP, 10 % coordination, 10 % direction; with two servers, each person alternates between
them. Printed: per page p50/p95/p99 (ms) and errors (status >= 400 or exception), the mixed
throughput, ``/healthz``'s throughput at the same concurrency and their ratio. Last line: JSON.

``python bench/load.py --users 10,50,100 --seconds 30 --workers 4 --servers 2``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
import pyotp  # noqa: E402

from bench.common import TINY, report  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
VENV_BIN = Path(sys.executable).parent
PASSWORD = "Reference-Perf-2026"
SLUG = "reference"
MIX = (("eti", 0.6), ("cip", 0.2), ("coordination", 0.1), ("direction", 0.1))


# ------------------------------------------------------------------ set-up


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Charge en boucle fermée sur gunicorn.")
    parser.add_argument("--users", default="2" if TINY else "10,50,100")
    parser.add_argument("--seconds", type=float, default=2 if TINY else 30)
    parser.add_argument("--workers", type=int, default=2 if TINY else 4)
    parser.add_argument("--servers", type=int, choices=(1, 2), default=1)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="garder la base créée (à réutiliser ensuite par BENCH_DATABASE_URL)",
    )
    for name in ("salaries", "equipes", "jours", "observations", "structures"):
        parser.add_argument(f"--{name}", type=int)
    args = parser.parse_args()
    if TINY:
        args.salaries, args.equipes, args.jours, args.observations = 12, 2, 10, 50
    return args


def services_answer() -> str | None:
    """Why the load cannot run here (no PostgreSQL, no Redis), or None."""
    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except psycopg.OperationalError:
        return "aucun PostgreSQL sur 127.0.0.1:5432"
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        return f"aucun Redis sur {REDIS}"
    return None


def admin(statement: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(statement)


def database() -> tuple[str, bool]:
    """The owner's URL, and whether this script made the database (and drops it)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        return given, False
    name = f"siae_bench_load_{os.getpid()}"
    admin(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{name}", True


def production_env(url: str, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "FLASK_RUN"))}
    env.update(
        FLASK_APP="wsgi",
        SIAE_ENV="production",
        DATABASE_URL=url,
        REDIS_URL=REDIS,
        JOBS_QUEUE=f"bench-load-{os.getpid()}",
        SECRET_KEY=secret,
        PUBLIC_BASE_URL="https://parcours.example.org",
        PROXY_FIX_X_FOR="1",
    )
    return env


def flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} : échec\n{done.stdout}\n{done.stderr}")
    return done.stdout


def already_loaded(owner_url: str) -> bool:
    with psycopg.connect(psycopg_url(owner_url)) as conn:
        found = conn.execute("SELECT to_regclass('public.structures')").fetchone()[0]
        if found is None:
            return False
        return conn.execute("SELECT 1 FROM structures WHERE slug = %s", (SLUG,)).fetchone()


def prepare(owner_url: str, env: dict, args) -> str:
    """Migrations, the reference set, the application's role; its URL."""
    start = time.perf_counter()
    flask(env, "db", "upgrade")
    if already_loaded(owner_url):
        forget_second_factor(owner_url)
    else:
        sizes = []
        for name in ("salaries", "equipes", "jours", "observations", "structures"):
            if getattr(args, name) is not None:
                sizes += [f"--{name}", str(getattr(args, name))]
        out = flask(env, "demo", "reference", *sizes)
        print(out.strip().splitlines()[0] if out.strip() else "")
    role = owner_url.rsplit("/", 1)[-1].split("?")[0] + "_app"
    flask(env, "dbrole", "setup", role)
    print(f"Base prête en {time.perf_counter() - start:.0f} s (rôle applicatif {role}).")
    head, tail = owner_url.split("://", 1)
    return f"{head}://{role}@{tail.split('@', 1)[1]}"


def forget_second_factor(owner_url: str) -> None:
    """A database kept from an earlier run (``--keep``): direction enrols again, as the
    script does not know the secret it chose then."""
    with psycopg.connect(psycopg_url(owner_url)) as conn:
        users = "SELECT id FROM users WHERE email LIKE 'direction%%@reference.example.org'"
        conn.execute(f"DELETE FROM trusted_devices WHERE user_id IN ({users})")
        conn.execute(
            "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, "
            f"totp_last_step = NULL, recovery_code_hashes = NULL WHERE id IN ({users})"
        )


def observations(owner_url: str) -> int:
    with psycopg.connect(psycopg_url(owner_url)) as conn:
        return conn.execute("SELECT count(*) FROM observations").fetchone()[0]


def psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_servers(servers: list, env: dict, count: int, workers: int) -> None:
    """Start ``count`` gunicorn servers into ``servers`` (so that the caller stops those
    started even when one fails), then wait for their /healthz."""
    for _ in range(count):
        port = free_port()
        proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            env=env,
            cwd=ROOT,
        )
        servers.append((proc, f"http://127.0.0.1:{port}"))
    for proc, base in servers:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn ({base}) s'est arrêté au démarrage.")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn ({base}) ne répond pas sur /healthz.")
            time.sleep(0.3)


def stop_servers(servers) -> None:
    for proc, _ in servers:
        proc.terminate()
    for proc, _ in servers:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------ what each role opens


@dataclass
class Targets:
    """Ids the pages need, read as the owner before the load."""

    teams_of: dict[str, list[str]]  # ETI e-mail -> the teams they supervise
    employees_of_team: dict[str, list[str]]  # team -> salariés still in their parcours
    employees: list[str]
    teams: list[str]

    @classmethod
    def of(cls, teams_of: dict, employees_of_team: dict) -> Targets:
        return cls(
            teams_of=dict(teams_of),
            employees_of_team=dict(employees_of_team),
            employees=[e for es in employees_of_team.values() for e in es],
            teams=sorted({t for ts in teams_of.values() for t in ts}),
        )


def targets(owner_url: str) -> Targets:
    with psycopg.connect(psycopg_url(owner_url)) as conn:
        sid = conn.execute("SELECT id FROM structures WHERE slug = %s", (SLUG,)).fetchone()[0]
        teams_of: dict[str, list[str]] = defaultdict(list)
        for email, team in conn.execute(
            "SELECT u.email, ts.team_id FROM team_supervisors ts "
            "JOIN memberships m ON m.id = ts.membership_id JOIN users u ON u.id = m.user_id "
            "WHERE ts.structure_id = %s ORDER BY ts.team_id",
            (sid,),
        ):
            teams_of[email].append(str(team))
        employees_of_team: dict[str, list[str]] = defaultdict(list)
        for employee, team in conn.execute(
            "SELECT id, team_id FROM employees WHERE structure_id = %s AND exit_date IS NULL "
            "ORDER BY last_name, id",
            (sid,),
        ):
            employees_of_team[str(team)].append(str(employee))
    return Targets.of(teams_of, employees_of_team)


def accounts(where: Targets) -> dict[str, list[str]]:
    etis = sorted(where.teams_of)
    return {
        "eti": etis,
        "cip": [f"cip{i}@reference.example.org" for i in (1, 2, 3)],
        "coordination": ["coordination@reference.example.org"],
        "direction": ["direction@reference.example.org"],
    }


def pages(role: str, email: str, n: int, where: Targets) -> list[tuple]:
    """(label, method, path[, form, htmx]): what this person opens, in their order (a POST's
    fields from ``form(turn)``). ``n`` varies the team or salarié between people of one
    account. The ETI marks one of their team present (the hours change at each turn): every
    mark is a change of the structure's data, as all morning on the chantiers."""
    s = f"/s/{SLUG}"
    if role == "eti":
        teams = where.teams_of[email]
        team = teams[n % len(teams)]
        employees = where.employees_of_team.get(team) or where.employees
        employee = employees[n % len(employees)]
        return [
            ("ETI Aujourd'hui", "GET", f"{s}/presences/"),
            ("ETI appel d'une équipe", "GET", f"{s}/presences/equipes/{team}"),
            (
                "ETI pointage (POST htmx)",
                "POST",
                f"{s}/presences/equipes/{team}/marquer",
                lambda turn: {
                    "record_id": str(uuid.uuid4()),
                    "employee_id": employee,
                    "status": "present",
                    "hours_worked": "7" if turn % 2 else "6.5",  # each mark a change
                },
                True,
            ),
            (
                "ETI observation (POST)",
                "POST",
                f"{s}/salaries/{employee}/observations",
                lambda _turn: {
                    "record_id": str(uuid.uuid4()),
                    "text": "A chargé le camion avec soin, consignes respectées.",
                    "tone": "positive",
                },
            ),
            ("ETI page d'équipe", "GET", f"{s}/equipes/{team}"),
        ]
    if role == "cip":
        employee = where.employees[(n * 7) % len(where.employees)]
        return [
            ("CIP liste des salariés", "GET", f"{s}/salaries/"),
            ("CIP dossier d'un salarié", "GET", f"{s}/salaries/{employee}"),
            ("CIP alertes", "GET", f"{s}/alertes/"),
        ]
    if role == "coordination":
        team = where.teams[n % len(where.teams)]
        return [
            ("Coordination grille du mois", "GET", f"{s}/presences/grille?equipe={team}"),
            ("Coordination pilotage", "GET", f"{s}/pilotage"),
        ]
    return [("Direction tableau de bord", "GET", f"{s}/pilotage")]


# ------------------------------------------------------------------ one simulated person


CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
SECRET = re.compile(r"data-secret>([A-Z2-7 ]+)<")
TRUSTED = "siae_appareil_de_confiance"


class Person:
    """A browser behind the https proxy: its own cookies (Secure ones too) and address."""

    def __init__(self, role: str, email: str, plan, bases: list[str], ip: str):
        self.role, self.email, self.plan, self.bases = role, email, plan, bases
        self.ip = ip
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.turn = 0
        self.client = httpx.Client(timeout=120, follow_redirects=False)

    def base(self) -> str:
        """Two servers: every request goes to the other one."""
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def send(
        self, method: str, path: str, data: dict | None = None, extra: dict | None = None
    ) -> httpx.Response:
        base = self.base()
        headers = {
            "X-Forwarded-For": self.ip,
            "X-Forwarded-Proto": "https",
            "User-Agent": "Mozilla/5.0 (bench/load.py)",
            "Accept-Encoding": "br, gzip",
            **(extra or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            # Flask-WTF checks the Referer of https requests against the host.
            headers["Referer"] = f"https://{base.split('://', 1)[1]}{path}"
            if self.csrf:
                headers["X-CSRFToken"] = self.csrf
        answer = self.client.request(method, base + path, headers=headers, data=data)
        self.keep_cookies(answer)
        return answer

    def keep_cookies(self, answer: httpx.Response) -> None:
        for line in answer.headers.get_list("set-cookie"):
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def form_page(self, path: str) -> str:
        """A page with a form: its CSRF token (the session changes along sign-in)."""
        page = self.send("GET", path).text
        found = CSRF_INPUT.search(page)
        if found:
            self.csrf = found.group(1)
        return page

    def signed_in_home(self) -> None:
        home = self.send("GET", f"/s/{SLUG}/")
        found = CSRF_HEADER.search(home.text)
        if home.status_code != 200 or not found:
            raise RuntimeError(f"{self.email} : accueil {home.status_code}")
        self.csrf = found.group(1)

    def password(self) -> str:
        self.form_page("/connexion")
        answer = self.send("POST", "/connexion", {"email": self.email, "password": PASSWORD})
        if answer.status_code not in (302, 303):
            raise RuntimeError(f"connexion de {self.email} en échec ({answer.status_code})")
        return answer.headers.get("location", "")

    def sign_in(self, trusted: str | None = None) -> str | None:
        """Password, then direction's second factor; the TOTP secret when it enrolled."""
        if trusted:
            self.cookies[TRUSTED] = trusted
        where = self.password()
        secret = None
        if "/connexion/activer-double-authentification" in where:
            page = self.form_page("/connexion/activer-double-authentification")
            secret = SECRET.search(page).group(1).replace(" ", "")
            code = pyotp.TOTP(secret).now()
            self.send("POST", "/connexion/activer-double-authentification", {"code": code})
            answer = self.send("POST", "/connexion/codes-notes")
            if answer.status_code not in (302, 303):
                raise RuntimeError(f"enrôlement de {self.email} en échec ({answer.status_code})")
        elif "/connexion/code" in where:
            raise RuntimeError("code demandé sans secret connu")
        self.signed_in_home()
        return secret

    def second_code(self, secret: str) -> str:
        """A second direction session: the code of the next step (the enrolment used this
        one), « se souvenir de cet appareil »; the trusted-device cookie for the others."""
        self.password()
        self.form_page("/connexion/code")
        code = pyotp.TOTP(secret).at(time.time() + 30)
        answer = self.send("POST", "/connexion/code", {"code": code, "remember": "y"})
        if answer.status_code not in (302, 303) or TRUSTED not in self.cookies:
            raise RuntimeError(f"code de {self.email} refusé ({answer.status_code})")
        self.signed_in_home()
        return self.cookies[TRUSTED]

    def step(
        self, label: str, method: str, path: str, form=None, fragment: bool = False
    ) -> tuple[str, float, str | None]:
        """One request: ``form(turn)`` gives a POST's fields; ``fragment``: sent by htmx.
        The failure, if any: the status, the exception, or the sign-in page."""
        data = form(self.turn) if form else None
        start = time.perf_counter()
        failed = None
        try:
            answer = self.send(method, path, data, {"HX-Request": "true"} if fragment else None)
            if answer.status_code >= 400:
                failed = str(answer.status_code)
            elif "/connexion" in answer.headers.get("location", ""):
                failed = "renvoi à la connexion"  # the session was lost: as bad as an error
        except httpx.HTTPError as exc:
            failed = type(exc).__name__
        return label, (time.perf_counter() - start) * 1000, failed


def shares(total: int) -> dict[str, int]:
    """How many people of each role among ``total``: the mix's shares, rounded by largest
    remainder (2 → 1 ETI and 1 CIP; 10 → 6, 2, 1, 1; 100 → 60, 20, 10, 10)."""
    exact = {role: total * share for role, share in MIX}
    counts = {role: int(value) for role, value in exact.items()}
    by_remainder = sorted(MIX, key=lambda item: counts[item[0]] - exact[item[0]])
    for role, _ in by_remainder[: total - sum(counts.values())]:
        counts[role] += 1
    return counts


def people(total: int, where: Targets, bases: list[str]) -> list[Person]:
    """``total`` people in the mix's shares, spread over each role's accounts."""
    run = secrets.randbelow(200) + 20  # fresh addresses: the per-IP limit starts from zero
    by_role = accounts(where)
    crowd: list[Person] = []
    for role, count in shares(total).items():
        for n in range(count):
            email = by_role[role][n % len(by_role[role])]
            ip = f"10.{run}.{len(crowd) // 250}.{len(crowd) % 250 + 1}"
            crowd.append(Person(role, email, pages(role, email, n, where), bases, ip))
    return crowd


def people_of(crowd: list[Person], n: int) -> list[Person]:
    """The ``n`` people of a level: each role's first ones, in the mix's shares."""
    chosen = []
    for role, count in shares(n).items():
        chosen += [p for p in crowd if p.role == role][:count]
    return chosen


def sign_everyone_in(crowd: list[Person]) -> None:
    """Sequentially: the direction account enrols once, then trusts one device."""
    secret = trusted = None
    for person in crowd:
        if person.role != "direction":
            person.sign_in()
        elif secret is None:
            secret = person.sign_in()
        elif trusted is None:
            trusted = person.second_code(secret)
        else:
            person.sign_in(trusted)


# ------------------------------------------------------------------ the closed loop


@dataclass
class Outcome:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    count: int = 0
    seconds: float = 0.0  # until the last answer (requests sent before the end finish)


def closed_loop(crowd: list[Person], seconds: float, healthz: bool = False) -> Outcome:
    outcome = Outcome()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(person: Person) -> None:
        mine: list[tuple[str, float, str | None]] = []
        i = 0
        while time.monotonic() < stop:
            if healthz:
                mine.append(person.step("/healthz", "GET", "/healthz"))
            else:
                mine.append(person.step(*person.plan[i % len(person.plan)]))
            i += 1
        with lock:
            for label, ms, failed in mine:
                outcome.samples[label].append(ms)
                outcome.count += 1
                if failed:
                    outcome.errors[label] += 1
                    outcome.reasons[(label, failed)] += 1

    threads = [threading.Thread(target=run, args=(p,)) for p in crowd]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.seconds = time.monotonic() - start
    return outcome


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def level(crowd: list[Person], seconds: float) -> dict:
    mixed = closed_loop(crowd, seconds)
    health = closed_loop(crowd, seconds, healthz=True)
    print(f"\n== {len(crowd)} personnes, {seconds:.0f} s")
    print(f"{'page':<30} {'req.':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'err.':>5}")
    worst_p95 = 0.0
    for label in sorted(mixed.samples):
        values = mixed.samples[label]
        p50, p95, p99 = (percentile(values, q) for q in (50, 95, 99))
        worst_p95 = max(worst_p95, p95)
        print(
            f"{label:<30} {len(values):>6} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} "
            f"{mixed.errors[label]:>5}"
        )
    rps, health_rps = mixed.count / mixed.seconds, health.count / health.seconds
    errors = sum(mixed.errors.values())
    ratio = rps / health_rps if health_rps else 0.0
    print(
        f"Débit mixte : {rps:.1f} req/s ; /healthz : {health_rps:.1f} req/s ; "
        f"rapport {ratio:.3f} ; erreurs {errors} (/healthz : {sum(health.errors.values())})"
    )
    for (label, why), times in sorted({**mixed.reasons, **health.reasons}.items()):
        print(f"  erreur {label} : {why} × {times}")
    posted = [label for label in mixed.samples if label.endswith("(POST)")]
    return {
        "posted": sum(len(mixed.samples[k]) - mixed.errors[k] for k in posted),
        "rps": round(rps, 1),
        "healthz_rps": round(health_rps, 1),
        "mixed_over_healthz": round(ratio, 3),
        "errors": errors + sum(health.errors.values()),
        "worst_p95_ms": round(worst_p95),
    }


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # each level as it ends, even into a file
    args = options()
    why = services_answer()
    if why:
        print(f"Charge non mesurée : {why}.")
        report("load", None, {"skipped": why})
        return 0
    owner_url, made = database()
    secret = secrets.token_urlsafe(48)
    servers: list = []
    try:
        app_url = prepare(owner_url, production_env(owner_url, secret), args)
        start_servers(servers, production_env(app_url, secret), args.servers, args.workers)
        bases = [base for _, base in servers]
        print(
            f"{args.servers} serveur(s) gunicorn × {args.workers} workers sync "
            f"({', '.join(bases)}), PostgreSQL {PG['host']}:{PG['port']} "
            f"(rôle applicatif, RLS), Redis {REDIS}"
        )
        where = targets(owner_url)
        levels = [int(n) for n in args.users.split(",")]
        crowd = people(max(levels), where, bases)
        before = observations(owner_url)
        start = time.perf_counter()
        sign_everyone_in(crowd)
        print(f"{len(crowd)} connexions en {time.perf_counter() - start:.1f} s")
        results = {}
        for n in levels:
            results[str(n)] = level(people_of(crowd, n), args.seconds)
        written = observations(owner_url) - before
        posted = sum(r.pop("posted") for r in results.values())
        print(f"Observations enregistrées : {written} (POST réussis : {posted})")
    finally:
        stop_servers(servers)
        if made and args.keep:
            print(f"Base gardée : BENCH_DATABASE_URL={owner_url}")
        elif made:
            name = owner_url.rsplit("/", 1)[-1]
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            with contextlib.suppress(psycopg.Error):
                admin(f'DROP ROLE IF EXISTS "{name}_app"')
    report(
        "load",
        owner_url,
        {
            "servers": args.servers,
            "workers": args.workers,
            "seconds": args.seconds,
            "levels": results,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
