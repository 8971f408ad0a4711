"""flask dbrole: the PostgreSQL role the application connects as (subject to RLS).

Run as the owner of the tables (the DATABASE_URL of the migrations). The role it prepares
owns nothing, has no BYPASSRLS, and so sees one structure at a time; cross-structure work
(migrations, `flask demo load`, purges) keeps the owner's URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

import click
from flask import current_app
from flask.cli import AppGroup
from psycopg import sql
from sqlalchemy import select, text

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.records import record_tables

dbrole_cli = AppGroup("dbrole", help="Rôle PostgreSQL de l'application (RLS).")

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SCRAM_ITERATIONS = 4096  # PostgreSQL's default (scram_iterations)


def scram_sha256_verifier(password: str, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 secret PostgreSQL stores (RFC 5802/7677), computed client-side.

    The clear password never reaches the server, its logs or pg_stat_activity. ASCII only:
    SASLprep leaves ASCII as it is, so the server's own hash of the same text is identical.
    """
    salt = salt if salt is not None else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("ascii"), salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def enter_system_scope() -> None:
    """For commands that span structures: the owner's connection, or a clear refusal."""
    try:
        tenancy.activate_system_checked(db.session)
    except tenancy.SystemRoleRequiredError as exc:
        raise click.ClickException(str(exc)) from exc


# The SECURITY DEFINER functions the application's role calls (those the migrations made).
GRANTED_FUNCTIONS = (
    "app_memberships_of(uuid)",
    "app_attestation_by_code(varchar)",
    "app_personal_access_by_link(varchar)",
)


def structures_to_run(slug: str | None) -> list:
    """The structures a cross-structure command works on: all (system scope entered), or
    the one ``--structure`` names, else a French refusal."""
    from siae_app.models import Structure

    enter_system_scope()
    query = select(Structure).order_by(Structure.slug)
    if slug:
        query = query.where(Structure.slug == slug)
    structures = db.session.scalars(query).all()
    if slug and not structures:
        raise click.ClickException(f"Aucune structure « {slug} ».")
    return structures


def _check_arguments(role: str, password: str | None) -> None:
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("Commande réservée à PostgreSQL.")
    if not ROLE_NAME.fullmatch(role):
        raise click.ClickException(
            "Nom de rôle invalide : lettres minuscules, chiffres et _ (63 au plus)."
        )
    if password is not None and (not password or not password.isascii()):
        raise click.ClickException("Mot de passe vide ou non ASCII refusé.")


def _refuse_owner(conn, role: str, exists: bool) -> None:
    if conn.execute(text("SELECT to_regclass('public.memberships')")).scalar() is None:
        raise click.ClickException("Tables absentes : lancez d'abord « flask db upgrade ».")
    owner = (
        exists
        and conn.execute(
            text(
                "SELECT pg_has_role(:r, c.relowner, 'USAGE') FROM pg_class c "
                "WHERE c.oid = 'public.memberships'::regclass"
            ),
            {"r": role},
        ).scalar()
    )
    if owner:
        raise click.ClickException(
            f"Le rôle {role} possède les tables (ou en hérite) : la RLS ne s'y appliquerait "
            "pas. Choisissez un autre nom que celui du propriétaire."
        )


def _ddl(conn, statement: sql.Composable) -> None:
    """DDL takes no bind parameters: compose it with quoted identifiers and literals."""
    conn.connection.driver_connection.execute(statement)


def _create_or_restrict(conn, role: str, exists: bool) -> None:
    verb = "ALTER" if exists else "CREATE"
    _ddl(
        conn,
        sql.SQL(
            verb + " ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION"
        ).format(sql.Identifier(role)),
    )


def _grant(conn, role: str) -> None:
    who = sql.Identifier(role)
    for statement in (
        "GRANT USAGE ON SCHEMA public TO {}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}",
        # A table a later migration creates may be a record: read and add only until this
        # command runs again (after each upgrade) and knows. The wider defaults that earlier
        # versions set are taken back.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO {}",
        "REVOKE ALL ON TABLE alembic_version FROM {}",
    ):
        _ddl(conn, sql.SQL(statement).format(who))
    _append_only(conn, who)
    for function in GRANTED_FUNCTIONS:
        exists = conn.execute(
            text("SELECT to_regprocedure(:f) IS NOT NULL"), {"f": f"public.{function}"}
        ).scalar()
        if exists:
            _ddl(conn, sql.SQL(f"GRANT EXECUTE ON FUNCTION {function} TO {{}}").format(who))


def _append_only(conn, who: sql.Identifier) -> None:
    """The records of what happened: SELECT and INSERT, whatever the role held before (no
    UPDATE, DELETE, TRUNCATE). Their purge runs as the owner."""
    for table in record_tables():
        if conn.execute(text("SELECT to_regclass(:t)"), {"t": f"public.{table}"}).scalar():
            name = sql.Identifier("public", table)
            _ddl(conn, sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(name, who))
            _ddl(conn, sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(name, who))


@dbrole_cli.command("setup")
@click.argument("role")
@click.option(
    "--password", default=None, help="Mot de passe du rôle (sinon authentification locale)"
)
def dbrole_setup_cmd(role, password):
    """Create ROLE (no superuser, no RLS bypass, owns nothing) and grant it data access.

    Run as the owner of the tables, after `flask db upgrade` (and again after each one:
    it is re-runnable).
    """
    _check_arguments(role, password)
    with db.engine.begin() as conn:
        exists = bool(
            conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
        )
        _refuse_owner(conn, role, exists)
        _create_or_restrict(conn, role, exists)
        if password is not None:
            verifier = scram_sha256_verifier(password)
            _ddl(
                conn,
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(verifier)
                ),
            )
        _grant(conn, role)
        signed = _store_signing_key(conn)
    click.echo(
        f"Rôle {role} prêt (lecture/écriture des données, soumis à la RLS ; journaux et "
        "historiques en lecture et ajout seulement)."
    )
    if signed:
        click.echo(
            "Clé du paramètre de structure enregistrée, dérivée de SECRET_KEY : relancez "
            "cette commande avec la nouvelle clé si SECRET_KEY change."
        )


def _store_signing_key(conn) -> bool:
    """The key the policies check ``app.structure_token`` with (the app derives the same
    from SECRET_KEY), kept in ``app_private``, a schema the application's role cannot use."""
    exists = conn.execute(text("SELECT to_regclass('app_private.tenant_key') IS NOT NULL"))
    if not exists.scalar():
        return False
    conn.execute(
        text(
            "INSERT INTO app_private.tenant_key (id, key) VALUES (1, :key) "
            "ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key"
        ),
        {"key": tenancy.signing_key(current_app.config["SECRET_KEY"])},
    )
    return True
