"""Tenant scoping that fails closed.

The active tenant lives in ``Session.info`` (one session per request):
- ``None``: nothing active; any SELECT touching a TenantScoped table raises.
- a structure UUID: every SELECT gets ``structure_id = <id>`` on each TenantScoped entity.
- ``SYSTEM``: explicit cross-structure access for the CLI, jobs and test set-up. It lifts the
  ORM filter only: on PostgreSQL the rows are still those the database role may see.

On PostgreSQL the structure id is copied into the transaction-local setting
``app.structure_id`` read by the row-level security policies, so a forgotten filter in raw SQL
still cannot cross structures. It goes with ``app.structure_token``, its signature by a key
derived from the app's SECRET_KEY (``configure``) that the database keeps out of the app
role's reach: the policies ignore an id without its signature, so an SQL injection that knows
another structure's id still cannot open it. No setting opens every structure: the
application's role sees one structure at most, and cross-structure work (CLI, migrations)
connects as the owner of the tables (``activate_system_checked`` says so when it does not).
A person's memberships across structures come from ``siae_app.tenancy.lookup``, through a
function that answers only for the person of a signed ``app.user_id`` (``user_token_for``).

The package holds the whole topic: this module (the session's tenant, the ORM filter, the
signed settings), ``engine`` (SQLite's foreign keys and savepoints), ``rls`` (the PostgreSQL
policies, functions and keys the migrations create) and ``lookup`` (the reads across
structures that the web process makes: a structure by its slug, a person's memberships).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session, with_loader_criteria

from siae_app.models.base import TenantScoped

SYSTEM = "system"
_KEY = "tenant"


class TenantNotSetError(RuntimeError):
    """A tenant table was queried or written with no structure active (fail closed)."""


class SystemRoleRequiredError(RuntimeError):
    """Cross-structure work on PostgreSQL with a role that row-level security restricts."""


def current_tenant(session: Session):
    return session.info.get(_KEY)


_SET_SQL = text(
    "SELECT set_config('app.structure_id', :sid, true), "
    "set_config('app.structure_token', :token, true)"
)
KEY_EXTENSION = "tenant_signing_key"


def signing_key(secret_key: str) -> bytes:
    """The key of the signed setting, derived from the app's SECRET_KEY (``flask dbrole
    setup`` stores the same in the database)."""
    return hashlib.sha256(b"parcours-siae tenant setting\0" + secret_key.encode()).digest()


def configure(app) -> None:
    """Called by ``create_app``: the key the settings of this app are signed with (per app:
    a process may hold several, such as a job run inline in a test)."""
    app.extensions[KEY_EXTENSION] = signing_key(app.config["SECRET_KEY"])


def token_for(structure_id: str, key: bytes | None = None) -> str:
    """The signature the policies check (``app_current_structure()`` in the database), by
    ``key`` or else the current app's; none without a structure or outside an app."""
    if key is None and has_app_context():
        key = current_app.extensions.get(KEY_EXTENSION)
    if not structure_id or key is None:
        return ""
    return hashlib.sha256(key + structure_id.encode() + key).hexdigest()


def user_token_for(user_id: str, key: bytes | None = None) -> str:
    """The signature of ``app.user_id`` (``app_current_user()`` in the database): the same key
    over ``user:<id>``, so no structure's signature is a person's."""
    return token_for(f"user:{user_id}", key) if user_id else ""


# True when the connected role is not restricted by the policies: superuser, BYPASSRLS, or
# (a member of) the owner of the tenant tables.
_CROSS_STRUCTURE_SQL = text(
    "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(current_user, c.relowner, 'USAGE') "
    "FROM pg_roles r, pg_class c "
    "WHERE r.rolname = current_user AND c.oid = 'public.memberships'::regclass"
)


def _setting_params(tenant) -> dict[str, str]:
    sid = str(tenant) if isinstance(tenant, uuid.UUID) else ""
    return {"sid": sid, "token": token_for(sid)}


# Connection.info key: this database transaction was sent a structure's setting. The settings
# are transaction-local: once the transaction ends (the flag is dropped with it, below), an
# empty setting would change nothing, so a transaction that begins with no structure active
# costs no statement. The flag errs on the safe side: kept, it only sends an empty setting.
_SENT = "tenant_setting_sent"


def _send_setting(connection, tenant) -> None:
    params = _setting_params(tenant)
    if not params["sid"] and not connection.info.get(_SENT):
        return
    connection.execute(_SET_SQL, params)
    connection.info[_SENT] = bool(params["sid"])


