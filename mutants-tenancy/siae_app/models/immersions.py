"""Immersions (PMSMP, « période de mise en situation en milieu professionnel »): the
convention signed with a host of the structure's directory, and what it gave.

Code du travail, article D5135-3: one month at most « de date à date », renewable once for the
same objectives when they were not reached, at most two conventions with the same host over
twelve consecutive months (different objects or objectives), sixty days in all, renewals
included. The rules are checked by services/immersions.py.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from siae_app.models.accounts import Membership
from siae_app.models.base import TenantRecord, label_of, refers_to
from siae_app.models.employees import OfEmployee
from siae_app.models.partners import Partner

# The three objects of a PMSMP (code du travail, L5135-1).
IMMERSION_OBJECTS = {
    "decouvrir": "Découvrir un métier ou un secteur d'activité",
    "confirmer": "Confirmer un projet professionnel",
    "recruter": "Initier une démarche de recrutement",
}

OBJECTIVES_REACHED = {
    "oui": "Oui",
    "partiellement": "Partiellement",
    "non": "Non",
}


class Immersion(OfEmployee, TenantRecord):
    """One PMSMP convention of a salarié with a host (a partner of the directory); a renewal
    points to the convention it renews (``renewal_of``)."""

    __tablename__ = "immersions"

    partner_id: Mapped[uuid.UUID] = refers_to("partners", ondelete="RESTRICT")
    object_kind: Mapped[str] = mapped_column(String(20))
    objectives: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    renewal_of_id: Mapped[uuid.UUID | None] = refers_to("immersions", ondelete="RESTRICT")
    recorded_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")
    # The outcome, recorded after the end date.
    objectives_reached: Mapped[str | None] = mapped_column(String(20))
    host_observations: Mapped[str | None] = mapped_column(Text)
    job_offer: Mapped[bool | None] = mapped_column(Boolean)
    job_offer_details: Mapped[str | None] = mapped_column(Text)
    outcome_by_id: Mapped[uuid.UUID | None] = refers_to("memberships")

    partner: Mapped[Partner] = relationship()
    renewal_of: Mapped[Immersion | None] = relationship(remote_side="Immersion.id")
    recorded_by: Mapped[Membership | None] = relationship(foreign_keys=[recorded_by_id])
    outcome_by: Mapped[Membership | None] = relationship(foreign_keys=[outcome_by_id])

    object_label = label_of("object_kind", IMMERSION_OBJECTS)
    reached_label = label_of("objectives_reached", OBJECTIVES_REACHED)

    @property
    def is_renewal(self) -> bool:
        return self.renewal_of_id is not None
