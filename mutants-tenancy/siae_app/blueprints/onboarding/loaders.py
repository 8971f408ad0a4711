"""Accueil items from URL ids: 404 outside the tenant or the scope."""

from __future__ import annotations

import uuid

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from siae_app.extensions import db
from siae_app.models import OnboardingItem, OnboardingTemplateItem
from siae_app.permissions import scopes


def item(item_id: uuid.UUID) -> OnboardingItem:
    stmt = scopes.employee_rows(g.membership, OnboardingItem).options(
        selectinload(OnboardingItem.template_item)
    )
    return db.first_or_404(stmt.where(OnboardingItem.id == item_id))


def template_item(template_item_id: uuid.UUID) -> OnboardingTemplateItem:
    stmt = select(OnboardingTemplateItem).where(OnboardingTemplateItem.id == template_item_id)
    return db.first_or_404(stmt)