def _forget_setting(connection) -> None:
    connection.info.pop(_SENT, None)


def _sync_database_setting(session: Session) -> None:
    """Send the active structure at once if a transaction is under way; otherwise the
    transaction's beginning sends it (``_set_database_setting``), in no extra statement."""
    real = session() if isinstance(session, scoped_session) else session
    if not real.in_transaction() or real.get_bind().dialect.name != "postgresql":
        return
    _send_setting(real.connection(), current_tenant(real))


def activate(session: Session, structure_id: uuid.UUID) -> None:
    session.info[_KEY] = structure_id
    _sync_database_setting(session)


def activate_system(session: Session) -> None:
    session.info[_KEY] = SYSTEM
    _sync_database_setting(session)


def activate_system_checked(session: Session) -> None:
    """System scope for work that spans structures (CLI), refused with the app's role.

    On PostgreSQL the application's role sees one structure at most, so such work must run
    with the owner's DATABASE_URL; say so instead of silently finding nothing.
    """
    if session.get_bind().dialect.name == "postgresql" and not session.scalar(_CROSS_STRUCTURE_SQL):
        raise SystemRoleRequiredError(
            "Cette commande traverse les structures : lancez-la avec l'URL du propriétaire "
            "des tables (DATABASE_URL des migrations), pas avec le rôle de l'application."
        )
    activate_system(session)


def deactivate(session: Session) -> None:
    session.info[_KEY] = None
    _sync_database_setting(session)


@contextmanager
def system_scope(session: Session) -> Iterator[None]:
    """Temporarily lift the ORM filter (CLI, jobs, tests; on SQLite, tenancy.lookup).

    It unlocks nothing in PostgreSQL: the application's role still sees one structure at most.
    """
    previous = current_tenant(session)
    activate_system(session)
    try:
        yield
    finally:
        session.info[_KEY] = previous
        _sync_database_setting(session)


@contextmanager
def tenant_scope(session: Session, structure_id: uuid.UUID) -> Iterator[None]:
    previous = current_tenant(session)
    activate(session, structure_id)
    try:
        yield
    finally:
        session.info[_KEY] = previous
        _sync_database_setting(session)


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    return any(issubclass(m.class_, TenantScoped) for m in state.all_mappers)


def _filter_by_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load:
        return  # primary-key reload of an object that was already filtered
    tenant = state.session.info.get(_KEY)
    if tenant == SYSTEM:
        return
    if state.is_select:
        if tenant is None:
            if _touches_tenant_tables(state):
                raise TenantNotSetError("Aucune structure active pour cette requête.")
            return
        # Read the id here, not inside the lambda: SQLAlchemy caches the lambda's code and
        # tracks its closure variables as bound parameters.
        structure_id = tenant
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantScoped,
                lambda cls: cls.structure_id == structure_id,
                include_aliases=True,
            )
        )
    elif (state.is_update or state.is_delete) and _touches_tenant_tables(state):
        # Bulk UPDATE/DELETE bypass loader criteria: only allowed in system scope.
        raise TenantNotSetError("Modification groupée hors du périmètre système refusée.")


def _check_writes(session: Session, flush_context, instances) -> None:
    tenant = session.info.get(_KEY)
    if tenant == SYSTEM:
        return
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if tenant is None:
            raise TenantNotSetError("Écriture sans structure active refusée.")
        if obj.structure_id is None and obj in session.new:
            obj.structure_id = tenant
        elif obj.structure_id != tenant or _moves_structure(session, obj):
            raise TenantNotSetError("Écriture dans une autre structure refusée.")


def _moves_structure(session: Session, obj: TenantScoped) -> bool:
    """A stored row whose structure_id this flush rewrites. The check above sees only the new
    value: another structure's row, loaded in the session, would pass it once given the active
    structure's id. No row ever changes structure, so any rewrite is refused."""
    return obj not in session.new and inspect(obj).attrs.structure_id.history.has_changes()


def _set_database_setting(session: Session, transaction, connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    _send_setting(connection, session.info.get(_KEY))


# Registered by calls rather than decorators so that mutation testing (docs/mutation.md),
# which skips decorated functions, reaches the rules above.
event.listen(Session, "do_orm_execute", _filter_by_tenant)
event.listen(Session, "before_flush", _check_writes)
event.listen(Session, "after_begin", _set_database_setting)
event.listen(Engine, "commit", _forget_setting)
event.listen(Engine, "rollback", _forget_setting)
