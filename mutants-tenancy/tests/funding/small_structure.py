"""A small structure whose 2025 was computed by hand (the expected figures are literals in
the tests, with their arithmetic), and a second structure whose salariés must never count.

Settings: 1 ETP = 1,820 h; a sortie counts after 3 months. Default paid hours: weekly × 52 /
12 for a whole month, in proportion of the month's Monday–Friday days the contract covers.

The structure is an ACI: a contract without an annex kind counts on the ACI annex.
Annexes: ACI 2025 (1 Jan – 31 Dec 2025) 2.00 ETP; EI 1 Jul 2025 – 30 Jun 2026 1.00 ETP.

| salarié | contract (annex kind, h/week)            | sortie                                   |
|---------|-------------------------------------|------------------------------------------|
| Alice   | 01/10/2024–30/09/2025 ACI 35        | 30/06/2025 emploi durable (CDI)          |
| Bruno   | 17/03/2025–16/03/2026 ACI 26        | — (October 2025 paid 100 h, not 112.67)  |
| Chloé   | 05/05/2025–04/11/2025 ACI 24        | 20/06/2025 transition, stay < 3 months   |
| David   | 01/02/2024–31/01/2025 ACI 35        | 31/01/2025 sortie positive (formation)   |
| Emma    | 01/09/2025–31/08/2026 EI 30         | —                                        |
| Farid   | 06/01/2025–05/01/2026 ACI 20        | 28/11/2025 autre (au chômage)            |
| Gaëlle  | 01/12/2025–31/05/2026 AI 26         | — (no AI annex: counted in no annex)     |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from siae_app.models import FundingAnnex, PaidHours, Structure
from tests.factories.employees import ContractFactory, EmployeeFactory
from tests.factories.structures import StructureFactory


@dataclass
class Small:
    structure: Structure
    other: Structure
    aci: FundingAnnex
    ei: FundingAnnex
    people: dict


def _person(structure, name, contract, annex: str | None, exit_=None, entry=None):
    start, end, hours = contract
    employee = EmployeeFactory(
        structure_id=structure.id,
        last_name=name,
        first_name=name,
        entry_date=entry or start,
        exit_date=exit_[0] if exit_ else None,
        exit_kind=exit_[1] if exit_ else None,
        exit_reason=exit_[2] if exit_ else None,
    )
    ContractFactory(
        structure_id=structure.id,
        employee_id=employee.id,
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(hours),
        annex_kind=annex,
        ended_early_on=exit_[0] if exit_ and exit_[0] < end else None,
    )
    return employee


def build_small(session) -> Small:
    structure = StructureFactory(slug="jardins-du-val", name="Les Jardins du Val")
    other = StructureFactory(slug="autre-structure", name="Autre structure")
    aci = FundingAnnex(
        structure_id=structure.id,
        kind="ACI",
        number="045-2025-01",
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        etp_conventioned=Decimal("2.00"),
        target_dynamic_rate=Decimal("0.6"),
        target_durable_rate=Decimal("0.25"),
    )
    ei = FundingAnnex(
        structure_id=structure.id,
        kind="EI",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        etp_conventioned=Decimal("1.00"),
    )
    other_annex = FundingAnnex(
        structure_id=other.id,
        kind="ACI",
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        etp_conventioned=Decimal("5"),
    )
    session.add_all([aci, ei, other_annex])
    session.flush()
    people = {
        "alice": _person(
            structure,
            "Alice",
            (date(2024, 10, 1), date(2025, 9, 30), 35),
            None,
            (date(2025, 6, 30), "emploi_durable", "cdi"),
        ),
        "bruno": _person(structure, "Bruno", (date(2025, 3, 17), date(2026, 3, 16), 26), None),
        "chloe": _person(
            structure,
            "Chloé",
            (date(2025, 5, 5), date(2025, 11, 4), 24),
            None,
            (date(2025, 6, 20), "emploi_transition", "cdd_moins_6m"),
        ),
        "david": _person(
            structure,
            "David",
            (date(2024, 2, 1), date(2025, 1, 31), 35),
            None,
            (date(2025, 1, 31), "sortie_positive", "formation_qualifiante"),
        ),
        "emma": _person(structure, "Emma", (date(2025, 9, 1), date(2026, 8, 31), 30), "EI"),
        "farid": _person(
            structure,
            "Farid",
            (date(2025, 1, 6), date(2026, 1, 5), 20),
            None,
            (date(2025, 11, 28), "autre", "demandeur_emploi"),
        ),
        "gaelle": _person(structure, "Gaëlle", (date(2025, 12, 1), date(2026, 5, 31), 26), "AI"),
    }
    bruno = people["bruno"]
    session.add(
        PaidHours(
            structure_id=structure.id,
            employee_id=bruno.id,
            contract_id=bruno.contracts[0].id,
            month=date(2025, 10, 1),
            hours=Decimal("100.00"),
            motif="Absence non rémunérée",
        )
    )
    # The other structure: a counted durable sortie and a full-time year that must not count.
    _person(
        other,
        "Intrus",
        (date(2024, 6, 1), date(2025, 12, 31), 35),
        None,
        (date(2025, 5, 30), "emploi_durable", "cdi"),
    )
    session.commit()
    return Small(structure, other, aci, ei, people)
