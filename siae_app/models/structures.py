"""The tenant: a structure d'insertion (SIAE)."""

from __future__ import annotations

import re

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, deferred, mapped_column

from siae_app.models.base import Base, Timestamped, UUIDPk, label_of

# A structure's identifier in its URLs (/s/<slug>/); checked with fullmatch (no trailing newline).
SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")

STRUCTURE_KINDS = {
    "ACI": "Atelier et chantier d'insertion",
    "EI": "Entreprise d'insertion",
    "ETTI": "Entreprise de travail temporaire d'insertion",
    "AI": "Association intermédiaire",
    "RQ": "Régie de quartier",
    "EA": "Entreprise adaptée",
    "ESAT": "ESAT",
}


class Structure(UUIDPk, Timestamped, Base):
    __tablename__ = "structures"

    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="ACI")
    city: Mapped[str | None] = mapped_column(String(120))
    # Identity printed on bilans and attestations.
    siret: Mapped[str | None] = mapped_column(String(14))
    address: Mapped[str | None] = mapped_column(String(300))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mime: Mapped[str | None] = mapped_column(String(30))
    # Reporting settings: hours of one ETP in the IAE's count (35 h × 52 weeks), and the stay
    # below which a sortie is not counted in the exit rates.
    hours_per_etp: Mapped[int] = mapped_column(Integer, default=1820, server_default="1820")
    exit_min_stay_months: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # The renewal circuit of a CDDI opens this many months before the contract ends.
    renewal_notice_months: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # The salarié's own space closes this many months after their sortie.
    personal_space_months: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    # The information notice handed at accueil, as the direction wrote it (None: the default
    # of siae_app/privacy/notice.py).
    privacy_notice: Mapped[str | None] = mapped_column(Text)
    # Set by the direction: every member must sign in with a second factor, not only the
    # direction and the administrators (who always must).
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Bumped by every commit that changes what the direction's figures read: the key of their
    # cache (siae_app.services.funding.revision).
    figures_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The same, except that attendance marks do not move it: the key of what reads the
    # salariés' files but no mark (the alerts' lines, the « fin dans N semaines » list).
    files_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Moved only by the tables the dashboard's figures read: its key.
    dashboard_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    kind_label = label_of("kind", STRUCTURE_KINDS)

    def __repr__(self) -> str:
        return f"<Structure {self.slug}>"
