"""Load a framework's objects from URL ids: 404 unless they belong together (and to the tenant)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import Block, Competency, Criterion, Framework, FrameworkImport
from siae_app.services.frameworks import queries


def framework(framework_id: uuid.UUID, tree: bool = False) -> Framework:
    stmt = queries.tree_query() if tree else select(Framework)
    return db.first_or_404(stmt.where(Framework.id == framework_id))


def _child(model, item_id: uuid.UUID, fw: Framework):
    return db.first_or_404(select(model).where(model.id == item_id, model.framework_id == fw.id))


def block(fw: Framework, block_id: uuid.UUID) -> Block:
    return _child(Block, block_id, fw)


def competency(fw: Framework, competency_id: uuid.UUID) -> Competency:
    return _child(Competency, competency_id, fw)


def criterion(fw: Framework, criterion_id: uuid.UUID) -> Criterion:
    return _child(Criterion, criterion_id, fw)


def draft(import_id: uuid.UUID) -> FrameworkImport:
    return db.first_or_404(select(FrameworkImport).where(FrameworkImport.id == import_id))
