"""The structure's identity printed on documents: SIRET (checked), address, logo."""

from __future__ import annotations

from sqlalchemy.orm import Session

from siae_app.models import Structure
from siae_app.services import ServiceError

LOGO_MAX_BYTES = 300 * 1024
# A logo is trusted by what its bytes are, not by its name or the browser's type.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
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


def logo_mime(content: bytes) -> str:
    if len(content) > LOGO_MAX_BYTES:
        raise ServiceError("Le logo dépasse 300 Ko : réduisez-le avant de l'envoyer.", "logo")
    for magic, mime in MAGIC:
        if content.startswith(magic):
            return mime
    raise ServiceError("Le logo doit être une image PNG ou JPEG.", "logo")


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
        structure.logo_mime = logo_mime(logo)
        structure.logo = logo
    elif remove_logo:
        structure.logo, structure.logo_mime = None, None
    session.flush()
    return structure
