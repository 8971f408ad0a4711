"""PostgreSQL isolation between structures, used by the Alembic migrations (PostgreSQL only).

Two roles (docs/exploitation.md, « PostgreSQL : deux URL, deux rôles »):
- the **owner** of the tables runs the migrations and the operator's commands; as owner it is
  not subject to row-level security (the policies are not FORCEd);
- the **application's role** (``flask dbrole setup``) owns nothing, has no BYPASSRLS, and sees
  only the rows of the structure named by the transaction-local setting ``app.structure_id``.
  No setting lets it see more: cross-structure work needs the owner's connection.

The web process still needs one cross-structure read, one person's memberships (sign-in,
structure chooser, invitations): ``app_memberships_of(user_id)`` is a SECURITY DEFINER
function, owned by the owner. Since migration l6…0012 it answers only for the person named by
the signed setting ``app.user_id`` (``app.user_token``, same key as the structure's), which
the application sets for the call: an SQL injection can no longer list anyone's memberships.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

# Until migration i6…0009 the policies trusted the setting as sent; that condition stays here
# for the migrations written before it (and its downgrade).
TENANT_CONDITION = "structure_id = NULLIF(current_setting('app.structure_id', true), '')::uuid"
# Since then they read the structure through app_current_structure(), which returns it only
# when app.structure_token is its signature by the key the app holds (SECRET_KEY) and the
# database keeps where the app's role cannot read it: an SQL injection that knows another
# structure's id cannot open it. The sub-select is evaluated once per statement, not per row.
SIGNED_TENANT_CONDITION = "structure_id = (SELECT app_current_structure())"
CURRENT_STRUCTURE_FUNCTION = "app_current_structure"

MEMBERSHIPS_FUNCTION = "app_memberships_of"
CURRENT_USER_FUNCTION = "app_current_user"


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _signed_setting_exists() -> bool:
    found = op.get_bind().execute(
        text(f"SELECT to_regprocedure('public.{CURRENT_STRUCTURE_FUNCTION}()') IS NOT NULL")
    )
    return bool(found.scalar())


def enable_tenant_rls(table: str, condition: str | None = None) -> None:
    """USING and WITH CHECK on structure_id; the app's role does not own the table. The
    condition is the signed one once its function exists (the unsigned one before)."""
    if not _on_postgres():
        return
    if condition is None:
        condition = SIGNED_TENANT_CONDITION if _signed_setting_exists() else TENANT_CONDITION
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition})"
    )


def create_signed_setting() -> None:
    """The key of the signed setting, in a schema the app's role cannot use (``flask dbrole
    setup`` writes it), and the function the policies read the structure through."""
    if not _on_postgres():
        return
    op.execute("CREATE SCHEMA IF NOT EXISTS app_private")
    op.execute("REVOKE ALL ON SCHEMA app_private FROM PUBLIC")
    op.execute(
        "CREATE TABLE IF NOT EXISTS app_private.tenant_key ("
        "id integer PRIMARY KEY CHECK (id = 1), key bytea NOT NULL)"
    )
    # sha256(key ‖ id ‖ key): the key on both sides, so no signature extends to another id.
    op.execute(
        """
        CREATE OR REPLACE FUNCTION app_current_structure() RETURNS uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
        DECLARE
            sid text := current_setting('app.structure_id', true);
            token text := current_setting('app.structure_token', true);
            secret bytea;
        BEGIN
            IF coalesce(sid, '') = '' OR coalesce(token, '') = '' THEN
                RETURN NULL;
            END IF;
            SELECT k.key INTO secret FROM app_private.tenant_key k WHERE k.id = 1;
            IF secret IS NULL
               OR encode(sha256(secret || convert_to(sid, 'UTF8') || secret), 'hex') <> token
            THEN
                RETURN NULL;
            END IF;
            RETURN sid::uuid;
        END
        $$
        """
    )


def drop_signed_setting() -> None:
    if not _on_postgres():
        return
    op.execute(f"DROP FUNCTION IF EXISTS {CURRENT_STRUCTURE_FUNCTION}()")
    op.execute("DROP TABLE IF EXISTS app_private.tenant_key")
    op.execute("DROP SCHEMA IF EXISTS app_private")


def disable_tenant_rls(table: str) -> None:
    if not _on_postgres():
        return
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def tenant_tables() -> list[str]:
    """Every table of the public schema that has a structure_id column."""
    rows = op.get_bind().execute(
        text(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'structure_id' ORDER BY table_name"
        )
    )
    return [r[0] for r in rows]


# A foreign key from a tenant row to another tenant row, found in the catalog:
# (table, column, referenced table, on-delete code of pg_constraint.confdeltype).
_TENANT_REFERENCES_SQL = """
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, c.confdeltype
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1 AND a.attname <> 'structure_id'
  AND c.connamespace = 'public'::regnamespace
  AND EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.conrelid
              AND s.attname = 'structure_id' AND NOT s.attisdropped)
  AND EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.confrelid
              AND s.attname = 'structure_id' AND NOT s.attisdropped)
