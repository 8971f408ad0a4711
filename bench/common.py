"""What every benchmark script shares: where it measures, how many runs, how it reports.

- ``BENCH_DATABASE_URL``: an existing, empty database to measure (``make bench`` makes one per
  script on PostgreSQL when a server answers); else SQLite in a temporary file.
- ``BENCH_RUNS``: samples per measure (each script has its default).
- ``BENCH_TINY=1``: a tiny data set and one run, so that the test suite runs every script to its
  end (tests/test_bench.py) without measuring anything.

On PostgreSQL a script loads its data through the owner's URL (migrations, ``flask dbrole
setup``, cross-structure loading) and measures through a second app connected as the
application's role ``<database>_app``, as production does: no BYPASSRLS, so row-level security
applies to every measured request (``apps``). On SQLite both are the same app.

Each script ends with one JSON line: ``{"bench": <script>, "database": "sqlite"|"postgresql",
…ratios…}``. Machines here are noisy: only ratios mean something.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TINY = os.environ.get("BENCH_TINY") == "1"


def runs(default: int) -> int:
    return 1 if TINY else int(os.environ.get("BENCH_RUNS", str(default)))


def size(default: int, tiny: int) -> int:
    return tiny if TINY else default


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"


def database_kind(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def app_config(url: str, **overrides) -> dict:
    from config.settings import TestConfig

    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    # Static file versions remembered as in production (the tests look at every edit).
    cfg.update(SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False, STATIC_RECHECK_SECONDS=2.0)
    cfg.update(overrides)
    return cfg


def app_role(url: str) -> str | None:
    """The application's role of a PostgreSQL database (``<database>_app``, as ``flask dbrole
    setup`` is run by ``migrate``), None on SQLite."""
    if database_kind(url) != "postgresql":
        return None
    return url.rsplit("/", 1)[-1].split("?")[0] + "_app"


def app_role_url(url: str) -> str:
    """The URL the measured requests use: the owner's one with the application's role as user
    (local trust authentication, as tests/site.py), unchanged on SQLite."""
    role = app_role(url)
    if role is None:
        return url
    head, tail = url.split("://", 1)
    return f"{head}://{role}@{tail.split('@', 1)[-1]}"


def apps(url: str, **overrides):
    """(loading app, measured app) with the same settings: the first connects as the owner of
    the tables, the second as the application's role (PostgreSQL); one app on SQLite. The
    measured one must not be used before ``migrate`` has run on the first. The garbage
    collector is tuned as in a served worker."""
    from siae_app import collector, create_app

    owner = create_app(app_config(url, **overrides))
    measured = owner
    if database_kind(url) == "postgresql":
        measured = create_app(app_config(app_role_url(url), **overrides))
    collector.tune()  # the garbage collector as a served worker runs it (wsgi.py)
    return owner, measured


def check_restricted(app) -> None:
    """On PostgreSQL, refuse to measure through a role that row-level security does not
    restrict (superuser, BYPASSRLS, owner of the tables): the figures would not be production's."""
    from siae_app import tenancy
    from siae_app.extensions import db

    if database_kind(app.config["SQLALCHEMY_DATABASE_URI"]) != "postgresql":
        return
    with app.app_context():
        try:
            tenancy.activate_system_checked(db.session)
        except tenancy.SystemRoleRequiredError:
            return
        finally:
            db.session.remove()
    raise AssertionError("le rôle mesuré échappe à la RLS : ce ne serait pas la production")


def migrate(app) -> None:
    """Inside an app context: the migrations, then on PostgreSQL the application's role and the
    signing key (``flask dbrole setup``), as in production: without the key nobody signs in."""
    from flask_migrate import upgrade

    upgrade()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    role = app_role(url)
    if role is not None:
        done = app.test_cli_runner().invoke(args=["dbrole", "setup", role])
        assert done.exit_code == 0, done.output


def load_reference_set(app, size=None) -> None:
    """Inside an app context: the migrations (``migrate``), then the reference set
    (``flask demo reference``; ``size``: a ``reference.Size``, else its defaults) committed."""
    from siae_app import tenancy
    from siae_app.demo.reference import load_reference
    from siae_app.extensions import db

    migrate(app)
    tenancy.activate_system(db.session)
    load_reference(db.session, echo=lambda _m: None, size=size)
    db.session.commit()


def median_ms(fn: Callable[[], object], count: int) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def say_database(app, count: int) -> None:
    """Which database and role the measured ``app`` used; on PostgreSQL, checks the role is
    one that row-level security restricts (``check_restricted``)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    check_restricted(app)
    where = url.split("@")[-1]
    user = url.split("://", 1)[-1].split("@")[0] if "@" in url else ""
    who = f", rôle applicatif {user}, sous RLS" if database_kind(url) == "postgresql" else ""
    print(f"Base mesurée : {database_kind(url)} ({where}){who}, {count} mesure(s), médianes")


def report(bench: str, url: str | None, values: dict) -> None:
    """The script's last line: what it measured, on which database."""
    line = {"bench": bench, "database": database_kind(url) if url else None, **values}
    print(json.dumps(line, ensure_ascii=False))


def sign_in(client, email: str, password: str):
    """Sign in as a person would, the second factor included: a direction account enrols at
    its first sign-in (the key shown on the page, a code from it, the recovery codes noted)."""
    answer = client.post("/connexion", data={"email": email, "password": password})
    assert answer.status_code in (302, 303), "connexion en échec"
    if "/connexion/activer-double-authentification" not in answer.headers.get("Location", ""):
        return answer
    page = client.get("/connexion/activer-double-authentification").get_data(as_text=True)
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    code = pyotp.TOTP(secret).now()
    client.post("/connexion/activer-double-authentification", data={"code": code})
    answer = client.post("/connexion/codes-notes")
    assert answer.status_code in (302, 303), "double authentification en échec"
    return answer


def eti_first_team(session):
    """The reference structure's ETI « eti01 » and their first team by name (system scope):
    the team whose screens the benches measure."""
    from sqlalchemy import select

    from siae_app.demo.reference import email
    from siae_app.models import Membership, Team, TeamSupervisor, User

    eti = session.scalar(select(Membership).join(User).where(User.email == email("eti01")))
    return session.scalar(
        select(Team)
        .join(TeamSupervisor, TeamSupervisor.team_id == Team.id)
        .where(TeamSupervisor.membership_id == eti.id)
        .order_by(Team.name)
    )
