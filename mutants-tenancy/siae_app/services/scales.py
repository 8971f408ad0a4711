"""Evaluation scales of a structure."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, func, select, union_all
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Base, Level, Scale
from siae_app.models.scales import DEFAULT_LEVELS
from siae_app.services import ServiceError, checked_text

SCALE_NAME_MAX = 120
LABEL_MAX = 80
CODE_MAX = 10
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOR_MESSAGE = "Couleur invalide : utilisez le format #rrggbb (par exemple #15803d)."

LEVEL_TARGET = "scale_levels.id"
SCALE_TARGET = "scales.id"


def _default_levels(structure_id: uuid.UUID) -> list[Level]:
    return [
        Level(
            structure_id=structure_id,
            position=i,
            label=label,
            code=code,
            color=color,
            counts_as_acquired=acquired,
        )
        for i, (label, code, color, acquired) in enumerate(DEFAULT_LEVELS)
    ]


def create_default_scale(session: Session, structure_id: uuid.UUID) -> Scale:
    """The default scale every structure starts with (Non évalué … Maîtrisé)."""
    scale = Scale(structure_id=structure_id, name="Échelle par défaut", is_default=True)
    scale.levels = _default_levels(structure_id)
    session.add(scale)
    session.flush()
    return scale


# --- "In use": every row of any table whose foreign key points at a level (or a scale) ---------

# Tables outside Base.metadata that may reference levels or scales (tests, plug-ins).
_extra_reference_tables: list[Table] = []


def register_level_reference(table: Table) -> None:
    """Also look at ``table`` when deciding whether a level or a scale is in use.

    Tables of ``Base.metadata`` are found on their own; this is for tables declared elsewhere.
    """
    if not any(t is table for t in _extra_reference_tables):
        _extra_reference_tables.append(table)


def unregister_level_reference(table: Table) -> None:
    _extra_reference_tables[:] = [t for t in _extra_reference_tables if t is not table]


def _referencing_columns(target: str, exclude: frozenset[str] = frozenset()):
    """(table, [columns]) for every known table with a foreign key to ``target`` (table.col)."""
    tables = list(Base.metadata.tables.values())
    tables += [t for t in _extra_reference_tables if all(t is not u for u in tables)]
    for table in tables:
        if table.name in exclude:
            continue
        # target_fullname is the declared "table.column": no need to resolve the foreign key,
        # so a table declared in another MetaData works too.
        columns = [fk.parent for fk in table.foreign_keys if fk.target_fullname == target]
        if columns:
            yield table, columns


def _as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _reference_counts(
    session: Session, target: str, ids: Sequence[uuid.UUID], exclude: frozenset[str] = frozenset()
) -> dict[uuid.UUID, int]:
    """How many rows point at each id: one query per referencing table, whatever the ids."""
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    for _table, columns in _referencing_columns(target, exclude):
        parts = [select(col.label("ref")).where(col.in_(list(ids))) for col in columns]
        refs = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
        rows = session.execute(select(refs.c.ref, func.count()).group_by(refs.c.ref))
        for ref, n in rows:
            key = _as_uuid(ref)
            counts[key] = counts.get(key, 0) + n
    return counts


def level_usage(session: Session, levels: Iterable[Level]) -> dict[uuid.UUID, int]:
    """Level id -> number of rows (assessments, goals…) that point at it."""
    return _reference_counts(session, LEVEL_TARGET, [lv.id for lv in levels])


def scale_usage(session: Session, scale: Scale) -> int:
    """Rows pointing at the scale itself or at any of its levels."""
    direct = _reference_counts(
        session, SCALE_TARGET, [scale.id], exclude=frozenset({"scale_levels"})
    )
    return sum(direct.values()) + sum(level_usage(session, scale.levels).values())


def _times(n: int) -> str:
    return "1 fois" if n == 1 else f"{n} fois"


# --- Validation ------------------------------------------------------------------------------


def _clean_text(value: str | None, field: str, max_len: int, what: str) -> str:
    return checked_text(value, field, missing=f"{what} est obligatoire.", max_len=max_len)


def _clean_color(value: str | None) -> str:
    value = (value or "").strip()
    if not COLOR_RE.match(value):
        raise ServiceError(COLOR_MESSAGE, field="color")
    return value.lower()


def _check_scale_name(
    session: Session, structure_id: uuid.UUID, scale: Scale | None, name: str | None
) -> str:
    name = _clean_text(name, "name", SCALE_NAME_MAX, "Le nom de l'échelle")
    # Compared in Python (casefold): SQLite's lower() ignores accented capitals; a structure
    # has a handful of scales.
    rows = session.execute(
        select(Scale.id, Scale.name).where(Scale.structure_id == structure_id)
    ).all()
    current = scale.id if scale is not None else None
    if any(n.casefold() == name.casefold() and i != current for i, n in rows):
        raise ServiceError(f"Le nom « {name} » est déjà utilisé par une autre échelle.", "name")
    return name


def _check_level(
    scale: Scale, level: Level | None, label: str | None, code: str | None, color: str | None
) -> tuple[str, str, str]:
    label = _clean_text(label, "label", LABEL_MAX, "L'intitulé du niveau")
    code = _clean_text(code, "code", CODE_MAX, "Le code du niveau")
    color = _clean_color(color)
    for other in scale.levels:
        if other is not level and other.code.casefold() == code.casefold():
            raise ServiceError(
                f"Le code « {code} » est déjà utilisé par le niveau « {other.label} » "
                "de cette échelle.",
                field="code",
            )
    return label, code, color


def _refresh_levels(session: Session, scale: Scale) -> None:
    """Positions changed: reload the ordered collection on next access."""
    session.flush()
    session.expire(scale, ["levels"])


# --- Scales ----------------------------------------------------------------------------------


def create_scale(session: Session, name: str, *, structure_id: uuid.UUID | None = None) -> Scale:
    """A new scale of the active structure, starting with a copy of the default levels.

    It becomes the default scale only if the structure has none.
    """
    if structure_id is None:
        tenant = tenancy.current_tenant(session)
        if not isinstance(tenant, uuid.UUID):
            raise tenancy.TenantNotSetError("Aucune structure active pour créer une échelle.")
        structure_id = tenant
    name = _check_scale_name(session, structure_id, None, name)
    has_default = session.scalar(
        select(Scale.id).where(Scale.structure_id == structure_id, Scale.is_default.is_(True))
    )
    scale = Scale(structure_id=structure_id, name=name, is_default=has_default is None)
    scale.levels = _default_levels(structure_id)
    session.add(scale)
    session.flush()
    return scale


def rename_scale(session: Session, scale: Scale, name: str) -> Scale:
    scale.name = _check_scale_name(session, scale.structure_id, scale, name)
    session.flush()
    return scale


def set_default_scale(session: Session, scale: Scale) -> Scale:
    """Make ``scale`` the structure's default one; every other scale stops being default."""
    others = session.scalars(select(Scale).where(Scale.structure_id == scale.structure_id))
    for other in others:
        other.is_default = other.id == scale.id
    scale.is_default = True
    session.flush()
    return scale


