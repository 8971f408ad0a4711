"""The batch export job: builds the ZIP of an AttestationBatch in its structure's scope."""

from __future__ import annotations

import logging
import uuid

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.jobs import flask_context
from siae_app.models.attestations import AttestationBatch
from siae_app.services.attestations import batch as batch_service

log = logging.getLogger(__name__)


def build_batch(structure_id: str, batch_id: str, *, inline: bool = False) -> None:
    """Build the archive; progress is committed as it goes so the page's bar moves (on the
    queue). Inline (inside the request that asked for it) the request commits once."""
    with flask_context():
        session = db.session
        with tenancy.tenant_scope(session, uuid.UUID(structure_id)):
            batch = session.get(AttestationBatch, uuid.UUID(batch_id))
            if batch is None:
                return
            commit = None if inline else session.commit
            try:
                batch_service.build(session, batch, on_progress=commit)
            except Exception:
                log.exception("Export d'attestations %s en échec", batch_id)
                if not inline:
                    session.rollback()
                batch_service.fail(session, batch)
            if not inline:
                session.commit()
        if not inline:
            session.remove()
