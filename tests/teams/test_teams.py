"""Équipes and activités support: who sees which team, forms, cross-structure references."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Team
from tests import factories as f
from tests.employees.helpers import system
from tests.factories import TeamFactory
from tests.querycount import count_queries
from tests.site import text_of


def _url(world, path=""):
    return f"/s/{world.a.slug}/equipes{path}"


def test_eti_sees_only_supervised_teams(world, client_for):
    client = client_for(world.a.member("eti"))
    html = text_of(client.get(_url(world, "/")))
    assert "Mes équipes" in html
    assert world.a.team.name in html
    assert world.a.other_team.name not in html
    assert client.get(_url(world, f"/{world.a.team.id}")).status_code == 200
    r = client.get(_url(world, f"/{world.a.other_team.id}"))
    assert r.status_code == 404 and "Page introuvable" in text_of(r)


def test_cip_sees_every_team_under_the_page_title(world, client_for):
    client = client_for(world.a.member("cip"))
    home = text_of(client.get(f"/s/{world.a.slug}/"))
    assert ">Équipes et activités</a>" in home
    html = text_of(client.get(_url(world, "/")))
    assert world.a.team.name in html and world.a.other_team.name in html
    assert world.b.team.name not in html


def test_admin_alone_sees_no_team(world, client_for):
    r = client_for(world.a.member("admin")).get(_url(world, "/"))
    assert r.status_code == 403 and "Accès refusé" in text_of(r)
    assert world.a.team.name not in text_of(r)


def test_coordinator_creates_a_team_with_supervisor(world, client_for):
    client = client_for(world.a.member("coordinator"))
    eti = world.a.member("eti")
    r = client.post(
        _url(world, "/nouvelle"),
        data={
            "name": "Équipe bois",
            "activity_id": str(world.a.activity.id),
            "location": "Atelier menuiserie",
            "supervisor_ids": [str(eti.id)],
        },
    )
    assert r.status_code == 303
    team = db.session.scalar(select(Team).where(Team.name == "Équipe bois"))
    assert team.structure_id == world.a.structure.id
    assert [s.membership_id for s in team.supervisions] == [eti.id]
    page = text_of(client.get(r.location))
    assert "Atelier menuiserie" in page and eti.user.full_name in page


def test_team_form_refuses_ids_of_another_structure_and_keeps_input(world, client_for):
    client = client_for(world.a.member("coordinator"))
    r = client.post(
        _url(world, "/nouvelle"),
        data={
            "name": "Équipe pirate",
            "activity_id": str(world.b.activity.id),
            "supervisor_ids": [str(world.b.member("eti").id)],
        },
    )
    html = text_of(r)
    assert r.status_code == 422
    assert "Choix non valide" in html or "Choix invalide" in html or "n'est pas un choix" in html
    assert 'value="Équipe pirate"' in html
    assert db.session.scalar(select(Team).where(Team.name == "Équipe pirate")) is None


def test_duplicate_team_name_gets_a_french_message(world, client_for):
    r = client_for(world.a.member("coordinator")).post(
        _url(world, "/nouvelle"), data={"name": world.a.team.name.upper()}
    )
    assert r.status_code == 422
    assert "est déjà utilisé dans la structure" in text_of(r)


def test_same_team_name_is_allowed_in_another_structure(world, client_for):
    client = client_for(world.b.member("coordinator"))
    r = client.post(f"/s/{world.b.slug}/equipes/nouvelle", data={"name": world.a.team.name})
    assert r.status_code == 303
    assert world.a.team.name in text_of(client.get(r.location))
    with tenancy.system_scope(db.session):
        homes = db.session.scalars(select(Team.structure_id).where(Team.name == world.a.team.name))
        assert sorted(map(str, homes)) == sorted(
            map(str, [world.a.structure.id, world.b.structure.id])
        )


def test_edit_and_archive_team(world, client_for):
    client = client_for(world.a.member("coordinator"))
    team = world.a.team
    form = client.get(_url(world, f"/{team.id}/modifier"))
    assert f'value="{team.name}"' in text_of(form)
    r = client.post(
        _url(world, f"/{team.id}/modifier"),
        data={"name": "Équipe Nord renommée", "activity_id": "", "supervisor_ids": []},
    )
    assert r.status_code == 303
    assert team.name == "Équipe Nord renommée" and team.supervisions == []
    client.post(_url(world, f"/{team.id}/archiver"))
    assert team.is_archived
    assert "Archivée" in text_of(client.get(_url(world, "/")))


def test_activity_create_edit_and_errors(world, client_for):
    client = client_for(world.a.member("coordinator"))
    r = client.post(_url(world, "/activites/nouvelle"), data={"name": "  ", "description": "x"})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = client.post(
        _url(world, "/activites/nouvelle"),
        data={"name": "Bâtiment second œuvre", "description": "Peinture, plâtrerie."},
    )
    assert r.status_code == 303
    assert "Bâtiment second œuvre" in text_of(client.get(_url(world, "/")))
    r = client.post(
        _url(world, f"/activites/{world.a.activity.id}/modifier"),
        data={"name": "Espaces verts et propreté urbaine", "description": ""},
    )
    assert r.status_code == 303
    assert world.a.activity.name == "Espaces verts et propreté urbaine"


def test_team_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.a.member("coordinator"))
    with count_queries() as before:
        client.get(_url(world, "/"))
    for i in range(12):
        TeamFactory(structure_id=world.a.structure.id, name=f"Équipe supplémentaire {i}")
    with count_queries() as after:
        r = client.get(_url(world, "/"))
    assert "Équipe supplémentaire 11" in text_of(r)
    assert after.count == before.count


def test_pilotage_for_direction(world, client_for):
    r = client_for(world.a.member("director")).get(f"/s/{world.a.slug}/pilotage")
    html = text_of(r)
    assert r.status_code == 200
    assert "Personnes accompagnées" in html  # the dashboard of the year
    assert world.a.other_team.name in html  # listed under "Équipes sans encadrant"
    assert world.a.team.name not in html.split("Équipes sans encadrant")[1]


def test_navigation_depends_on_role(world, client_for):
    expected = {
        "eti": ["Accueil", "Mes équipes", "Référentiels"],
        "cip": ["Accueil", "Équipes et activités", "Référentiels"],
        "director": ["Équipes et activités", "Pilotage", "Équipe permanente"],
        "admin": ["Équipe permanente", "Référentiels"],
        "coordinator": ["Équipes et activités", "Pilotage", "Référentiels"],
    }
    for role, labels in expected.items():
        nav = text_of(client_for(world.a.member(role)).get(f"/s/{world.a.slug}/"))
        nav = nav.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
        for label in labels:
            assert f">{label}</a>" in nav, (role, label)
    admin_nav = text_of(client_for(world.a.member("admin")).get(f"/s/{world.a.slug}/"))
    assert ">Pilotage</a>" not in admin_nav and ">Mes équipes</a>" not in admin_nav


def test_each_team_shows_its_salaries_in_parcours_with_a_link(world, client_for):
    system()
    sid = world.a.structure.id
    team = TeamFactory(structure_id=sid, name="Équipe comptée")
    for name in ("Un", "Deux"):
        f.make_employee(sid, team, world.a.member("cip"), last_name=name)
    left = f.make_employee(sid, team, world.a.member("cip"), last_name="Parti")
    left.exit_date = date.today() - timedelta(days=3)
    leaves_later = f.make_employee(sid, team, world.a.member("cip"), last_name="Bientot")
    leaves_later.exit_date = date.today() + timedelta(days=10)
    alone = TeamFactory(structure_id=sid, name="Équipe vide")
    f.make_employee(world.b.structure.id, world.b.team, None, last_name="Ailleurs")
    db.session.commit()
    client = client_for(world.a.member("coordinator"))

    def page():
        db.session.expire_all()
        with count_queries() as counter:
            html = text_of(client.get(_url(world, "/")))
        return html, counter.count

    html, few = page()
    link = f'/s/{world.a.slug}/salaries/?equipe={team.id}">3 salariés en parcours'
    assert link in html
    assert f'?equipe={alone.id}">0 salarié en parcours' in html
    system()
    for i in range(15):
        f.make_employee(sid, alone, world.a.member("cip"), last_name=f"Lot{i}")
    db.session.commit()
    html, many = page()
    assert f'?equipe={alone.id}">15 salariés en parcours' in html and link in html
    assert many == few
    # The list the link opens shows those three.
    listed = text_of(client.get(f"/s/{world.a.slug}/salaries/?equipe={team.id}"))
    assert "3 salariés" in listed and "PARTI" not in listed


def test_each_card_says_the_activity_place_and_supervisors_by_name(world, client_for):
    """Read as plain rows: activity (or none), place, the ETIs by last name (or none), the
    archived teams after the others; another structure's teams are not listed."""
    system()
    sid = world.a.structure.id
    activity = f.ActivityFactory(structure_id=sid, name="Maraîchage bio")
    team = TeamFactory(
        structure_id=sid, name="Équipe A", activity_id=activity.id, location="Serres"
    )
    for first, last in (("Zoé", "Martin"), ("Yves", "Albert")):
        eti = f.MembershipFactory(
            structure=world.a.structure,
            roles=["eti"],
            user=f.UserFactory(first_name=first, last_name=last),
        )
        f.TeamSupervisorFactory(structure_id=sid, team_id=team.id, membership_id=eti.id)
    TeamFactory(structure_id=sid, name="Équipe B", location=None, is_archived=True)
    db.session.commit()
    html = text_of(client_for(world.a.member("coordinator")).get(_url(world, "/")))
    card = html.split(">Équipe A</a>")[1].split("</li>")[0]
    assert "Maraîchage bio · Serres" in card
    assert "Encadrement : Yves Albert, Zoé Martin</p>" in card
    archived = html.split(">Équipe B</a>")[1].split("</li>")[0]
    assert "Sans activité support <span" in archived and "Archivée" in archived
    assert "Encadrement : aucun encadrant" in archived
    assert html.index(">Équipe B</a>") > html.index(f">{world.a.team.name}</a>")
    assert world.b.team.name not in html
