"""Browse frameworks: list, tree, competency detail, active search, exports."""

from __future__ import annotations

import uuid

from flask import Response, request
from sqlalchemy import func, select

from siae_app.blueprints.frameworks import bp, loaders
from siae_app.extensions import db
from siae_app.models import (
    Activity,
    ActivityFramework,
    Competency,
    Criterion,
    Framework,
)
from siae_app.models.frameworks import KNOWLEDGE_LABELS
from siae_app.permissions.policy import Perm, require
from siae_app.rendering import render
from siae_app.services.frameworks import search as search_service
from siae_app.services.frameworks import storage
from siae_app.services.frameworks.exchange import to_csv_bytes, to_json_text


@bp.get("/")
@require(Perm.FRAMEWORKS_VIEW)
def index():
    show_archived = request.args.get("archives") == "1"
    stmt = select(Framework).order_by(Framework.title, Framework.version_number.desc())
    if not show_archived:
        stmt = stmt.where(Framework.is_archived.is_(False))
    frameworks = db.session.scalars(stmt).all()
    counts = dict(
        db.session.execute(
            select(Criterion.framework_id, func.count(Criterion.id))
            .where(Criterion.is_archived.is_(False))
            .group_by(Criterion.framework_id)
        ).all()
    )
    comp_counts = dict(
        db.session.execute(
            select(Competency.framework_id, func.count(Competency.id))
            .where(Competency.is_archived.is_(False))
            .group_by(Competency.framework_id)
        ).all()
    )
    return render(
        "frameworks/index.html",
        frameworks=frameworks,
        counts=counts,
        comp_counts=comp_counts,
        show_archived=show_archived,
    )


@bp.get("/recherche")
@require(Perm.FRAMEWORKS_VIEW)
def search():
    q = (request.args.get("q") or "").strip()[:100]
    framework_id = None
    raw = request.args.get("referentiel")
    if raw:
        try:
            framework_id = uuid.UUID(raw)
        except ValueError:
            framework_id = None
    comps, crits = search_service.search(db.session, q, framework_id) if q else ([], [])
    return render(
        "frameworks/search.html",
        block="results",
        q=q,
        comps=comps,
        crits=crits,
        framework_id=framework_id,
    )


@bp.get("/<uuid:framework_id>")
@require(Perm.FRAMEWORKS_VIEW)
def show(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id, tree=True)
    activities = db.session.scalars(
        select(Activity)
        .join(ActivityFramework, ActivityFramework.activity_id == Activity.id)
        .where(ActivityFramework.framework_id == fw.id)
        .order_by(Activity.name)
    ).all()
    return render(
        "frameworks/show.html",
        fw=fw,
        tree=tree_of(fw),
        versions=storage.versions(db.session, fw),
        activities=activities,
    )


def tree_of(fw: Framework, include_archived: bool = False) -> dict:
    """Blocks with their competencies, and the transversal ones, for the templates."""
    keep = (lambda o: True) if include_archived else (lambda o: not o.is_archived)
    by_block: dict = {}
    for comp in fw.competencies:
        if keep(comp):
            by_block.setdefault(comp.block_id, []).append(comp)
    blocks = [(b, by_block.get(b.id, [])) for b in fw.blocks if keep(b)]
    transversal = by_block.get(None, [])
    comps = [c for _, cs in blocks for c in cs] + transversal
    return {
        "blocks": blocks,
        "transversal": transversal,
        "n_blocks": len(blocks),
        "n_comps": sum(len(cs) for _, cs in blocks),
        "n_transversal": len(transversal),
        "n_criteria": sum(len([k for k in c.criteria if keep(k)]) for c in comps),
        "keep": keep,
    }


@bp.get("/<uuid:framework_id>/competences/<uuid:competency_id>")
@require(Perm.FRAMEWORKS_VIEW)
def competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    comp = loaders.competency(fw, competency_id)
    return render("frameworks/competency.html", fw=fw, comp=comp, knowledge_labels=KNOWLEDGE_LABELS)


def _download(body: bytes, fw: Framework, ext: str, mimetype: str) -> Response:
    stem = (fw.acronym or fw.code or "referentiel").replace(" ", "_")
    filename = f"{stem}-v{fw.version_number}.{ext}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/<uuid:framework_id>/export.json")
@require(Perm.FRAMEWORKS_VIEW)
def export_json(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id, tree=True)
    body = to_json_text(storage.to_parsed(fw)).encode("utf-8")
    return _download(body, fw, "json", "application/json")


@bp.get("/<uuid:framework_id>/export.csv")
@require(Perm.FRAMEWORKS_VIEW)
def export_csv(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id, tree=True)
    return _download(to_csv_bytes(storage.to_parsed(fw)), fw, "csv", "text/csv")
