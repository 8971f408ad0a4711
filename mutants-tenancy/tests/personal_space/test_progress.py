"""« Mes objectifs », « Mes compétences », « Mon auto-évaluation » in the salarié's own space:
what each page shows (never a sensitive objectif, only validated levels), the salarié's own
answers seen on the team's page, and every assessment named by a URL checked to be theirs."""

from __future__ import annotations

import re
from datetime import date, timedelta

from babel.dates import format_date
from sqlalchemy import select

from siae_app.extensions import db
from siae_app.models import AccessLog, Assessment, AssessmentItem
from siae_app.models.base import utcnow
from siae_app.services.personal_space import progress
from tests import factories as f
from tests.personal_space.test_access import _enter, _with_code
from tests.querycount import count_queries
from tests.site import text_of

TODAY = date.today()


def _newcomer(site, name="Progres"):
    """A salarié of the ETI's team with nothing evaluated yet (the world's one has some)."""
    return f.make_employee(
        site.structure.id, site.team, site.member("cip"), last_name=f"{name}{site.slug}"
    )


def _in_space(site, client_for, client, employee):
    """``client`` is the salarié's phone, their space open."""
    secret = _with_code(client_for(site.member("cip")), site, employee)
    assert _enter(client, secret).status_code == 303
    return client


def _grid(site):
    # The world's grid points at no scale (tests/site.py): this one is on the default scale.
    return f.make_grid(site.framework, f"Grille espace {site.slug}", scale_id=site.scale.id)


def _level(site, code):
    return next(lv for lv in site.scale.levels if lv.code == code)


