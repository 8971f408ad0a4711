"""Every route of « Mon espace », generated from the URL map: without a space session it
sends back to the code page and shows nothing; with one, a record of another salarié of the
same structure, or of another structure, is never found (404); a cookie changed to name
another structure opens nothing. A new route with a new URL argument fails here until its
records are listed in SPACE_ARGS."""

from __future__ import annotations

import re

from itsdangerous import URLSafeTimedSerializer

from siae_app import tenancy
from siae_app.blueprints.personal_space import session as space_session
from siae_app.extensions import db
from siae_app.models import ReviewStatus
from siae_app.services.personal_space import access as space_access
from tests import factories as f
from tests.site import text_of

CODE = "482915"
# The pages that answer without a space: the code page, the code form's target, leaving.
OPEN_ENDPOINTS = {"espace.home", "espace.enter", "espace.leave"}


def _other_review(site):
    return f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.other_employee.id,
        kind="tripartite",
        status=ReviewStatus.VALIDATED,
        cip_synthesis="Bilan d'un autre salarié",
    )


def _other_attestation(site):
    f.make_validated_assessment(
        site.other_employee, site.member("coordinator"), site.member("cip"), link_levels=False
    )
    return f.make_attestation(
        site.other_employee, site.member("coordinator"), signer=site.member("director")
    )


def _self_assessment(site, employee):
    """A self-assessment opened by the ETI (``site.evaluations``' grid)."""
    return f.make_assessment(site.member("eti"), employee, site.evaluations["grid"], kind="self")


def _offered_evidence_file(site, employee):
    """A dossier de preuves on the site's framework, offered in ``employee``'s space."""
    from siae_app.services.certification import evidence

    with tenancy.tenant_scope(db.session, site.structure.id):
        found = evidence.choose(db.session, employee, site.framework, site.member("cip"), set())
        evidence.offer(db.session, found, site.member("cip"), True)
    return found


# URL argument → (the salarié's own record, another salarié's of the same structure); both
# made once per test (the own one of the other structure too).
SPACE_ARGS = {
    "review_id": (lambda site: site.review, _other_review),
    "attestation_id": (lambda site: site.attestation, _other_attestation),
    "assessment_id": (
        lambda site: _self_assessment(site, site.employee),
        lambda site: _self_assessment(site, site.other_employee),
    ),
    "evidence_file_id": (
        lambda site: _offered_evidence_file(site, site.employee),
        lambda site: _offered_evidence_file(site, site.other_employee),
    ),
}


def _space_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("espace.")]


def _path(rule, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _enter(session, client, site):
    """Open ``site.employee``'s space on this client, as the salarié does."""
    access, secret = space_access.open_link(
        session, site.member("cip"), site.employee, site.structure, site.employee.entry_date
    )
    space_access.set_code(session, access, site.employee, CODE)
    session.commit()
    answer = client.post("/mon-espace/ouvrir", data={"lien": secret, "code": CODE})
    assert answer.status_code == 303, text_of(answer)
    return access


def test_every_argument_of_the_space_is_listed(app):
    arguments = {a for rule in _space_rules(app) for a in rule.arguments}
    assert arguments <= set(SPACE_ARGS), sorted(arguments - set(SPACE_ARGS))
    assert len(_space_rules(app)) >= 8


def test_without_a_space_every_page_sends_back_to_the_code_page(app, world, client):
    site = world.a
    values = {name: own(site).id for name, (own, _other) in SPACE_ARGS.items()}
    for rule in _space_rules(app):
        if rule.endpoint in OPEN_ENDPOINTS:
            continue
        for method in _methods(rule):
            path = _path(rule, values)
            answer = client.open(path, method=method)
            assert answer.status_code == 303, (method, path)
            # A form sent is told the space closed (what was typed waits in the tab).
            expected = "/mon-espace/?fermee=1" if method == "POST" else "/mon-espace/"
            assert answer.location.endswith(expected), (method, path)
            assert site.employee.first_name not in text_of(answer)


def test_records_of_another_salarie_or_structure_are_not_found(app, world, client, session):
    site = world.a
    _enter(session, client, site)
    own = {name: pick(site).id for name, (pick, _other) in SPACE_ARGS.items()}
    same_structure = {name: make(site).id for name, (_own, make) in SPACE_ARGS.items()}
    session.commit()
    other_structure = {name: pick(world.b).id for name, (pick, _other) in SPACE_ARGS.items()}
    checked = 0
    for rule in _space_rules(app):
        if not set(rule.arguments) & set(SPACE_ARGS):
            continue
        if "GET" in rule.methods:
            assert client.get(_path(rule, own)).status_code == 200, rule.rule
        for method in _methods(rule):
            for foreign in (same_structure, other_structure):
                answer = client.open(_path(rule, foreign), method=method)
                assert answer.status_code == 404, (method, rule.rule, foreign)
                assert site.other_employee.last_name not in text_of(answer)
        checked += 1
    assert checked >= 3


def test_a_cookie_changed_to_name_another_structure_opens_nothing(app, world, client, session):
    site = world.a
    access = _enter(session, client, site)
    assert client.get("/mon-espace/documents").status_code == 200
    with app.test_request_context():
        forged = space_session._serializer().dumps(
            {"a": str(access.id), "s": str(world.b.structure.id), "g": access.generation}
        )
    phone = app.test_client()  # holds only the changed cookie
    phone.set_cookie(space_session.COOKIE, forged, path=space_session.PATH)
    answer = phone.get("/mon-espace/documents")
    assert answer.status_code == 303 and answer.location.endswith("/mon-espace/?fermee=1")
    db.session.rollback()


def test_a_cookie_signed_with_another_key_opens_nothing(app, world, client, session):
    site = world.a
    access = _enter(session, client, site)
    forged = URLSafeTimedSerializer("une-autre-clef", salt="siae-espace").dumps(
        {"a": str(access.id), "s": str(site.structure.id), "g": access.generation}
    )
    phone = app.test_client()
    phone.set_cookie(space_session.COOKIE, forged, path=space_session.PATH)
    assert phone.get("/mon-espace/documents").status_code == 303