ORDER BY 1, 2
"""


def _constraint_exists(name: str) -> bool:
    found = op.get_bind().execute(
        text("SELECT 1 FROM pg_constraint WHERE conname = :n"), {"n": name}
    )
    return found.scalar() is not None


def _on_delete(code: str, column: str) -> str:
    if code == "c":
        return "CASCADE"
    if code == "n":
        return f"SET NULL ({column})"  # PostgreSQL 15+: never null structure_id
    return "NO ACTION"


def add_tenant_foreign_keys() -> None:
    """Give every tenant -> tenant foreign key a composite twin on (structure_id, column).

    The single-column key says "this row exists"; the composite one says "in the same
    structure". Idempotent: later migrations call it again after creating tables.
    """
    if not _on_postgres():
        return
    bind = op.get_bind()
    for table, column, target, code in bind.execute(text(_TENANT_REFERENCES_SQL)).all():
        unique = f"uq_{target}_structure_id_id"
        if not _constraint_exists(unique):
            op.execute(f"ALTER TABLE {target} ADD CONSTRAINT {unique} UNIQUE (structure_id, id)")
        name = f"fk_{table}_{column}_tenant"
        if not _constraint_exists(name):
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                f"FOREIGN KEY (structure_id, {column}) REFERENCES {target} (structure_id, id) "
                f"ON DELETE {_on_delete(code, column)}"
            )


def drop_tenant_foreign_keys() -> None:
    if not _on_postgres():
        return
    bind = op.get_bind()
    rows = bind.execute(
        text(
            "SELECT conrelid::regclass::text, conname, contype FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace AND ("
            "(contype = 'f' AND conname LIKE 'fk\\_%\\_tenant') OR "
            "(contype = 'u' AND conname LIKE 'uq\\_%\\_structure\\_id\\_id')) "
            "ORDER BY contype"  # foreign keys ('f') before the unique keys they use ('u')
        )
    ).all()
    for table, name, _kind in rows:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def create_memberships_function() -> None:
    """The one cross-structure read of the web process: a person's memberships (as created by
    migration b6…0002, for anyone named; ``bind_memberships_function`` restricts it)."""
    if not _on_postgres():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION app_memberships_of(p_user_id uuid)
        RETURNS TABLE (membership_id uuid, structure_id uuid, slug varchar, name varchar,
                       kind varchar, roles json, is_active boolean,
                       accepted_at timestamptz, deactivated_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
            SELECT m.id, m.structure_id, s.slug, s.name, s.kind, m.roles, m.is_active,
                   m.accepted_at, m.deactivated_at
            FROM public.memberships m
            JOIN public.structures s ON s.id = m.structure_id
            WHERE m.user_id = p_user_id
            ORDER BY lower(s.name), s.slug
        $$
        """
    )
    # Only the roles `flask dbrole setup` names may call it.
    op.execute(f"REVOKE ALL ON FUNCTION {MEMBERSHIPS_FUNCTION}(uuid) FROM PUBLIC")


def drop_memberships_function() -> None:
    if _on_postgres():
        op.execute(f"DROP FUNCTION IF EXISTS {MEMBERSHIPS_FUNCTION}(uuid)")


