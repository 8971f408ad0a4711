"""« Mon espace » reminders by e-mail, received by a real SMTP server (aiosmtpd) started by
the test: a rendez-vous tomorrow, a self-assessment waiting; only with consent, an address
and an open space; never twice the same day; one structure's run never writes to another's
salariés; the mail carries the space's address and no name."""

from __future__ import annotations

import email
import socket
from datetime import date, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models.base import utcnow
from siae_app.services.personal_space import access as space_access
from siae_app.services.personal_space import reminders
from tests import factories as f
from tests.querycount import count_queries

TODAY = date.today()
TOMORROW = TODAY + timedelta(days=1)
SPACE_URL = "http://localhost/mon-espace/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server received: (recipients, parsed message) pairs."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return [to for tos, _ in self.received for to in tos]

    def body(self, n: int = 0) -> str:
        return self.received[n][1].get_body().get_content()


@pytest.fixture
def inbox(app):
    """A local SMTP server, the app's mail settings pointed at it (restored after)."""
    found = Inbox()
    port = _free_port()
    controller = Controller(found, hostname="127.0.0.1", port=port)
    controller.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USERNAME=None
    )
    try:
        with app.app_context():
            yield found
    finally:
        app.config.update(saved)
        controller.stop()


def _consenting(site, employee=None, address="camille.salariee@example.net"):
    """A salarié with an e-mail address, an open personal link and consent to reminders."""
    employee = employee or f.make_employee(site.structure.id, site.team, site.member("cip"))
    employee.email = address
    with tenancy.tenant_scope(db.session, site.structure.id):
        access, _ = space_access.open_link(
            db.session, site.member("cip"), employee, site.structure, TODAY
        )
        access.reminders_consented_at = utcnow()
        access.reminders_recorded_by_id = site.member("cip").id
    db.session.flush()
    return employee, access


def _rendez_vous_tomorrow(site, employee):
    f.InterviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=site.member("cip").id,
        next_on=TOMORROW,
    )


def _self_assessment(site, employee):
    return f.make_assessment(site.member("cip"), employee, site.evaluations["grid"], kind="self")


def _send(session, site, today=TODAY):
    with tenancy.tenant_scope(session, site.structure.id):
        return reminders.send(session, site.structure, today)


def test_a_rendez_vous_tomorrow_sends_one_mail_with_the_link_and_no_name(world, session, inbox):
    site = world.a
    employee, access = _consenting(site, site.employee)
    _rendez_vous_tomorrow(site, employee)

    outcome = _send(session, site)

    assert outcome.sent == 1 and outcome.appointments == 1 and outcome.self_assessments == 0
    assert inbox.recipients == ["camille.salariee@example.net"]
    message = inbox.received[0][1]
    assert message["To"] == "camille.salariee@example.net"
    assert message["Subject"] == "Un rappel de votre espace personnel"
    body = inbox.body()
    assert "Vous avez un rendez-vous demain avec votre conseillère ou votre conseiller." in body
    assert SPACE_URL in body
    assert "auto-évaluation" not in body
    for personal in (employee.last_name, employee.first_name, site.structure.name, "insertion"):
        assert personal not in body and personal not in message["Subject"]
    assert access.last_reminder_on == TODAY


def test_no_second_message_the_same_day_and_one_again_the_next_day(world, session, inbox):
    site = world.a
    employee, _ = _consenting(site, site.employee)
    _rendez_vous_tomorrow(site, employee)
    f.InterviewFactory(
        structure_id=site.structure.id,
        employee_id=employee.id,
        author_id=site.member("cip").id,
        next_on=TOMORROW + timedelta(days=1),
    )

    assert _send(session, site).sent == 1
    again = _send(session, site)
    assert again.sent == 0
    assert len(inbox.received) == 1
    # The next day, the next rendez-vous is reminded.
    assert _send(session, site, TOMORROW).sent == 1
    assert len(inbox.received) == 2


def test_nothing_without_consent_an_address_or_an_open_space(world, session, inbox):
    site = world.a
    cip = site.member("cip")
    without_consent, access = _consenting(site, address="sans.accord@example.net")
    access.reminders_consented_at = None
    without_address, _ = _consenting(site, address="")
    revoked, access = _consenting(site, address="lien.ferme@example.net")
    with tenancy.tenant_scope(session, site.structure.id):
        space_access.revoke(session, cip, access)
    ended, _ = _consenting(site, address="sortie.ancienne@example.net")
    ended.exit_date = TODAY - timedelta(days=31 * (site.structure.personal_space_months + 1))
    anonymised, _ = _consenting(site, address="anonyme@example.net")
    anonymised.anonymised_on = TODAY
    locked, access = _consenting(site, address="bloque@example.net")
    access.locked_at = utcnow()
    for employee in (without_consent, without_address, revoked, ended, anonymised, locked):
        _rendez_vous_tomorrow(site, employee)
        _self_assessment(site, employee)
    session.flush()

    outcome = _send(session, site)

    assert outcome.sent == 0
    assert inbox.received == []


def test_a_rendez_vous_today_or_an_assessment_by_the_team_sends_nothing(world, session, inbox):
    site = world.a
    # The world's salarié has a bilan due today and an evaluation by the team not filled in.
    _consenting(site, site.employee)
    f.InterviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        author_id=site.member("cip").id,
        next_on=TODAY,
    )
    assert _send(session, site).sent == 0
    assert inbox.received == []


