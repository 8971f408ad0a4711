"""Demo conventionnement: each structure's annexes financières for last year and this year
(the recyclerie holds an EI and an ACI annex), and a few months whose paid hours differ from
the contract (unpaid absences, overtime). Idempotent: an annex of the same kind and start
is left as it is, an entered month too."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import FundingAnnex, PaidHours, Structure
from siae_app.services.funding import paid_hours
from siae_app.services.funding.calendar import month_start

# (kind, ETP conventionnés last year and this year, dynamic target, durable target) per
# structure; the demo's parcours began some 18 months ago, hence last year's smaller annexes.
ANNEXES = {
    "ACI": [("ACI", (Decimal("6"), Decimal("24")), Decimal("0.6"), Decimal("0.25"))],
    "EI": [
        ("EI", (Decimal("5"), Decimal("19.5")), Decimal("0.6"), Decimal("0.3")),
        ("ACI", (Decimal("1.5"), Decimal("4")), Decimal("0.55"), Decimal("0.2")),
    ],
}
MOTIFS = [
    ("Absence non rémunérée (2 jours)", Decimal("-14")),
    ("Heures supplémentaires (chantier de Noël)", Decimal("6")),
    ("Absence injustifiée non rémunérée", Decimal("-7")),
]


def load_demo_funding(session: Session, structure: Structure, today: date | None = None):
    today = today or date.today()
    known = {(a.kind, a.start_date) for a in session.scalars(select(FundingAnnex))}
    for which, year in enumerate((today.year - 1, today.year)):
        for number, (kind, etps, dynamic, durable) in enumerate(ANNEXES[structure.kind], 1):
            if (kind, date(year, 1, 1)) in known:
                continue
            session.add(
                FundingAnnex(
                    structure_id=structure.id,
                    kind=kind,
                    number=f"{year}-{kind}-{number:02d}",
                    start_date=date(year, 1, 1),
                    end_date=date(year, 12, 31),
                    etp_conventioned=etps[which],
                    target_dynamic_rate=dynamic,
                    target_durable_rate=durable,
                )
            )
    last_month = month_start(month_start(today) - timedelta(days=1))
    entered = set(session.scalars(select(PaidHours.contract_id)))
    rng = random.Random(structure.slug)
    lines = paid_hours.lines(session, last_month, last_month, structure.kind)
    for index, line in enumerate(sorted(lines, key=lambda ml: str(ml.contract.id))):
        if index % 7 != 3 or line.contract.id in entered:
            continue
        motif, delta = MOTIFS[rng.randrange(len(MOTIFS))]
        session.add(
            PaidHours(
                structure_id=structure.id,
                employee_id=line.contract.employee_id,
                contract_id=line.contract.id,
                month=last_month,
                hours=max(line.default + delta, Decimal(0)),
                motif=motif,
            )
        )
    session.flush()
