"""The space's own session: a signed cookie, for 30 days, on the space's path only.

It names the access (and its structure) and the access's ``generation`` when it was opened:
a new code, a lock, a revocation or a new link changes the generation, and every phone open
before must enter the code again. Nothing personal is in the cookie."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Employee, Structure
from siae_app.models.personal_space import PersonalAccess
from siae_app.services.personal_space import access as space_access

COOKIE = "siae_espace"
PATH = "/mon-espace"
MAX_AGE = space_access.SESSION_DAYS * 24 * 3600


@dataclass(frozen=True)
class Space:
    access: PersonalAccess
    employee: Employee
    structure: Structure


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="siae-espace")


def issue(response, access: PersonalAccess) -> None:
    value = _serializer().dumps(
        {"a": str(access.id), "s": str(access.structure_id), "g": access.generation}
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path=PATH,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def forget(response) -> None:
    response.delete_cookie(
        COOKIE, path=PATH, secure=bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    )


def _claims() -> tuple[uuid.UUID, uuid.UUID, int] | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE)
        return uuid.UUID(data["a"]), uuid.UUID(data["s"]), int(data["g"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def load(today: date) -> Space | None:
    """The space this phone may show now, its structure made the active one; else None (and
    no structure active)."""
    g.space = None
    claims = _claims()
    if claims is None:
        return None
    access_id, structure_id, generation = claims
    tenancy.activate(db.session, structure_id)
    row = db.session.get(PersonalAccess, access_id)
    # The structure is compared too: a row already in the session's identity map is returned
    # by get() without the tenant filter's query.
    if row is None or row.structure_id != structure_id or row.generation != generation:
        tenancy.deactivate(db.session)
        return None
    employee = db.session.get(Employee, row.employee_id)
    structure = db.session.get(Structure, structure_id)
    if space_access.closed_reason(row, employee, structure, today) is not None:
        tenancy.deactivate(db.session)
        return None
    g.space = Space(row, employee, structure)
    return g.space


def draft_owner(space: Space) -> str:
    """Whose drafts a page may restore (app.js keeps what a form sent when the space had
    closed, and fills it in again once the code is typed): a keyed hash of the salarié, the
    same after a new opening, never another salarié's."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"draft:espace:{space.employee.id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]
