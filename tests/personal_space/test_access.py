"""« Mon espace »: the CIP opens a personal link, the salarié opens it with their code on
another browser; the link alone opens nothing, five wrong codes lock it until the CIP reopens
it, closing it ends every phone's session at once, the space ends some months after the
sortie and at anonymisation, and every opening is in the access log."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from siae_app.models import AccessLog, PrivacyRequest
from siae_app.models.personal_space import PersonalAccess
from siae_app.services.employees.dates import add_months
from siae_app.services.personal_space import access as space_access
from tests.site import text_of

TODAY = date.today()
CODE = "482915"


def _staff(site, employee, tail=""):
    return f"/s/{site.slug}/salaries/{employee.id}/espace{tail}"


def _open_link(cip_client, site, employee) -> str:
    """The CIP makes the link; the secret read from the page, as the handout prints it."""
    answer = cip_client.post(_staff(site, employee, "/lien"))
    assert answer.status_code == 200
    page = text_of(answer)
    assert "Fiche à remettre au salarié" in page
    assert "data:image/svg+xml" in answer.get_data(as_text=True)  # the QR code
    found = re.search(r"/mon-espace/#([A-Za-z0-9_-]{30,})", page)
    assert found, page
    return found.group(1)


def _with_code(cip_client, site, employee) -> str:
    secret = _open_link(cip_client, site, employee)
    answer = cip_client.post(_staff(site, employee, "/code"), data={"code": CODE})
    assert answer.status_code == 303
    return secret


def _enter(client, secret, code=CODE):
    return client.post("/mon-espace/ouvrir", data={"lien": secret, "code": code})


def _own_rows(session, employee):
    session.expire_all()
    return session.scalars(
        select(AccessLog.part).where(
            AccessLog.employee_id == employee.id, AccessLog.membership_id.is_(None)
        )
    ).all()


def test_the_cip_opens_the_space_and_the_salarie_enters_it_with_the_code(
    world, client_for, client, session
):
    site = world.a
    employee = site.employee
    secret = _with_code(client_for(site.member("cip")), site, employee)

    first = client.get("/mon-espace/")
    assert first.status_code == 200
    assert "Tapez votre code" in text_of(first)
    answer = _enter(client, secret)
    assert answer.status_code == 303
    assert answer.location.endswith("/mon-espace/")
    cookie = answer.headers.get("Set-Cookie")
    assert "siae_espace=" in cookie and "HttpOnly" in cookie and "Path=/mon-espace" in cookie

    home = client.get("/mon-espace/")
    assert home.status_code == 200
    page = text_of(home)
    assert f"Bonjour {employee.first_name}" in page
    assert "heures par semaine" in page
    assert employee.last_name not in page  # first name only, as said to a person
    assert home.headers["Cache-Control"] == "no-store"
    assert _own_rows(session, employee) == ["espace.ouverture"]


def test_the_link_alone_opens_nothing(world, client_for, client):
    site = world.a
    secret = _open_link(client_for(site.member("cip")), site, site.employee)
    refused = _enter(client, secret, "")
    assert refused.status_code == 422
    assert "Aucun code n'a encore été choisi" in text_of(refused)
    for path in ("/mon-espace/documents", "/mon-espace/donnees", "/mon-espace/code"):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.location.endswith("/mon-espace/"), path
    assert "Tapez votre code" in text_of(client.get("/mon-espace/"))


def test_an_unknown_link_is_refused_in_french(world, client):
    answer = _enter(client, "pas-un-vrai-lien-" + "x" * 30)
    assert answer.status_code == 422
    assert "Ce lien n'est pas reconnu" in text_of(answer)


def test_five_wrong_codes_lock_the_link_until_the_cip_reopens_it(
    world, client_for, client, session
):
    site = world.a
    employee = site.employee
    cip = client_for(site.member("cip"))
    secret = _with_code(cip, site, employee)

    answers = [_enter(client, secret, "111999") for _ in range(4)]
    assert [a.status_code for a in answers] == [422] * 4
    assert "Il vous reste 4 essais" in text_of(answers[0])
    assert "Il vous reste 1 essai." in text_of(answers[3])
    fifth = _enter(client, secret, "111999")
    assert "Trop d'essais : ce lien est bloqué" in text_of(fifth)
    # Even the right code now opens nothing: the lock was written despite the refusals.
    right = _enter(client, secret)
    assert right.status_code == 422 and "bloqué" in text_of(right)
    session.expire_all()
    row = session.scalar(select(PersonalAccess).where(PersonalAccess.employee_id == employee.id))
    assert row.locked_at is not None and row.failed_attempts == space_access.MAX_FAILED
    assert _own_rows(session, employee).count("espace.code_refuse") == 4
    assert "espace.verrou" in _own_rows(session, employee)

    staff_page = text_of(cip.get(_staff(site, employee)))
    assert "après 5 codes faux" in staff_page
    assert cip.post(_staff(site, employee, "/rouvrir")).status_code == 303
    assert _enter(client, secret).status_code == 303


def test_closing_the_space_ends_the_open_phones_at_once(world, client_for, client):
    site = world.a
    cip = client_for(site.member("cip"))
    secret = _with_code(cip, site, site.employee)
    assert _enter(client, secret).status_code == 303
    assert client.get("/mon-espace/documents").status_code == 200
    answer = cip.post(_staff(site, site.employee, "/fermer"))
    assert answer.status_code == 303
    assert client.get("/mon-espace/documents").status_code == 303
    again = _enter(client, secret)
    assert again.status_code == 422 and "Ce lien ne fonctionne plus" in text_of(again)


def test_a_new_link_replaces_the_old_one(world, client_for, client):
    site = world.a
    cip = client_for(site.member("cip"))
    old = _with_code(cip, site, site.employee)
    new = _with_code(cip, site, site.employee)
    assert "Ce lien ne fonctionne plus" in text_of(_enter(client, old))
    assert _enter(client, new).status_code == 303


def test_a_one_time_code_opens_once_then_the_salarie_chooses_their_own(world, client_for, client):
    site = world.a
    employee = site.employee
    cip = client_for(site.member("cip"))
    secret = _open_link(cip, site, employee)
    given = cip.post(_staff(site, employee, "/code-unique"))
    assert given.status_code == 200
    code = re.search(r"(\d{3}) (\d{3})", text_of(given).split("Code à usage unique")[1])
    typed = code.group(1) + " " + code.group(2)  # as printed, with its space

    opened = _enter(client, secret, typed)
    assert opened.status_code == 303 and opened.location.endswith("/mon-espace/code")
    assert client.get("/mon-espace/documents").location.endswith("/mon-espace/code")
    weak = client.post("/mon-espace/code", data={"code": "123456", "again": "123456"})
    assert weak.status_code == 422 and "se devine trop facilement" in text_of(weak)
    differ = client.post("/mon-espace/code", data={"code": "583920", "again": "583921"})
    assert differ.status_code == 422 and "ne sont pas les mêmes" in text_of(differ)
    birth = employee.birth_date.strftime("%d%m%y")
    own_birth = client.post("/mon-espace/code", data={"code": birth, "again": birth})
    assert own_birth.status_code == 422 and "date de naissance" in text_of(own_birth)
    chosen = client.post("/mon-espace/code", data={"code": "583920", "again": "583920"})
    assert chosen.status_code == 303
    assert client.get("/mon-espace/documents").status_code == 200
    # The given code was for once: it no longer opens.
    other = client.application.test_client()
    assert _enter(other, secret, typed).status_code == 422
    assert _enter(other, secret, "583920").status_code == 303


def test_the_space_ends_months_after_the_sortie_and_at_anonymisation(
    world, client_for, client, session
):
    site = world.a
    employee = site.employee
    cip = client_for(site.member("cip"))
    secret = _with_code(cip, site, employee)
    employee.exit_date = add_months(TODAY, -site.structure.personal_space_months)
    session.commit()
    assert _enter(client, secret).status_code == 303  # its last day
    employee.exit_date -= timedelta(days=1)
    session.commit()
    assert client.get("/mon-espace/documents").status_code == 303
    assert "Ce lien ne fonctionne plus" in text_of(_enter(client, secret))
    refused = cip.post(_staff(site, employee, "/lien"))
    assert refused.status_code == 422
    assert "l'espace personnel n'est plus ouvert" in text_of(refused)

    employee.exit_date = None
    employee.anonymised_on = TODAY
    session.commit()
    assert "Ce lien ne fonctionne plus" in text_of(_enter(client, secret))


def test_leaving_forgets_the_space_on_this_phone(world, client_for, client):
    site = world.a
    secret = _with_code(client_for(site.member("cip")), site, site.employee)
    _enter(client, secret)
    answer = client.post("/mon-espace/quitter")
    assert answer.status_code == 200
    assert "Vous avez quitté votre espace" in text_of(answer)
    assert answer.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "siae_espace=;" in answer.headers["Set-Cookie"]
    assert client.get("/mon-espace/documents").status_code == 303


def test_the_salarie_asks_for_a_correction_and_the_team_sees_it(world, client_for, client, session):
    site = world.a
    employee = site.employee
    cip = client_for(site.member("cip"))
    _enter(client, _with_code(cip, site, employee))
    page = client.get("/mon-espace/donnees")
    assert page.status_code == 200
    assert "2 ans à compter du dernier contact" in text_of(page)
    empty = client.post("/mon-espace/donnees", data={"kind": "rectification", "details": ""})
    assert empty.status_code == 422 and "Écrivez ce qu'il faut corriger." in text_of(empty)
    typed = "Mon adresse a changé : 3 rue des Lilas."
    sent = client.post("/mon-espace/donnees", data={"kind": "rectification", "details": typed})
    assert sent.status_code == 303
    assert "Votre demande est envoyée" in text_of(client.get(sent.location))
    row = session.scalar(select(PrivacyRequest).where(PrivacyRequest.employee_id == employee.id))
    assert row.from_space and row.kind == "rectification" and typed in row.details
    staff = text_of(cip.get(f"/s/{site.slug}/salaries/{employee.id}/donnees/demandes"))
    assert "Faite par le salarié depuis son espace." in staff and typed in staff
    # A task on the CIP's week until the direction answers.
    alerts = text_of(cip.get(f"/s/{site.slug}/alertes/"))
    assert "Demande sur ses données envoyée depuis son espace le " in alerts
    row.answer, row.answered_on = "Adresse corrigée.", TODAY
    session.commit()
    alerts = text_of(cip.get(f"/s/{site.slug}/alertes/"))
    assert "envoyée depuis son espace" not in alerts


def test_only_the_cip_and_coordination_open_a_space(world, client_for):
    site = world.a
    for role in ("eti", "director"):
        answer = client_for(site.member(role)).post(_staff(site, site.employee, "/lien"))
        assert answer.status_code == 403, role
    assert (
        client_for(site.member("coordinator")).get(_staff(site, site.employee)).status_code == 200
    )


def test_a_form_sent_after_the_space_closed_is_told_so_and_kept_for_the_tab(
    world, client_for, client
):
    site = world.a
    secret = _with_code(client_for(site.member("cip")), site, site.employee)
    opened = client.get(_enter(client, secret).location)
    assert 'data-user="' in opened.get_data(as_text=True)  # whose drafts this tab may restore
    client.delete_cookie("siae_espace", path="/mon-espace")
    sent = client.post("/mon-espace/donnees", data={"kind": "acces", "details": "Tout."})
    assert sent.status_code == 303 and sent.location.endswith("/mon-espace/?fermee=1")
    page = client.get(sent.location)
    html = page.get_data(as_text=True)
    assert "Votre espace s'est fermé sur ce téléphone." in text_of(page)
    assert "data-session-expired" in html and 'data-user="' not in html
    left = client.post("/mon-espace/quitter")
    assert "data-signed-out" in left.get_data(as_text=True)  # app.js empties the tab
