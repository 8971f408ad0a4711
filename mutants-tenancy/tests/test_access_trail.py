"""The access log over every route that names a salarié: each 2xx answer — page, fragment or
download, for every role the policy lets in — and each refused form shown again (422) writes
exactly one row (who, which salarié,
which part, download or not, whether sensitive content was shown); a refused one writes none.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from siae_app import access_trail
from siae_app.models import AccessLog, Role
from siae_app.permissions.policy import POLICY
from siae_app.services.employees import access_log
from tests import factories as f
from tests.factories.observations import ObservationFactory
from tests.routes import ID_ARGS, PLAIN_ARGS, build_path, methods, structure_rules
from tests.site import text_of

HX = {"HX-Request": "true"}


def _subject_rules(app):
    return [r for r in structure_rules(app) if set(r.arguments) & set(access_trail.SUBJECTS)]


def test_every_url_argument_says_whether_it_names_a_salarie(app):
    """A new argument is classified before its route can forget the access log."""
    classified = set(access_trail.SUBJECTS) | access_trail.NOT_SUBJECTS
    arguments = {a for rule in structure_rules(app) for a in rule.arguments}
    assert arguments - classified == set()
    assert set(access_trail.SUBJECTS) & access_trail.NOT_SUBJECTS == set()
    assert set(ID_ARGS) | set(PLAIN_ARGS) >= arguments
    for name, model in access_trail.SUBJECTS.items():
        assert name == "employee_id" or hasattr(model, "employee_id"), name


def test_every_part_has_a_french_name_in_the_log(app):
    for rule in _subject_rules(app):
        part = rule.endpoint.removeprefix("s.")
        label = access_log.part_label(AccessLog(part=part, action="view"))
        assert label != part, f"{part} : ajoutez sa fonction à access_log.FEATURE_LABELS"


def _taken_rows(session) -> list[AccessLog]:
    """The rows written since the last call (taken away, so that each answer is judged alone)."""
    rows = session.scalars(select(AccessLog)).all()
    session.execute(delete(AccessLog))
    return rows


def _expected_employee(rule, site):
    """The salarié the URL names (the world's objects are all about ``site.employee``)."""
    names = {
        ID_ARGS[a](site)
        for a in rule.arguments
        if a in access_trail.SUBJECTS and access_trail.SUBJECTS[a].__name__ == "Employee"
    }
    return names.pop() if names else site.employee.id


def test_every_answer_that_shows_a_salarie_writes_one_access_log_row(
    app, world, session, client_for
):
    site = world.a
    # Sensitive content the CIP and coordination read on several pages of the file.
    f.make_barrier(site.employee, site.member("cip"), "sante", comment="Suivi au CMP (walk)")
    session.commit()
    clients = {role: client_for(site.member(role.value)) for role in Role}
    rules = _subject_rules(app)
    assert len(rules) >= 40
    answered, sensitive_seen = 0, 0
    for rule in rules:
        perm = app.view_functions[rule.endpoint].permission
        path = build_path(app, rule, site)
        for method in methods(rule):
            # The role matrix checks that the others are refused (403, nothing written here).
            for role in POLICY[perm]:
                client = clients[role]
                for headers in ({}, HX) if method == "GET" else ({},):
                    response = client.open(path, method=method, data={}, headers=headers)
                    rows = _taken_rows(session)
                    where = f"{role.value} {method} {path} {headers} -> {response.status_code}"
                    shown = 200 <= response.status_code < 300 or response.status_code in (409, 422)
                    if not shown:
                        assert rows == [], where
                        continue
                    answered += 1
                    assert len(rows) == 1, where
                    row = rows[0]
                    assert row.membership_id == site.member(role.value).id, where
                    assert row.employee_id == _expected_employee(rule, site), where
                    assert row.part == rule.endpoint.removeprefix("s."), where
                    download = "attachment" in response.headers.get("Content-Disposition", "")
                    assert row.action == ("download" if download else "view"), where
                    if response.mimetype == "text/html":
                        sensitive = "data-sensitive" in response.get_data(as_text=True)
                        assert row.sensitive is sensitive, where
                        sensitive_seen += sensitive
    assert answered >= 150 and sensitive_seen >= 5


def test_the_log_page_names_the_part_and_says_whether_it_was_sensitive(world, client_for, session):
    site = world.a
    cip = client_for(site.member("cip"))
    f.make_barrier(site.employee, site.member("cip"), "sante", comment="Suivi au CMP")
    session.commit()
    assert cip.get(f"/s/{site.slug}/diagnostic/{site.employee.id}").status_code == 200
    assert cip.get(f"/s/{site.slug}/bilans/{site.review.id}/pdf").status_code == 200
    page = text_of(
        client_for(site.member("director")).get(f"/s/{site.slug}/salaries/journal-des-acces")
    )
    assert "2 consultations" in page
    assert "Diagnostic (atouts, freins, notes)" in page and "Bilans (téléchargement)" in page
    assert "Contenu sensible" in page and "Oui" in page and "Non" in page


def test_refused_and_foreign_answers_write_nothing(world, client_for, session):
    site = world.a
    admin = client_for(site.member("admin"))  # reads no salarié: 403 everywhere
    assert admin.get(f"/s/{site.slug}/salaries/{site.employee.id}").status_code == 403
    eti = client_for(site.member("eti"))  # another team's salarié: 404
    assert eti.get(f"/s/{site.slug}/salaries/{site.other_employee.id}").status_code == 404
    client = client_for(world.a.member("cip"))
    for path in (
        f"/s/{world.a.slug}/salaries/{world.b.employee.id}",
        f"/s/{world.a.slug}/bilans/{world.b.review.id}",
        f"/s/{world.a.slug}/salaries/{world.a.employee.id}/observations?q=%00",
    ):
        assert client.get(path).status_code in (400, 404)
    assert session.scalars(select(AccessLog)).all() == []


def test_a_form_refused_for_a_taken_id_is_logged_as_shown(world, client_for, session):
    """409: the observation form comes back with the salarié's feed around it."""
    site = world.a
    taken = ObservationFactory(
        structure_id=site.structure.id,
        employee_id=site.other_employee.id,
        author_id=site.member("cip").id,
        text="Déjà là.",
        tone="neutral",
    )
    session.commit()
    answer = client_for(site.member("eti")).post(
        f"/s/{site.slug}/salaries/{site.employee.id}/observations",
        data={"record_id": str(taken.id), "text": "Nouvelle.", "tone": "neutral"},
    )
    assert answer.status_code == 409
    # Committed by the request, not merely flushed: the test's own rollback keeps it.
    session.rollback()
    rows = session.scalars(select(AccessLog)).all()
    assert [(r.employee_id, r.part) for r in rows] == [(site.employee.id, "observations.create")]
