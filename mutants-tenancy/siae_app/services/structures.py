"""Creating structures (platform operator, from the command line)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Membership, Role, Structure
from siae_app.models.structures import SLUG_RE, STRUCTURE_KINDS
from siae_app.services import ServiceError
from siae_app.services.accounts import invite_member
from siae_app.services.scales import create_default_scale


def create_structure(
    session: Session,
    *,
    slug: str,
    name: str,
    kind: str,
    admin_email: str,
    admin_first_name: str,
    admin_last_name: str,
    city: str | None = None,
) -> tuple[Structure, Membership, str]:
    """Create the structure and its first administrator; return the invitation link."""
    if not SLUG_RE.fullmatch(slug):
        raise ServiceError(
            "Identifiant invalide : lettres minuscules, chiffres et tirets (60 au plus)."
        )
    if kind not in STRUCTURE_KINDS:
        raise ServiceError(f"Type inconnu : {kind} (attendu : {', '.join(STRUCTURE_KINDS)}).")
    if session.scalar(select(Structure).where(Structure.slug == slug)):
        raise ServiceError(f"Une structure utilise déjà l'identifiant « {slug} ».")
    structure = Structure(slug=slug, name=name.strip(), kind=kind, city=city)
    session.add(structure)
    session.flush()
    with tenancy.tenant_scope(session, structure.id):
        create_default_scale(session, structure.id)
        membership, link, _mailed = invite_member(
            session,
            structure,
            email=admin_email,
            first_name=admin_first_name,
            last_name=admin_last_name,
            roles=[Role.ADMIN],
        )
    return structure, membership, link


def list_structures(session: Session) -> list[Structure]:
    return list(session.scalars(select(Structure).order_by(Structure.slug)))
