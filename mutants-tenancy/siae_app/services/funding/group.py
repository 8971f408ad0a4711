"""A group of structures (a groupe économique solidaire running an ACI and an EI): each
structure's figures of a year side by side, and their sum.

Each structure's figures are computed under its own tenant, one after the other — never one
query across structures — and only for the structures where the person holds a role that
reads the pilotage (coordination, direction).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app import tenancy
from siae_app.models import Role, Structure
from siae_app.services.funding import exits, indicators
from siae_app.tenancy.lookup import MembershipSummary

PILOTING_ROLES = frozenset({Role.COORDINATOR.value, Role.DIRECTOR.value})
SUMMED = ("people_served", "entries", "exits_counted", "hours_paid", "etp_conventioned")


@dataclass(frozen=True)
class Column:
    name: str
    figures: dict


def piloted(memberships: list[MembershipSummary]) -> list[MembershipSummary]:
    """The person's active memberships that read the pilotage, by structure name."""
    found = [m for m in memberships if m.is_active and PILOTING_ROLES & set(m.roles)]
    return sorted(found, key=lambda m: m.structure.name)


def columns(session: Session, memberships: list[MembershipSummary], year: int) -> list[Column]:
    result = []
    for membership in memberships:
        with tenancy.tenant_scope(session, membership.structure_id):
            structure = session.scalar(
                select(Structure).where(Structure.id == membership.structure_id)
            )
            result.append(Column(structure.name, indicators.annual(session, structure, year)))
    return result


def _round(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def total(cols: list[Column]) -> dict:
    """The sum of the columns; rates recomputed from the summed sorties, ETP consumed from
    each structure's own (their hours of an ETP may differ)."""
    summed = {key: _round(sum(c.figures[key] for c in cols)) for key in SUMMED}
    for key in ("people_served", "entries", "exits_counted"):
        summed[key] = int(summed[key])
    summed["etp_consumed"] = _round(sum(c.figures["etp_consumed"] for c in cols))
    counts = exits.ExitCounts(
        **{k: sum(c.figures["exits"][k] for c in cols) for k in exits.CATEGORY_LABELS}
    )
    summed["exits"] = counts.as_dict()
    summed["dynamic_exit_rate"] = _rate(counts.dynamic_rate)
    summed["durable_exit_rate"] = _rate(counts.durable_rate)
    return summed


def _rate(value) -> float | None:
    return None if value is None else float(value)


ROWS = [
    ("people_served", "Personnes accompagnées"),
    ("entries", "Entrées"),
    ("exits_counted", "Sorties comptabilisées"),
    *((f"exits.{k}", f"Sorties : {label.lower()}") for k, label in exits.CATEGORY_LABELS.items()),
    ("dynamic_exit_rate", "Taux de sorties dynamiques"),
    ("durable_exit_rate", "Taux de sorties en emploi durable"),
    ("hours_paid", "Heures payées"),
    ("etp_conventioned", "ETP conventionnés"),
    ("etp_consumed", "ETP consommés"),
]


def value(figures: dict, key: str):
    if key.startswith("exits."):
        return figures["exits"][key.removeprefix("exits.")]
    return figures[key]
