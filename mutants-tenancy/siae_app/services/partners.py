"""Partenaires (cartographie des acteurs) and their contacts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Partner, PartnerContact
from siae_app.models.partners import PARTNER_KINDS
from siae_app.services import ServiceError


def active_partners(session: Session) -> list[Partner]:
    return list(
        session.scalars(
            select(Partner).where(Partner.is_archived.is_(False)).order_by(Partner.name)
        )
    )


def save_partner(
    session: Session,
    partner: Partner | None,
    *,
    name: str,
    kind: str,
    address: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    notes: str | None = None,
    is_archived: bool = False,
) -> Partner:
    name = name.strip()
    if kind not in PARTNER_KINDS:
        raise ServiceError("Type de partenaire inconnu.", field="kind")
    rows = session.execute(select(Partner.id, Partner.name)).all()
    current = partner.id if partner else None
    if any(n.casefold() == name.casefold() and i != current for i, n in rows):
        raise ServiceError(f"Le partenaire « {name} » existe déjà.", field="name")
    if partner is None:
        partner = Partner(name=name)
        session.add(partner)
    partner.name, partner.kind, partner.is_archived = name, kind, is_archived
    partner.address, partner.phone = address or None, phone or None
    partner.email, partner.notes = email or None, notes or None
    session.flush()
    return partner


def add_contact(
    session: Session,
    partner: Partner,
    *,
    name: str,
    job_title: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> PartnerContact:
    contact = PartnerContact(
        partner_id=partner.id,
        name=name.strip(),
        job_title=job_title or None,
        phone=phone or None,
        email=email or None,
    )
    session.add(contact)
    session.flush()
    return contact
