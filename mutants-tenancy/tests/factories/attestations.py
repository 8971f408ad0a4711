"""Validated assessments (the evaluations helper builds the screens; these build the rows),
signed attestations and finished batch exports."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import AttestationStatus, BatchStatus, Employee, Membership
from siae_app.models.attestations import Attestation, AttestationBatch
from siae_app.models.evaluations import Assessment, AssessmentItem
from siae_app.models.frameworks import Competency, Framework
from siae_app.models.scales import Scale
from siae_app.services.attestations import compose, signing

FAKE_PDF = b"%PDF-1.4\n% attestation de test\n%%EOF\n"


def _default_scale(structure_id) -> Scale:
    return db.session.scalar(
        select(Scale).where(Scale.structure_id == structure_id).order_by(Scale.created_at)
    )


def make_validated_assessment(
    employee: Employee,
    author: Membership,
    validator: Membership | None = None,
    *,
    framework: Framework | None = None,
    link_levels: bool = True,
    assessed_on: date | None = None,
    not_acquired: int = 1,
    kind: str = "final",
) -> Assessment:
    """A locked assessment of ``employee``: every competency of the framework at « Acquis »
    except the last ``not_acquired`` (« En cours d'acquisition »). Without ``link_levels``
    the items keep only the frozen level (label, rank, acquired), as after the level was
    removed from the scale: the test world's scale is then not in use at all."""
    sid = employee.structure_id
    with tenancy.tenant_scope(db.session, sid):
        if framework is None:
            framework = db.session.scalar(
                select(Framework).where(Framework.structure_id == sid).order_by(Framework.title)
            )
        scale = _default_scale(sid)
        levels = {lvl.code: lvl for lvl in scale.levels}
        competencies = db.session.scalars(
            select(Competency)
            .where(Competency.framework_id == framework.id)
            .order_by(Competency.position)
        ).all()
        now = datetime.now(UTC)
        assessment = Assessment(
            structure_id=sid,
            employee_id=employee.id,
            scale_id=scale.id if link_levels else None,
            grid_name=f"Grille {framework.title}",
            kind=kind,
            assessed_on=assessed_on or date.today() - timedelta(days=3),
            author_id=author.id,
            eti_validated_at=now,
            eti_validated_by_id=author.id,
            cip_validated_at=now if validator else None,
            cip_validated_by_id=validator.id if validator else None,
            locked_at=now,
        )
        cut = len(competencies) - not_acquired
        for n, competency in enumerate(competencies):
            level = levels["A"] if n < cut else levels["ECA"]
            assessment.items.append(
                AssessmentItem(
                    structure_id=sid,
                    competency_id=competency.id,
                    position=n,
                    label=competency.title,
                    source_label=framework.title,
                    level_id=level.id if link_levels else None,
                    level_label=level.label,
                    level_rank=level.position,
                    counts_as_acquired=level.counts_as_acquired,
                )
            )
        db.session.add(assessment)
        db.session.commit()
    return assessment


def make_attestation(
    employee: Employee,
    proposer: Membership,
    signer: Membership | None = None,
    *,
    omit_insertion_word: bool = False,
) -> Attestation:
    """A proposed attestation, or a signed one (with a small stand-in PDF: rendering the
    real one is tested where it matters) when ``signer`` is given."""
    with tenancy.tenant_scope(db.session, employee.structure_id):
        attestation = compose.propose(
            db.session, employee, proposer, omit_insertion_word=omit_insertion_word
        )
        if signer is not None:
            attestation.status = AttestationStatus.SIGNED
            attestation.signer_name = signer.user.full_name
            attestation.signed_by_id = signer.id
            attestation.signed_at = datetime.now(UTC)
            attestation.signed_on = date.today()
            attestation.signed_place = "Lyon"
            attestation.verification_code = signing.new_code()
            attestation.pdf = FAKE_PDF
            attestation.pdf_sha256 = hashlib.sha256(FAKE_PDF).hexdigest()
        db.session.commit()
    return attestation


def make_done_batch(requester: Membership, attestations: list[Attestation]) -> AttestationBatch:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for a in attestations:
            archive.writestr(f"attestation-{a.verification_code}.pdf", FAKE_PDF)
    with tenancy.tenant_scope(db.session, requester.structure_id):
        batch = AttestationBatch(
            structure_id=requester.structure_id,
            requested_by_id=requester.id,
            label="Sorties du trimestre",
            attestation_ids=[str(a.id) for a in attestations],
            status=BatchStatus.DONE,
            total=len(attestations),
            done=len(attestations),
            finished_at=datetime.now(UTC),
            archive=buffer.getvalue(),
        )
        db.session.add(batch)
        db.session.commit()
    return batch
