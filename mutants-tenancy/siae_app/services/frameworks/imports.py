"""Import drafts: a parsed document waits as a preview until it is confirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Framework, FrameworkImport, Membership
from siae_app.services import ServiceError
from siae_app.services.frameworks.exchange.json_reader import from_json_dict
from siae_app.services.frameworks.exchange.json_writer import to_json_dict
from siae_app.services.frameworks.storage import identical_version, save_parsed
from siae_app.services.frameworks.tree import ParsedFramework

DRAFT_LIFETIME = timedelta(hours=24)


def create_import(
    session: Session, membership: Membership, filename: str, source: str, parsed
) -> FrameworkImport:
    purge_old_imports(session)
    draft = FrameworkImport(
        membership_id=membership.id,
        filename=filename[:255],
        source=source,
        payload=to_json_dict(parsed),  # the exchange format keeps the warnings too
    )
    session.add(draft)
    session.flush()
    return draft


def draft_tree(draft: FrameworkImport) -> ParsedFramework:
    return from_json_dict(draft.payload)


def confirm_import(session: Session, draft: FrameworkImport) -> Framework:
    if draft.framework_id is not None:
        raise ServiceError("Cet import a déjà été enregistré.")
    parsed = draft_tree(draft)
    same = identical_version(session, parsed) if draft.source == "reac" else None
    if same is not None:
        draft.framework_id = same.id
        session.flush()
        raise ServiceError(identical_message(same))
    fw = save_parsed(session, parsed, source=draft.source, filename=draft.filename)
    draft.framework_id = fw.id
    session.flush()
    return fw


def identical_message(fw: Framework) -> str:
    return (
        f"Ce document est identique au référentiel « {fw.title} » (version {fw.version_number}) "
        "déjà importé : il n'est pas importé une seconde fois."
    )


def purge_old_imports(session: Session) -> int:
    cutoff = datetime.now(UTC) - DRAFT_LIFETIME
    old = session.scalars(select(FrameworkImport).where(FrameworkImport.created_at < cutoff)).all()
    for draft in old:
        session.delete(draft)
    return len(old)
