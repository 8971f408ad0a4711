"""The structure's identity printed on documents: SIRET (checked), address, logo (decoded,
bounded and re-encoded by :mod:`siae_app.services.logo_image`)."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy.orm import Session

from siae_app.models import Structure
from siae_app.services import ServiceError, logo_image
from siae_app.services.pdf import data_url

LOGO_MAX_BYTES = logo_image.MAX_BYTES
LA_POSTE_SIREN = "356000000"  # its establishments follow another checksum rule


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def clean_siret(typed: str | None) -> str | None:
    value = "".join((typed or "").split())
    if not value:
        return None
    if len(value) != 14 or not value.isdigit():
        raise ServiceError("Le SIRET compte 14 chiffres (exemple : 732 829 320 00074).", "siret")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_ok(value)
    if not valid:
        raise ServiceError(
            "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez chaque chiffre.",
            "siret",
        )
    return value


def logo_url(structure: Structure) -> Markup | None:
    """The logo as a data: URL for a page or a PDF, or None when there is none or when a
    logo stored by an earlier version is beyond what a PDF may print."""
    if not structure.logo or not logo_image.printable(structure.logo):
        return None
    return data_url(structure.logo, structure.logo_mime)


def save(
    session: Session,
    structure: Structure,
    *,
    siret: str | None,
    address: str | None,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Structure:
    structure.siret = clean_siret(siret)
    structure.address = address or None
    if logo:
        # A logo is trusted by what its decoded pixels are, never by its name or type.
        prepared = logo_image.prepare(logo)
        structure.logo, structure.logo_mime = prepared.content, prepared.mime
    elif remove_logo:
        structure.logo, structure.logo_mime = None, None
    session.flush()
    return structure