def test_a_self_assessment_waiting_triggers_its_message_until_it_is_answered(world, session, inbox):
    site = world.a
    employee, _ = _consenting(site, site.employee)
    assessment = _self_assessment(site, employee)

    outcome = _send(session, site)

    assert outcome.sent == 1 and outcome.self_assessments == 1 and outcome.appointments == 0
    body = inbox.body()
    assert "Une auto-évaluation vous attend." in body
    assert "rendez-vous" not in body
    assert SPACE_URL in body
    # Every line answered: nothing more the next day.
    for item in assessment.items:
        item.self_answer = "can"
    session.flush()
    assert _send(session, site, TOMORROW).sent == 0
    assert len(inbox.received) == 1


def test_a_self_assessment_is_recalled_on_its_first_three_mornings_only(world, session, inbox):
    site = world.a
    employee, _ = _consenting(site, site.employee)
    assessment = _self_assessment(site, employee)
    assessment.assessed_on = TODAY - timedelta(days=2)
    session.flush()
    assert _send(session, site).self_assessments == 1
    assert _send(session, site, TOMORROW).sent == 0  # its fourth morning
    assert len(inbox.received) == 1


def test_both_reasons_go_in_one_message(world, session, inbox):
    site = world.a
    employee, _ = _consenting(site, site.employee)
    _rendez_vous_tomorrow(site, employee)
    _self_assessment(site, employee)

    outcome = _send(session, site)

    assert (outcome.sent, outcome.appointments, outcome.self_assessments) == (1, 1, 1)
    body = inbox.body()
    assert "rendez-vous demain" in body and "Une auto-évaluation vous attend." in body


def test_a_structure_run_never_sends_for_the_other(world, session, inbox):
    for site, address in ((world.a, "alpha@example.net"), (world.b, "beta@example.net")):
        employee, _ = _consenting(site, site.employee, address=address)
        _rendez_vous_tomorrow(site, employee)

    with tenancy.tenant_scope(session, world.a.structure.id):
        due = reminders.due(session, world.a.structure, TODAY)
    assert [r.to for r in due] == ["alpha@example.net"]
    assert _send(session, world.a).sent == 1
    assert inbox.recipients == ["alpha@example.net"]
    assert _send(session, world.b).sent == 1
    assert inbox.recipients == ["alpha@example.net", "beta@example.net"]


def test_a_failed_delivery_is_not_remembered(world, session, inbox, app):
    site = world.a
    employee, access = _consenting(site, site.employee)
    _rendez_vous_tomorrow(site, employee)
    working_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _free_port()  # nobody listens there

    failed = _send(session, site)

    assert (failed.sent, failed.failed) == (0, 1)
    assert access.last_reminder_on is None
    app.config["MAIL_PORT"] = working_port
    assert _send(session, site).sent == 1
    assert inbox.recipients == ["camille.salariee@example.net"]


def test_due_reads_as_many_times_for_one_salarie_as_for_five(world, session):
    site = world.a

    def counted():
        with tenancy.tenant_scope(session, site.structure.id):
            session.expire_all()
            with count_queries() as counter:
                found = reminders.due(session, site.structure, TODAY)
        return len(found), counter.count

    def add_one(n):
        employee, _ = _consenting(site, address=f"salarie{n}@example.net")
        _rendez_vous_tomorrow(site, employee)
        _self_assessment(site, employee)
        f.ReviewFactory(structure_id=site.structure.id, employee_id=employee.id, due_on=TOMORROW)

    add_one(0)
    one = counted()
    for n in range(1, 5):
        add_one(n)
    five = counted()
    assert one[0] == 1 and five[0] == 5
    assert one[1] == five[1], (one, five)


def test_a_job_without_a_request_links_to_the_public_address(app):
    keys = ("SERVER_NAME", "PUBLIC_BASE_URL")
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(SERVER_NAME=None, PUBLIC_BASE_URL="https://parcours.exemple.fr")
    try:
        with app.app_context():
            assert reminders.space_url() == "https://parcours.exemple.fr/mon-espace/"
    finally:
        app.config.update(saved)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["espace", "rappels", *args])


def test_the_daily_command_sends_each_structure_its_own_reminders(world, session, inbox, app):
    for site, address in ((world.a, "alpha@example.net"), (world.b, "beta@example.net")):
        employee, _ = _consenting(site, site.employee, address=address)
        _rendez_vous_tomorrow(site, employee)

    trial = _cli(app, "--dry-run")
    assert trial.exit_code == 0, trial.output
    assert "ACI Alpha (alpha) : 1 rappel(s) à envoyer" in trial.output
    assert "Essai à blanc : aucun courriel envoyé." in trial.output
    assert inbox.received == []

    only_b = _cli(app, "--structure", "beta")
    assert only_b.exit_code == 0, only_b.output
    assert "Recyclerie Bêta (beta) : 1 rappel(s) envoyé(s)" in only_b.output
    assert "alpha" not in only_b.output
    assert inbox.recipients == ["beta@example.net"]

    every = _cli(app)
    assert every.exit_code == 0, every.output
    assert "ACI Alpha (alpha) : 1 rappel(s) envoyé(s)" in every.output
    assert "Recyclerie Bêta (beta) : 0 rappel(s) envoyé(s)" in every.output
    assert inbox.recipients == ["beta@example.net", "alpha@example.net"]

    unknown = _cli(app, "--structure", "nulle-part")
    assert unknown.exit_code != 0
    assert "Aucune structure « nulle-part »" in unknown.output
