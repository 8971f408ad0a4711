"""The access-log row of a sensitive view says it was sensitive, for the reader who saw the
sensitive content and only for them; the history page writes its own row; the direction reads
both in French on the journal page."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select

from siae_app.extensions import db
from siae_app.models import AccessLog
from siae_app.services.employees import pass_iae
from tests.employees.helpers import file_url, system, url
from tests.site import text_of


def _rows() -> list[AccessLog]:
    """The rows written since the last call, taken away."""
    system()
    rows = db.session.scalars(select(AccessLog).order_by(AccessLog.at)).all()
    db.session.execute(delete(AccessLog))
    db.session.commit()
    return rows


def _row(rows, member) -> AccessLog:
    (row,) = rows
    assert row.membership_id == member.id
    return row


def _rqth(world, client_for) -> None:
    """A prolongation of the PASS for RQTH: a sensitive motif, on the file and in its history."""
    p = world.a.employee.passes[0]
    r = client_for(world.a.member("cip")).post(
        file_url(world.a, path=f"/pass/{p.id}/prolongations/nouvelle"),
        data={
            "motif": "rqth",
            "months": "6",
            "decided_on": (pass_iae.effective_end(p) - timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 303
    _rows()


def _journal_lines(world, client_for) -> list[list[str]]:
    page = text_of(client_for(world.a.member("director")).get(url(world.a, "/journal-des-acces")))
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_history_page_writes_one_row(world, client_for):
    member = world.a.member("coordinator")
    page = client_for(member).get(file_url(world.a, path="/historique"))
    assert page.status_code == 200 and "Historique" in text_of(page)
    row = _row(_rows(), member)
    assert row.employee_id == world.a.employee.id
    assert (row.part, row.action, row.sensitive) == ("employees.history_page", "view", False)


def test_a_sensitive_history_is_logged_sensitive_for_its_reader_only(world, client_for):
    _rqth(world, client_for)
    cip, director = world.a.member("cip"), world.a.member("director")
    page = text_of(client_for(cip).get(file_url(world.a, path="/historique")))
    assert "<span data-sensitive>" in page and "Travailleur handicapé (RQTH)" in page
    row = _row(_rows(), cip)
    assert (row.part, row.sensitive) == ("employees.history_page", True)
    # The direction reads the history without the sensitive value: an ordinary view.
    page = text_of(client_for(director).get(file_url(world.a, path="/historique")))
    assert "valeur confidentielle modifiée" in page and "RQTH" not in page
    row = _row(_rows(), director)
    assert (row.part, row.sensitive) == ("employees.history_page", False)


def test_a_sensitive_file_is_logged_sensitive_for_its_reader_only(world, client_for):
    _rqth(world, client_for)
    cip, eti = world.a.member("cip"), world.a.member("eti")
    page = text_of(client_for(cip).get(file_url(world.a)))
    assert "<span data-sensitive>Travailleur handicapé (RQTH)</span>" in page
    row = _row(_rows(), cip)
    assert (row.part, row.action, row.sensitive) == ("employees.show", "view", True)
    page = text_of(client_for(eti).get(file_url(world.a)))
    assert "motif confidentiel" in page and "RQTH" not in page
    row = _row(_rows(), eti)
    assert (row.part, row.sensitive) == ("employees.show", False)


def test_the_journal_says_which_view_was_sensitive(world, client_for):
    _rqth(world, client_for)
    cip, coordinator = world.a.member("cip"), world.a.member("coordinator")
    client_for(cip).get(file_url(world.a, path="/historique"))
    client_for(world.a.member("director")).get(file_url(world.a, path="/historique"))
    client_for(coordinator).get(file_url(world.a))
    client_for(world.a.member("eti")).get(file_url(world.a))
    lines = _journal_lines(world, client_for)
    # Newest first: ETI's file, the coordination's file, the direction's history, the CIP's.
    name = world.a.employee.display_name
    assert [line[1:] for line in lines] == [
        [world.a.member("eti").user.full_name, name, "Fiche du salarié", "Non"],
        [coordinator.user.full_name, name, "Fiche du salarié", "Oui"],
        [
            world.a.member("director").user.full_name,
            name,
            "Historique des modifications",
            "Non",
        ],
        [cip.user.full_name, name, "Historique des modifications", "Oui"],
    ]


def test_the_list_export_is_logged_as_a_download(world, client_for):
    member = world.a.member("coordinator")
    answer = client_for(member).get(url(world.a, "/export.csv"))
    assert answer.status_code == 200
    lines = _journal_lines(world, client_for)
    assert lines[0][1:] == [
        member.user.full_name,
        "—",
        "Export de la liste des salariés (téléchargement)",
        "Non",
    ]
    row = _row(_rows(), member)
    assert (row.part, row.action, row.employee_id) == ("export", "download", None)
