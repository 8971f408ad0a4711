"""A structure's retention durations: the register's defaults, lengthened by the direction.

A duration may only grow, up to the rule's ceiling, and with a motif: the defaults are what
the texts give (siae_app/privacy/registry.py), a shorter one would break a legal duty.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Membership, RetentionSetting
from siae_app.privacy.registry import RULES, SETTABLE, Retention, Rule
from siae_app.services import ServiceError


@dataclass(frozen=True)
class Duration:
    retention: Retention
    months: int
    setting: RetentionSetting | None  # None: the default

    @property
    def lengthened(self) -> bool:
        return self.setting is not None and self.months > self.retention.default_months


def durations(session: Session, structure_id: uuid.UUID) -> dict[Rule, Duration]:
    """Every settable rule's duration in the structure (one query)."""
    settings = {
        s.rule: s
        for s in session.scalars(
            select(RetentionSetting).where(RetentionSetting.structure_id == structure_id)
        )
    }
    out = {}
    for rule in SETTABLE:
        setting = settings.get(rule.value)
        months = setting.months if setting else RULES[rule].default_months
        out[rule] = Duration(RULES[rule], months, setting)
    return out


def lengthen(
    session: Session,
    structure_id: uuid.UUID,
    rule: Rule,
    months: int,
    motif: str,
    by: Membership | None,
) -> RetentionSetting | None:
    """Set the duration of ``rule``; back to the default removes the setting. Flushes."""
    if rule not in SETTABLE:
        raise ServiceError("Cette durée ne se règle pas.", field="rule")
    retention = RULES[rule]
    if months < retention.default_months:
        raise ServiceError(
            f"La durée ne peut pas être plus courte que {retention.default_months} mois : "
            "c'est ce que demandent les textes.",
            field="months",
        )
    if months > retention.max_months:
        raise ServiceError(
            f"La durée ne peut pas dépasser {retention.max_months} mois.", field="months"
        )
    motif = (motif or "").strip()
    existing = session.scalar(
        select(RetentionSetting).where(
            RetentionSetting.structure_id == structure_id, RetentionSetting.rule == rule.value
        )
    )
    if months == retention.default_months:
        if existing is not None:
            session.delete(existing)
            session.flush()
        return None
    if not motif:
        raise ServiceError(
            "Dites pourquoi la structure garde ces données plus longtemps.", field="motif"
        )
    if existing is None:
        existing = RetentionSetting(structure_id=structure_id, rule=rule.value)
        session.add(existing)
    existing.months, existing.motif = months, motif
    existing.set_by_id = by.id if by else None
    session.flush()
    return existing
