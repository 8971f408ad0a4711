"""The daily reminders job of « Mon espace »: one structure, inside its tenant scope."""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict
from datetime import date

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.jobs import flask_context
from siae_app.models import Structure
from siae_app.services.personal_space import reminders

log = logging.getLogger(__name__)


def send_reminders(structure_id: str, day: str, *, inline: bool = False) -> dict:
    """Send the structure's reminders of ``day`` (ISO date) and return the counts. On the
    queue the job commits what it sent (the day of each reminder); inline, its caller does."""
    with flask_context():
        session = db.session
        outcome: dict = {}
        with tenancy.tenant_scope(session, uuid.UUID(structure_id)):
            structure = session.get(Structure, uuid.UUID(structure_id))
            if structure is not None:
                outcome = asdict(reminders.send(session, structure, date.fromisoformat(day)))
                log.info("Rappels de l'espace (%s, %s) : %s", structure.slug, day, outcome)
            if not inline:
                session.commit()
        if not inline:
            session.remove()
    return outcome