def create_user_setting() -> None:
    """``app_current_user()``: the person named by ``app.user_id`` when ``app.user_token`` is
    its signature by the structure setting's key, over ``user:<id>`` (a structure's signature,
    which an injection can read from the settings, is never a person's)."""
    if not _on_postgres():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION app_current_user() RETURNS uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
        DECLARE
            uid text := current_setting('app.user_id', true);
            token text := current_setting('app.user_token', true);
            secret bytea;
        BEGIN
            IF coalesce(uid, '') = '' OR coalesce(token, '') = '' THEN
                RETURN NULL;
            END IF;
            SELECT k.key INTO secret FROM app_private.tenant_key k WHERE k.id = 1;
            IF secret IS NULL OR encode(
                sha256(secret || convert_to('user:' || uid, 'UTF8') || secret), 'hex'
            ) <> token THEN
                RETURN NULL;
            END IF;
            RETURN uid::uuid;
        END
        $$
        """
    )
    # Called by app_memberships_of (as the owner) only.
    op.execute(f"REVOKE ALL ON FUNCTION {CURRENT_USER_FUNCTION}() FROM PUBLIC")


def drop_user_setting() -> None:
    if _on_postgres():
        op.execute(f"DROP FUNCTION IF EXISTS {CURRENT_USER_FUNCTION}()")


def bind_memberships_function() -> None:
    """``app_memberships_of(user_id)`` answers only when ``user_id`` is the person of the signed
    setting (``app_current_user()``): no rows for anyone else, nor without the setting. Same
    signature, so the grants stay."""
    if not _on_postgres():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION app_memberships_of(p_user_id uuid)
        RETURNS TABLE (membership_id uuid, structure_id uuid, slug varchar, name varchar,
                       kind varchar, roles json, is_active boolean,
                       accepted_at timestamptz, deactivated_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
            SELECT m.id, m.structure_id, s.slug, s.name, s.kind, m.roles, m.is_active,
                   m.accepted_at, m.deactivated_at
            FROM public.memberships m
            JOIN public.structures s ON s.id = m.structure_id
            WHERE m.user_id = p_user_id AND p_user_id = (SELECT public.app_current_user())
            ORDER BY lower(s.name), s.slug
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {MEMBERSHIPS_FUNCTION}(uuid) FROM PUBLIC")


ATTESTATION_FUNCTION = "app_attestation_by_code"


def create_attestation_lookup_function() -> None:
    """The public verification page's cross-structure read: a signed attestation's
    (structure_id, attestation_id) by its verification code, and nothing more."""
    if not _on_postgres():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION app_attestation_by_code(p_code varchar)
        RETURNS TABLE (structure_id uuid, attestation_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
            SELECT a.structure_id, a.id
            FROM public.attestations a
            WHERE a.verification_code = p_code AND a.signed_at IS NOT NULL
            LIMIT 1
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {ATTESTATION_FUNCTION}(varchar) FROM PUBLIC")


def drop_attestation_lookup_function() -> None:
    if _on_postgres():
        op.execute(f"DROP FUNCTION IF EXISTS {ATTESTATION_FUNCTION}(varchar)")


PERSONAL_ACCESS_FUNCTION = "app_personal_access_by_link"


def create_personal_access_lookup_function() -> None:
    """The salarié's personal link, opened outside any structure: the (structure_id,
    access_id) of the link whose secret has this digest, and nothing more."""
    if not _on_postgres():
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION app_personal_access_by_link(p_digest varchar)
        RETURNS TABLE (structure_id uuid, access_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$
            SELECT p.structure_id, p.id
            FROM public.personal_accesses p
            WHERE p.link_digest = p_digest
            LIMIT 1
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {PERSONAL_ACCESS_FUNCTION}(varchar) FROM PUBLIC")


def drop_personal_access_lookup_function() -> None:
    if _on_postgres():
        op.execute(f"DROP FUNCTION IF EXISTS {PERSONAL_ACCESS_FUNCTION}(varchar)")