def check_scale_deletable(session: Session, scale: Scale) -> None:
    """Raise ServiceError (in French) when the scale may not be deleted."""
    if scale.is_default:
        raise ServiceError(
            "L'échelle par défaut ne peut pas être supprimée : choisissez d'abord "
            "une autre échelle par défaut."
        )
    used = scale_usage(session, scale)
    if used:
        raise ServiceError(
            f"L'échelle « {scale.name} » est utilisée ({_times(used)}) dans des évaluations "
            "ou des objectifs : elle ne peut pas être supprimée."
        )


def delete_scale(session: Session, scale: Scale) -> None:
    check_scale_deletable(session, scale)
    session.delete(scale)
    session.flush()


# --- Levels ----------------------------------------------------------------------------------


def add_level(
    session: Session,
    scale: Scale,
    label: str,
    code: str,
    color: str,
    counts_as_acquired: bool = False,
) -> Level:
    """Append a level at the end (the highest position) of the scale."""
    label, code, color = _check_level(scale, None, label, code, color)
    position = max((lv.position for lv in scale.levels), default=-1) + 1
    level = Level(
        structure_id=scale.structure_id,
        position=position,
        label=label,
        code=code,
        color=color,
        counts_as_acquired=bool(counts_as_acquired),
    )
    scale.levels.append(level)
    _refresh_levels(session, scale)
    return level


def update_level(
    session: Session,
    level: Level,
    label: str,
    code: str,
    color: str,
    counts_as_acquired: bool = False,
) -> Level:
    level.label, level.code, level.color = _check_level(level.scale, level, label, code, color)
    level.counts_as_acquired = bool(counts_as_acquired)
    session.flush()
    return level


def move_level(session: Session, level: Level, direction: str) -> Level:
    """Swap ``level`` with its neighbour: "up" towards the first level, "down" towards the last."""
    if direction not in ("up", "down"):
        raise ServiceError("Sens de déplacement inconnu.", field="direction")
    scale = level.scale
    ordered = sorted(scale.levels, key=lambda lv: lv.position)
    index = next(i for i, lv in enumerate(ordered) if lv is level)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        where = "premier" if direction == "up" else "dernier"
        raise ServiceError(f"Le niveau « {level.label} » est déjà le {where}.", "direction")
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for i, lv in enumerate(ordered):  # also repairs gaps or duplicate positions
        lv.position = i
    _refresh_levels(session, scale)
    return level


def check_level_deletable(session: Session, level: Level) -> None:
    """Raise ServiceError (in French) when the level may not be deleted."""
    if len(level.scale.levels) <= 1:
        raise ServiceError("Une échelle doit garder au moins un niveau.")
    used = level_usage(session, [level])[level.id]
    if used:
        raise ServiceError(
            f"Le niveau « {level.label} » est utilisé ({_times(used)}) dans des évaluations "
            "ou des objectifs : il ne peut pas être supprimé. Vous pouvez le renommer "
            "ou changer sa couleur."
        )


def delete_level(session: Session, level: Level) -> None:
    check_level_deletable(session, level)
    scale = level.scale
    remaining = sorted((lv for lv in scale.levels if lv is not level), key=lambda lv: lv.position)
    scale.levels.remove(level)  # delete-orphan
    for i, lv in enumerate(remaining):
        lv.position = i
    _refresh_levels(session, scale)
