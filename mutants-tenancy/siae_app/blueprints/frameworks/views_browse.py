"""Browse frameworks: list, tree, competency detail, active search, exports."""

from __future__ import annotations

import uuid

from flask import Response, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

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
from siae_app.rendering import render, wants_fragment
from siae_app.services.exports import attachment
from siae_app.services.frameworks import queries, storage
from siae_app.services.frameworks import search as search_service
from siae_app.services.frameworks.exchange.csv_writer import to_csv_bytes
from siae_app.services.frameworks.exchange.json_writer import to_json_text

# From this many competencies the tree page loads a block's content when it is opened.
LAZY_FROM = 40


def _results_block() -> str | None:
    """The search results alone for an htmx search; the whole page for a visit, and for
    htmx's history restore (Back), which must find the box filled and the results."""
    return None if request.headers.get("HX-History-Restore-Request") else "results"


def _search(framework_id: uuid.UUID | None = None) -> dict:
    """The search of ``?q=`` (and ``?anciennes=1``): the page renders its results itself, so
    a reload or Back shows the query and its results."""
    include_old = request.args.get("anciennes") == "1"
    results = search_service.search(
        db.session, request.args.get("q") or "", framework_id, include_old=include_old
    )
    return {"results": results, "q": results.query, "include_old": include_old}


@bp.get("/")
@require(Perm.FRAMEWORKS_VIEW)
def index():
    found = _search()
    if "q" in request.args and wants_fragment() and _results_block():
        return render("frameworks/index.html", block="results", **found)
    show_archived = request.args.get("archives") == "1"
    stmt = select(Framework).order_by(Framework.title, Framework.version_number.desc())
    if not show_archived:
        stmt = stmt.where(Framework.is_archived.is_(False))
    return render(
        "frameworks/index.html",
        frameworks=db.session.scalars(stmt).all(),
        counts=_counts(Criterion),
        comp_counts=_counts(Competency),
        old_ids=queries.old_version_ids(db.session),
        show_archived=show_archived,
        **found,
    )


def _counts(model) -> dict:
    return dict(
        db.session.execute(
            select(model.framework_id, func.count(model.id))
            .where(model.is_archived.is_(False))
            .group_by(model.framework_id)
        ).all()
    )


@bp.get("/recherche")
@require(Perm.FRAMEWORKS_VIEW)
def search():
    framework_id = None
    raw = request.args.get("referentiel")
    if raw:
        try:
            framework_id = uuid.UUID(raw)
        except ValueError:
            framework_id = None
    return render(
        "frameworks/search.html",
        block=_results_block(),
        framework_id=framework_id,
        **_search(framework_id),
    )


@bp.get("/<uuid:framework_id>")
@require(Perm.FRAMEWORKS_VIEW)
def show(framework_id: uuid.UUID):
    found = _search(framework_id)
    if "q" in request.args and wants_fragment() and _results_block():
        loaders.framework(framework_id)  # 404 outside the structure
        return render("frameworks/show.html", block="results", **found)
    fw = loaders.framework(framework_id, tree=True)
    activities = db.session.scalars(
        select(Activity)
        .join(ActivityFramework, ActivityFramework.activity_id == Activity.id)
        .where(ActivityFramework.framework_id == fw.id)
        .order_by(Activity.name)
    ).all()
    tree = tree_of(fw)
    return render(
        "frameworks/show.html",
        fw=fw,
        tree=tree,
        lazy=tree["n_comps"] + tree["n_transversal"] > LAZY_FROM,
        versions=queries.versions(db.session, fw),
        newer=queries.newer_version(db.session, fw),
        activities=activities,
        **found,
    )


def _block_competencies(fw: Framework, block_id: uuid.UUID | None) -> list[Competency]:
    return list(
        db.session.scalars(
            select(Competency)
            .where(
                Competency.framework_id == fw.id,
                Competency.block_id == block_id,
                Competency.is_archived.is_(False),
            )
            .order_by(Competency.position)
            .options(selectinload(Competency.criteria))
        )
    )


@bp.get("/<uuid:framework_id>/blocs/<uuid:block_id>")
@require(Perm.FRAMEWORKS_VIEW)
def block(framework_id: uuid.UUID, block_id: uuid.UUID):
    """A block's competencies: the content of its <details> on the tree page (loaded when
    opened), or a page of its own without JavaScript."""
    fw = loaders.framework(framework_id)
    blk = loaders.block(fw, block_id)
    comps = _block_competencies(fw, blk.id)
    return render("frameworks/block.html", block="comps", fw=fw, group=blk, comps=comps)


@bp.get("/<uuid:framework_id>/transversales")
@require(Perm.FRAMEWORKS_VIEW)
def transversal(framework_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    comps = _block_competencies(fw, None)
    return render("frameworks/block.html", block="comps", fw=fw, group=None, comps=comps)


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

    def criteria_in(comps) -> int:
        return sum(len([k for k in c.criteria if keep(k)]) for c in comps)

    return {
        "criteria_in": criteria_in,
        "blocks": blocks,
        "transversal": transversal,
        "n_blocks": len(blocks),
        "n_comps": sum(len(cs) for _, cs in blocks),
        "n_transversal": len(transversal),
        "n_criteria": criteria_in(comps),
        "keep": keep,
    }


@bp.get("/<uuid:framework_id>/competences/<uuid:competency_id>")
@require(Perm.FRAMEWORKS_VIEW)
def competency(framework_id: uuid.UUID, competency_id: uuid.UUID):
    fw = loaders.framework(framework_id)
    comp = loaders.competency(fw, competency_id)
    return render("frameworks/competency.html", fw=fw, comp=comp, knowledge_labels=KNOWLEDGE_LABELS)


def _download(body: bytes, fw: Framework, ext: str, mimetype: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": attachment(fw.title, ext)}
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
