"""Accueil: the structure's checklist template, each salarié's instance and its progress."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from siae_app.models import Employee, Membership, OnboardingItem, OnboardingTemplateItem
from siae_app.models.base import utcnow
from siae_app.models.onboarding import DEFAULT_CHECKLIST, RESPONSIBLES
from siae_app.services import ServiceError


def template_items(
    session: Session, *, include_archived: bool = False
) -> list[OnboardingTemplateItem]:
    """The structure's checklist, seeded with the default items the first time."""
    rows = session.scalars(
        select(OnboardingTemplateItem).order_by(OnboardingTemplateItem.position)
    ).all()
    if not rows:
        rows = [
            OnboardingTemplateItem(
                key=key,
                label=label,
                responsible=responsible,
                due_days=days,
                date_required=needs_date,
                position=i,
            )
            for i, (key, label, responsible, days, needs_date) in enumerate(DEFAULT_CHECKLIST)
        ]
        session.add_all(rows)
        session.flush()
    return [t for t in rows if include_archived or not t.is_archived]


def save_template_item(
    session: Session,
    item: OnboardingTemplateItem | None,
    *,
    label: str,
    responsible: str,
    due_days: int,
    date_required: bool,
    is_archived: bool = False,
) -> OnboardingTemplateItem:
    if responsible not in RESPONSIBLES:
        raise ServiceError("Responsable inconnu.", field="responsible")
    if not 0 <= due_days <= 365:
        raise ServiceError("Le délai va de 0 à 365 jours.", field="due_days")
    existing = template_items(session, include_archived=True)
    if item is None:
        item = OnboardingTemplateItem(key=f"item_{uuid.uuid4().hex[:8]}", position=len(existing))
        session.add(item)
    item.label, item.responsible, item.due_days = label.strip(), responsible, due_days
    item.date_required, item.is_archived = date_required, is_archived
    session.flush()
    return item


def due_on(employee: Employee, template: OnboardingTemplateItem) -> date | None:
    if employee.entry_date is None:
        return None
    return employee.entry_date + timedelta(days=template.due_days)


def is_overdue(employee: Employee, item: OnboardingItem, today: date) -> bool:
    due = due_on(employee, item.template_item)
    return item.done_on is None and due is not None and due < today


@dataclass
class Checklist:
    employee: Employee
    items: list[OnboardingItem]
    today: date

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.is_done)

    @property
    def progress(self) -> str:
        return f"{self.done}/{len(self.items)}"

    def due(self, item: OnboardingItem) -> date | None:
        return due_on(self.employee, item.template_item)

    def overdue(self, item: OnboardingItem) -> bool:
        return is_overdue(self.employee, item, self.today)

    @property
    def late(self) -> list[OnboardingItem]:
        return [i for i in self.items if self.overdue(i)]


def checklist(session: Session, employee: Employee, today: date | None = None) -> Checklist:
    """The salarié's accueil, creating the items of the current template it lacks."""
    templates = template_items(session)
    items = session.scalars(
        select(OnboardingItem)
        .options(
            selectinload(OnboardingItem.template_item),
            selectinload(OnboardingItem.done_by).selectinload(Membership.user),
        )
        .where(OnboardingItem.employee_id == employee.id)
    ).all()
    have = {i.template_item_id for i in items}
    missing = [
        OnboardingItem(employee_id=employee.id, template_item_id=t.id, template_item=t)
        for t in templates
        if t.id not in have
    ]
    if missing:
        session.add_all(missing)
        session.flush()
    kept = [i for i in [*items, *missing] if not i.template_item.is_archived or i.is_done]
    kept.sort(key=lambda i: i.template_item.position)
    return Checklist(employee=employee, items=kept, today=today or date.today())


def tick(
    session: Session,
    item: OnboardingItem,
    *,
    membership: Membership,
    done_on: date | None,
    today: date | None = None,
) -> OnboardingItem:
    today = today or date.today()
    if done_on is None:
        if item.template_item.date_required:
            raise ServiceError(
                "Indiquez la date : elle est obligatoire pour cet élément.", field="done_on"
            )
        done_on = today
    if done_on > today:
        raise ServiceError("La date ne peut pas être dans le futur.", field="done_on")
    item.done_on, item.done_by_id, item.recorded_at = done_on, membership.id, utcnow()
    session.flush()
    return item


def untick(session: Session, item: OnboardingItem) -> OnboardingItem:
    item.done_on, item.done_by_id, item.recorded_at = None, None, None
    session.flush()
    return item


def done_on(session: Session, employee: Employee, key: str) -> date | None:
    """The day the salarié's accueil item ``key`` was done (None: not done, or no such item)."""
    return session.scalar(
        select(OnboardingItem.done_on)
        .join(OnboardingTemplateItem, OnboardingTemplateItem.id == OnboardingItem.template_item_id)
        .where(OnboardingItem.employee_id == employee.id, OnboardingTemplateItem.key == key)
    )
