"""Dump what users and the database see, to prove that a refactoring changed none of it.

    .venv/bin/python scripts/dump_surface.py DATABASE_URL OUT_DIR

DATABASE_URL is an existing database, migrated (``flask db upgrade``) and loaded with the demo
(``flask demo load``). Run the code before the change on one copy of it and the code after on
another copy: the ids are then the same on both sides, and ``diff -r`` of the two OUT_DIRs shows
what changed. Written:

- ``routes.txt``: every rule with its endpoint, methods and required permission;
- ``schema.txt``: tables, columns (type, nullability, default), indexes, unique and foreign keys;
- ``pages/<account>/<nnn>.html``: the pages each demo account of the first structure reaches by
  following the links of its pages (GET only, breadth first), with what differs from one run
  to the next blanked: CSRF tokens, clock times, static file versions.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import inspect  # noqa: E402

from config.settings import TestConfig  # noqa: E402
from siae_app import create_app  # noqa: E402
from siae_app.extensions import db  # noqa: E402
from siae_app.services.passwords import DEMO_PASSWORD  # noqa: E402

SLUG = "jardins-du-val"
ACCOUNTS = ("eti", "cip", "coordination", "direction", "admin")
MAX_PAGES = 120
LINK = re.compile(r'(?:href|hx-get)="([^"#]+)"')
# What changes between two runs of the same code on the same data.
BLANKS = [
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]+'), r"\1…"),
    (re.compile(r'("X-CSRFToken": ")[^"]+'), r"\1…"),
    (re.compile(r'(<meta name="csrf-token" content=")[^"]+'), r"\1…"),
    (re.compile(r"\?v=[0-9a-f]+"), "?v=…"),
    (re.compile(r"\b\d{1,2}[:h]\d{2}\b"), "HH:MM"),
    (re.compile(r'(data-draft-owner=")[^"]+'), r"\1…"),
    # Ids minted per page for the records a form will create (offline replays).
    (re.compile(r'(name="(?:record_id|rec-[0-9a-f-]+)"[^>]*value=")[^"]+'), r"\1…"),
]


def routes(app) -> str:
    lines = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        view = app.view_functions[rule.endpoint]
        perm = getattr(view, "permission", None)
        methods = ",".join(sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
        lines.append(f"{rule.rule}  {rule.endpoint}  {methods}  {getattr(perm, 'value', perm)}")
    return "\n".join(lines) + "\n"


def schema() -> str:
    inspector = inspect(db.engine)
    lines = []
    for table in sorted(inspector.get_table_names()):
        lines.append(f"TABLE {table}")
        for c in inspector.get_columns(table):
            lines.append(
                f"  {c['name']} {c['type']} null={c['nullable']} default={c.get('default')}"
            )
        for i in sorted(inspector.get_indexes(table), key=lambda i: i["name"] or ""):
            lines.append(f"  INDEX {i['name']} {i['column_names']} unique={i['unique']}")
        for u in sorted(inspector.get_unique_constraints(table), key=lambda u: u["name"] or ""):
            lines.append(f"  UNIQUE {u['name']} {u['column_names']}")
        for fk in sorted(inspector.get_foreign_keys(table), key=lambda f: f["name"] or ""):
            lines.append(
                f"  FK {fk['name']} {fk['constrained_columns']} -> "
                f"{fk['referred_table']}{fk['referred_columns']} {fk.get('options')}"
            )
    return "\n".join(lines) + "\n"


def normalised(html: str) -> str:
    for pattern, replacement in BLANKS:
        html = pattern.sub(replacement, html)
    return html


def crawl(app, account: str, out: Path) -> int:
    client = app.test_client()
    email = f"{account}.{SLUG.split('-')[0]}@example.org"
    answer = client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 302, f"{email} : connexion refusée"
    start = f"/s/{SLUG}/"
    queue, seen, written = deque([start]), {start}, 0
    out.mkdir(parents=True, exist_ok=True)
    index = []
    while queue and written < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        written += 1
        index.append(f"{written:03d} {response.status_code} {response.mimetype} {path}")
        (out / f"{written:03d}.html").write_text(normalised(body) or f"[{response.mimetype}]\n")
        for link in LINK.findall(body):
            target = urljoin(path, link.replace("&amp;", "&"))
            if urlsplit(target).path.startswith(start) and target not in seen:
                seen.add(target)
                queue.append(target)
    (out / "index.txt").write_text("\n".join(index) + "\n")
    return written


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    url, out = sys.argv[1], Path(sys.argv[2])
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
    app = create_app(cfg)
    out.mkdir(parents=True, exist_ok=True)
    (out / "routes.txt").write_text(routes(app))
    with app.app_context():
        (out / "schema.txt").write_text(schema())
    for account in ACCOUNTS:
        count = crawl(app, account, out / "pages" / account)
        print(f"{account} : {count} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