def _words(response) -> str:
    """The page's text as read: tags out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())


def _month(day: date) -> str:
    return format_date(day, "MMMM y", locale="fr_FR")


# ------------------------------------------------------------------------------ Mes objectifs


def test_my_objectives_show_the_agreed_ones_in_plain_words_never_a_sensitive_one(
    world, client_for, client
):
    site = world.a
    cip, eti = site.member("cip"), site.member("eti")
    employee = _newcomer(site)
    health = f.make_barrier(employee, cip, "sante", comment="Suivi médical")
    transport = f.make_barrier(employee, cip, "mobilite", comment="Pas de voiture")
    sid = site.structure.id
    f.ObjectiveFactory(
        structure_id=sid,
        employee_id=employee.id,
        barrier_id=health.id,
        label="Prendre rendez-vous au centre de soins",
    )
    f.ObjectiveFactory(
        structure_id=sid,
        employee_id=employee.id,
        barrier_id=transport.id,
        label="Passer le permis B",
        due_date=TODAY + timedelta(days=90),
    )
    f.ObjectiveFactory(
        structure_id=sid,
        employee_id=employee.id,
        label="Ouvrir un compte en banque",
        status="realise",
    )
    competency = site.framework.competencies[0]
    f.make_goal(eti, employee, competency, _level(site, "A"))
    db.session.commit()

    answer = _in_space(site, client_for, client, employee).get("/mon-espace/objectifs")
    assert answer.status_code == 200
    page = text_of(answer)
    assert "Mes objectifs" in page
    assert "centre de soins" not in page  # tied to a frein on a sensitive axis
    now, done = page.split("En ce moment")[1].split("Terminés")
    assert "Passer le permis B" in now and "Où j'en suis : En cours." in now
    assert f"Pour le {format_date(TODAY + timedelta(days=90), 'd MMMM y', locale='fr_FR')}" in now
    assert competency.title in now and "arriver à « Je sais faire »" in now
    assert "Ouvrir un compte en banque" in done and "Où j'en suis : Fait." in done
    assert "Ouvrir un compte en banque" not in now


# ------------------------------------------------------------------------------ Mes compétences


def _validated(site, employee, grid, codes, days_ago, kind="intermediate"):
    eti, cip = site.member("eti"), site.member("cip")
    return f.make_assessment(
        eti,
        employee,
        grid,
        kind=kind,
        codes=codes,
        assessed_on=TODAY - timedelta(days=days_ago),
        validated_by=(eti, cip),
    )


def test_my_competencies_show_only_validated_levels_and_the_progress(world, client_for, client):
    site = world.a
    employee = _newcomer(site)
    grid = _grid(site)
    first = _validated(site, employee, grid, ["ECA", "NA"], 120, kind="initial")
    _validated(site, employee, grid, ["A", "ECA"], 10)
    # Seen by nobody yet, not validated: its levels never show.
    f.make_assessment(site.member("eti"), employee, grid, codes=["M", "M", "M"])
    db.session.commit()
    one, two = (i.label for i in first.items[:2])

    answer = _in_space(site, client_for, client, employee).get("/mon-espace/competences")
    assert answer.status_code == 200
    page = _words(answer)
    acquired, history = page.split("Ce que je sais faire")[1].split("Comment j'ai progressé")
    assert one in acquired and "Je sais faire." in acquired
    assert two not in acquired
    assert "Je sais très bien faire" not in page  # the level of the assessment not validated
    before, after = _month(TODAY - timedelta(days=120)), _month(TODAY - timedelta(days=10))
    first_line = history.split(one)[1].split(two)[0]
    assert f"{before} : Je sais faire avec de l'aide" in first_line
    assert f"→ {after} : Je sais faire" in first_line
    second_line = history.split(two)[1]
    assert f"{before} : Je ne sais pas encore" in second_line
    assert f"→ {after} : Je sais faire avec de l'aide" in second_line


def test_my_competencies_page_reads_the_same_number_of_queries_for_one_or_four(
    world, client_for, client
):
    site = world.a
    employee = _newcomer(site)
    grid = _grid(site)
    phone = _in_space(site, client_for, client, employee)
    _validated(site, employee, grid, ["NA", "NA", "NA"], 200)
    db.session.commit()
    phone.get("/mon-espace/competences")  # anything read once per process is read now
    with count_queries() as one:
        page = text_of(phone.get("/mon-espace/competences"))
    assert "Je ne sais pas encore" in page
    for days_ago, code in ((150, "ECA"), (100, "A"), (50, "M")):
        _validated(site, employee, grid, [code, code, code], days_ago)
    db.session.commit()
    with count_queries() as four:
        page = text_of(phone.get("/mon-espace/competences"))
    assert "Je sais très bien faire" in page
    assert four.count == one.count, four.statements


# ------------------------------------------------------------------------------ auto-évaluation


def _self_assessment(site, employee, grid=None):
    found = f.make_assessment(site.member("eti"), employee, grid or _grid(site), kind="self")
    db.session.commit()
    return found


def _answers(session, assessment):
    session.expire_all()
    return session.scalars(
        select(AssessmentItem.self_answer)
        .where(AssessmentItem.assessment_id == assessment.id)
        .order_by(AssessmentItem.position)
    ).all()


def test_the_salarie_answers_their_self_assessment_and_the_team_sees_it(
    world, client_for, client, session
):
    site = world.a
    employee = _newcomer(site)
    assessment = _self_assessment(site, employee)
    first, second = assessment.items[:2]
    phone = _in_space(site, client_for, client, employee)

    listing = text_of(phone.get("/mon-espace/auto-evaluation"))
    assert f"Auto-évaluation du {format_date(TODAY, 'd MMMM y', locale='fr_FR')}" in listing
    assert f"0 réponse sur {len(assessment.items)}" in listing
    url = f"/mon-espace/auto-evaluation/{assessment.id}"
    form = text_of(phone.get(url))
    assert first.label in form and "Je sais faire avec de l'aide" in form
    assert 'type="radio"' in form

    sent = phone.post(
        url,
        data={f"item-{first.id}": "with_help", f"item-{second.id}": "can", "ligne": "1"},
    )
    assert sent.status_code == 303
    assert sent.location.endswith("#ligne-1")
    shown = text_of(phone.get(sent.location))
    assert "Enregistré." in shown
    assert 'value="with_help" checked' in shown
    assert _answers(session, assessment)[:2] == ["with_help", "can"]
    logged = session.scalars(
        select(AccessLog.part).where(
            AccessLog.employee_id == employee.id, AccessLog.membership_id.is_(None)
        )
    ).all()
    assert "espace.auto_evaluation" in logged

    # The team's page, read by the direction (no form): the salarié's own words.
    staff = _words(
        client_for(site.member("director")).get(f"/s/{site.slug}/evaluations/{assessment.id}")
    )
    assert "Réponse : Je sais faire avec de l'aide" in staff
    assert "Réponse : Je sais faire" in staff.split(second.label)[1]


def test_a_wrong_answer_keeps_what_was_typed_and_saves_nothing(world, client_for, client, session):
    site = world.a
    employee = _newcomer(site)
    assessment = _self_assessment(site, employee)
    first, second = assessment.items[:2]
    phone = _in_space(site, client_for, client, employee)
    answer = phone.post(
        f"/mon-espace/auto-evaluation/{assessment.id}",
        data={f"item-{first.id}": "with_help", f"item-{second.id}": "parfait"},
    )
    assert answer.status_code == 422
    page = text_of(answer)
    assert progress.NOT_AN_ANSWER in page and 'role="alert"' in page
    assert (
        f'id="item-{first.id}-with_help" name="item-{first.id}" value="with_help" checked' in page
    )
    assert _answers(session, assessment)[:2] == [None, None]


def test_another_salaries_or_structures_assessment_is_not_found(world, client_for, client):
    site = world.a
    employee = _newcomer(site)
    grid = _grid(site)
    phone = _in_space(site, client_for, client, employee)
    colleague = _self_assessment(site, site.other_employee, grid)
    elsewhere = _self_assessment(world.b, world.b.employee)
    by_the_team = f.make_assessment(site.member("eti"), employee, grid)  # not a self one
    db.session.commit()
    for other in (colleague, elsewhere, by_the_team):
        url = f"/mon-espace/auto-evaluation/{other.id}"
        assert phone.get(url).status_code == 404
        item = other.items[0]
        assert phone.post(url, data={f"item-{item.id}": "can"}).status_code == 404
    listing = text_of(phone.get("/mon-espace/auto-evaluation"))
    assert "Pas d'auto-évaluation à remplir pour l'instant." in listing


def test_a_locked_self_assessment_is_refused(world, client_for, client, session):
    site = world.a
    employee = _newcomer(site)
    assessment = _self_assessment(site, employee)
    first = assessment.items[0]
    db.session.get(Assessment, assessment.id).locked_at = utcnow()
    db.session.commit()
    phone = _in_space(site, client_for, client, employee)
    url = f"/mon-espace/auto-evaluation/{assessment.id}"

    shown = text_of(phone.get(url))
    assert progress.LOCKED in shown and 'type="radio"' not in shown
    refused = phone.post(url, data={f"item-{first.id}": "can"})
    assert refused.status_code == 409
    assert progress.LOCKED in text_of(refused)
    assert _answers(session, assessment)[0] is None
    assert "Pas d'auto-évaluation à remplir" in text_of(phone.get("/mon-espace/auto-evaluation"))
