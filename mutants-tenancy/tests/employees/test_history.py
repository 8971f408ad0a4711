"""The file's history keeps and shows what people read on the screens: the labels of choices
and statuses, French dates and hours, names — never a code or an id, including in the lines
written before that rule (shown as labels, never rewritten)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import ChangeRecord
from tests.employees.helpers import file_url, system
from tests.site import text_of


def test_an_exit_is_recorded_in_labels_and_french_dates(world, client_for):
    client = client_for(world.a.member("cip"))
    employee = world.a.employee
    day = date.today() - timedelta(days=1)
    data = {
        "version_id": str(employee.version_id),
        "exit_date": day.isoformat(),
        "exit_kind": "emploi_durable",
        "exit_reason": "cdi",
    }
    assert client.post(file_url(world.a, path="/sortie"), data=data).status_code == 303
    system()
    stored = {
        (r.entity, r.field): r.new_value
        for r in db.session.scalars(
            select(ChangeRecord).where(ChangeRecord.employee_id == employee.id)
        )
    }
    assert stored[("employee", "exit_kind")] == "Emploi durable"
    assert stored[("employee", "exit_reason")] == "CDI"
    assert stored[("employee", "exit_date")] == day.strftime("%d/%m/%Y")
    assert stored[("contract", "ended_early_on")] == day.strftime("%d/%m/%Y")
    page = text_of(client.get(file_url(world.a, path="/historique")))
    assert "(vide) → Emploi durable" in page and "(vide) → CDI" in page
    assert "emploi_durable" not in page and day.isoformat() not in page


def _legacy_line(site, entity: str, field: str, old: str | None, new: str | None) -> None:
    """A line as the code before the labels rule wrote it."""
    db.session.add(
        ChangeRecord(
            structure_id=site.structure.id,
            membership_id=site.member("cip").id,
            entity=entity,
            entity_id=uuid.uuid4(),
            employee_id=site.employee.id,
            field=field,
            old_value=old,
            new_value=new,
        )
    )


def test_lines_written_with_codes_are_shown_as_labels(world, client_for):
    site = world.a
    eti, coordinator = site.member("eti"), site.member("coordinator")
    system()
    for line in (
        ("employee", "team_id", str(site.team.id), str(site.other_team.id)),
        ("employee", "entry_date", "2025-01-06", "2025-02-03"),
        ("employee", "exit_kind", None, "emploi_durable"),
        ("contract", "weekly_hours", "35", "17.5"),
        ("bilan", "étape", "held", "Validé"),
        ("bilan", "inclusion d'un élément confidentiel", None, "need:sante"),
        ("entretien", "clôture", None, "clôturé"),
        ("attendance", "status", "present", "absent"),
        ("attendance", "hours_worked", "5.20", "0.00"),
        ("attendance", "marked_by_id", str(eti.id), str(coordinator.id)),
    ):
        _legacy_line(site, *line)
    db.session.commit()
    page = text_of(client_for(site.member("cip")).get(file_url(site, path="/historique")))
    for shown in (
        f"{site.team.name} → {site.other_team.name}",
        "06/01/2025 → 03/02/2025",
        "(vide) → Emploi durable",
        "35 → 17,5",
        "Tenu → Validé",
        "(vide) → Besoin sensible",
        "(vide) → Clôturé",
        "Présent·e → Absent·e",
        "5,2 → 0",
        f"{eti.user.full_name} → {coordinator.user.full_name}",
        "Présence",
        "Pointé par",
    ):
        assert shown in page, shown
    for code in (str(site.team.id), "2025-01-06", "emploi_durable", "held", "need:sante"):
        assert code not in page, code
