"""Reading stored frameworks: a framework with its tree, the versions of a titre, the
current version of each (what pickers and search offer).

Pure SELECTs, no writes: the readers (:mod:`.search`, views, :mod:`.storage` when it
compares a document with the versions held) build on them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Competency, Framework


def tree_query():
    """Frameworks with blocks, competencies and criteria loaded in three more queries."""
    return select(Framework).options(
        selectinload(Framework.blocks),
        selectinload(Framework.competencies).selectinload(Competency.criteria),
    )


def versions(session: Session, fw: Framework) -> list[Framework]:
    return list(
        session.scalars(
            select(Framework)
            .where(Framework.family_key == fw.family_key)
            .order_by(Framework.version_number.desc())
        )
    )


def _latest_versions():
    """(structure, family, highest version number) of the frameworks in use."""
    return (
        select(
            Framework.structure_id,
            Framework.family_key,
            func.max(Framework.version_number).label("latest"),
        )
        .where(Framework.is_archived.is_(False))
        .group_by(Framework.structure_id, Framework.family_key)
        .subquery()
    )


def current_frameworks_query():
    """Frameworks in use, the current version of each only (for pickers: an activity's
    frameworks, search). An older version stays readable but is not offered."""
    latest = _latest_versions()
    return select(Framework).join(
        latest,
        and_(
            latest.c.structure_id == Framework.structure_id,
            latest.c.family_key == Framework.family_key,
            latest.c.latest == Framework.version_number,
        ),
    )


def newer_version(session: Session, fw: Framework) -> Framework | None:
    """The current version of ``fw``'s family when it is not ``fw`` itself."""
    newest = session.scalar(
        select(Framework)
        .where(
            Framework.family_key == fw.family_key,
            Framework.version_number > fw.version_number,
            Framework.is_archived.is_(False),
        )
        .order_by(Framework.version_number.desc())
        .limit(1)
    )
    return newest


def old_version_ids(session: Session) -> set[uuid.UUID]:
    """Frameworks a newer version (in use) replaces."""
    current = {fw.id for fw in session.scalars(current_frameworks_query())}
    families = set(session.scalars(select(Framework.family_key).where(Framework.id.in_(current))))
    return set(
        session.scalars(
            select(Framework.id).where(
                Framework.family_key.in_(families), Framework.id.not_in(current)
            )
        )
    )
