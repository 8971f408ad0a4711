"""Échelles d'évaluation: default levels, editing levels, refusals in French, access, queries."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Uuid, select
from sqlalchemy.schema import CreateTable

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import Level, Scale
from siae_app.services import ServiceError
from siae_app.services import scales as scale_service
from tests.querycount import count_queries
from tests.site import ON_POSTGRES, text_of

DEFAULT_LABELS = ["Non évalué", "Non acquis", "En cours d'acquisition", "Acquis", "Maîtrisé"]


def _url(site, path=""):
    return f"/s/{site.slug}/echelles{path}"


def _scale_url(site, scale, path=""):
    return _url(site, f"/{scale.id}{path}")


def _level_url(site, level, path=""):
    return _url(site, f"/{level.scale_id}/niveaux/{level.id}{path}")


def _levels(scale) -> list[Level]:
    return list(
        db.session.scalars(select(Level).where(Level.scale_id == scale.id).order_by(Level.position))
    )


def _level(scale, code) -> Level:
    return next(lv for lv in _levels(scale) if lv.code == code)


def _level_data(label="Expert", code="EXP", color="#7c3aed", acquired=True) -> dict:
    data = {"label": label, "code": code, "color": color}
    if acquired:
        data["counts_as_acquired"] = "y"
    return data


@pytest.fixture
def level_refs(_transaction):
    """A table that points at levels (like the future assessments), known to the usage check.

    Two columns reference levels, as a goal would (current and target level). On SQLite it is
    a real table with real foreign keys, rolled back with the test; the PostgreSQL app role
    may not create tables in the schema, so there it is a temporary table (which may not hold
    a foreign key to a permanent table: the constraint is declared in the metadata only).
    """
    metadata = MetaData()
    table = Table(
        "test_level_refs",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("level_id", Uuid, ForeignKey(Level.__table__.c.id), nullable=True),
        Column("target_level_id", Uuid, ForeignKey(Level.__table__.c.id), nullable=True),
        prefixes=["TEMPORARY"] if ON_POSTGRES else [],
    )
    # Through the session and committed: a request that fails (4xx) rolls the session back
    # to its last savepoint, which must not undo the table or the rows the test inserts.
    if ON_POSTGRES:
        db.session.execute(CreateTable(table, include_foreign_key_constraints=[]))
    else:
        table.create(db.session.connection())
    db.session.commit()
    scale_service.register_level_reference(table)
    yield table
    scale_service.unregister_level_reference(table)


def test_default_scale_has_the_five_default_levels_in_order(world, client_for):
    levels = _levels(world.a.scale)
    assert world.a.scale.is_default
    assert [lv.label for lv in levels] == DEFAULT_LABELS
    assert [lv.code for lv in levels] == ["NE", "NA", "ECA", "A", "M"]
    assert [lv.label for lv in levels if lv.counts_as_acquired] == ["Acquis", "Maîtrisé"]
    assert all(lv.structure_id == world.a.structure.id for lv in levels)

    client = client_for(world.a.member("eti"))
    page = text_of(client.get(_url(world.a, "/")))
    flat = " ".join(page.split())
    assert "Échelle par défaut" in flat and "Échelle par défaut Par défaut" not in flat
    positions = [page.index(label) for label in DEFAULT_LABELS]
    assert positions == sorted(positions)
    assert page.count("compte comme acquis") == 2
    assert 'fill="#15803d"' in page  # colour swatch of "Acquis"
    detail = client.get(_scale_url(world.a, world.a.scale))
    html = text_of(detail)
    assert detail.status_code == 200
    positions = [html.index(label) for label in DEFAULT_LABELS]
    assert positions == sorted(positions)
    # Readers get no editing controls.
    assert "Ajouter un niveau" not in html and "Monter" not in html


def test_coordinator_adds_edits_reorders_and_deletes_levels(world, client_for):
    client = client_for(world.a.member("coordinator"))
    scale = world.a.scale
    page = text_of(client.get(_scale_url(world.a, scale)))
    assert "Ajouter un niveau" in page and 'type="color"' in page

    r = client.post(_scale_url(world.a, scale, "/niveaux"), data=_level_data())
    assert r.status_code == 303
    levels = _levels(scale)
    assert [lv.code for lv in levels] == ["NE", "NA", "ECA", "A", "M", "EXP"]
    assert levels[-1].counts_as_acquired and levels[-1].color == "#7c3aed"
    assert "Niveau « Expert » ajouté." in text_of(client.get(r.location))

    expert = levels[-1]
    r = client.post(
        _level_url(world.a, expert),
        data=_level_data(label="Expert·e", code="EX", color="#5B21B6", acquired=False),
    )
    assert r.status_code == 303
    assert (expert.label, expert.code, expert.color) == ("Expert·e", "EX", "#5b21b6")
    assert not expert.counts_as_acquired

    r = client.post(_level_url(world.a, expert, "/deplacer"), data={"direction": "up"})
    assert r.status_code == 303
    assert [lv.code for lv in _levels(scale)] == ["NE", "NA", "ECA", "A", "EX", "M"]
    first = _level(scale, "NE")
    client.post(_level_url(world.a, first, "/deplacer"), data={"direction": "down"})
    assert [lv.code for lv in _levels(scale)] == ["NA", "NE", "ECA", "A", "EX", "M"]
    html = text_of(client.get(_scale_url(world.a, scale))).split('id="niveaux"')[1]
    assert html.index("Non acquis") < html.index("Non évalué") < html.index("Expert·e")

    # Deleting asks for confirmation first, then renumbers the remaining levels.
    r = client.post(_level_url(world.a, expert, "/supprimer"))
    assert r.status_code == 200
    assert "Supprimer le niveau « Expert·e » ?" in text_of(r)
    assert len(_levels(scale)) == 6
    r = client.post(_level_url(world.a, expert, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 303
    levels = _levels(scale)
    assert [lv.code for lv in levels] == ["NA", "NE", "ECA", "A", "M"]
    assert [lv.position for lv in levels] == [0, 1, 2, 3, 4]
    assert "Niveau « Expert·e » supprimé." in text_of(client.get(r.location))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _level_data(code="a"),
            "Le code « a » est déjà utilisé par le niveau « Acquis » de cette échelle.",
        ),
        (
            _level_data(color="rouge"),
            "Couleur invalide : utilisez le format #rrggbb (par exemple #15803d).",
        ),
        (_level_data(label="   "), "Ce champ est obligatoire."),
        (_level_data(code="TROPLONGCODE"), "10 caractères au maximum."),
    ],
)
def test_new_level_errors_are_french_and_keep_input(world, client_for, data, message):
    client = client_for(world.a.member("coordinator"))
    r = client.post(_scale_url(world.a, world.a.scale, "/niveaux"), data=data)
    html = text_of(r)
    assert r.status_code == 422
    assert message in html
    assert "Le formulaire contient des erreurs" in html
    for name in ("label", "code", "color"):
        if data[name].strip():
            assert f'id="nouveau-niveau-{name}"' in html
            assert f'value="{data[name]}"' in html
    assert len(_levels(world.a.scale)) == 5


def test_edit_level_error_reopens_that_form_with_the_typed_values(world, client_for):
    client = client_for(world.a.member("coordinator"))
    acquired = _level(world.a.scale, "A")
    r = client.post(
        _level_url(world.a, acquired),
        data=_level_data(label="Acquis en autonomie", code="m", color="#000"),
    )
    html = text_of(r)
    assert r.status_code == 422
    assert "Le code « m » est déjà utilisé par le niveau « Maîtrisé »" in html or (
        "Couleur invalide" in html
    )
    assert 'value="Acquis en autonomie"' in html
    assert f'id="niveau-{acquired.id}-label"' in html
    assert "<details open>" in html
    assert acquired.label == "Acquis" and acquired.code == "A"
    # Colour valid, code taken: the service refuses on the code field.
    r = client.post(
        _level_url(world.a, acquired), data=_level_data(label="Acquis", code=" m ", acquired=True)
    )
    html = text_of(r)
    assert r.status_code == 422
    assert "Le code « m » est déjà utilisé par le niveau « Maîtrisé » de cette échelle." in html
    assert f'id="niveau-{acquired.id}-code-error"' in html
    # Keeping its own code is not a duplicate.
    r = client.post(
        _level_url(world.a, acquired), data=_level_data(label="Acquis", code="a", color="#15803d")
    )
    assert r.status_code == 303 and acquired.code == "a"


def test_moving_past_the_ends_is_refused_in_french(world, client_for):
    client = client_for(world.a.member("coordinator"))
    first = _levels(world.a.scale)[0]
    r = client.post(_level_url(world.a, first, "/deplacer"), data={"direction": "up"})
    assert r.status_code == 422
    assert "Le niveau « Non évalué » est déjà le premier." in text_of(r)
    r = client.post(_level_url(world.a, first, "/deplacer"), data={"direction": "sideways"})
    assert r.status_code == 422 and "Sens de déplacement inconnu." in text_of(r)
    assert [lv.label for lv in _levels(world.a.scale)] == DEFAULT_LABELS


def test_level_in_use_cannot_be_deleted(world, client_for, level_refs):
    scale = world.a.scale
    acquired, mastered = _level(scale, "A"), _level(scale, "M")
    db.session.execute(
        level_refs.insert(),
        [
            {"id": 1, "level_id": acquired.id, "target_level_id": mastered.id},
            {"id": 2, "level_id": acquired.id, "target_level_id": None},
        ],
    )
    db.session.commit()
    assert scale_service.level_usage(db.session, _levels(scale)) == {
        lv.id: {"A": 2, "M": 1}.get(lv.code, 0) for lv in _levels(scale)
    }
    client = client_for(world.a.member("coordinator"))
    for data in ({}, {"confirm": "oui"}):
        r = client.post(_level_url(world.a, acquired, "/supprimer"), data=data)
        assert r.status_code == 422
        assert (
            "Le niveau « Acquis » est utilisé (2 fois) dans des évaluations ou des objectifs : "
            "il ne peut pas être supprimé." in text_of(r)
        )
    r = client.post(_level_url(world.a, mastered, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 422 and "est utilisé (1 fois)" in text_of(r)
    assert len(_levels(scale)) == 5
    # A level nobody points at can go.
    r = client.post(
        _level_url(world.a, _level(scale, "ECA"), "/supprimer"), data={"confirm": "oui"}
    )
    assert r.status_code == 303


def test_scale_whose_levels_are_in_use_cannot_be_deleted(world, client_for, level_refs):
    tenancy.activate(db.session, world.a.structure.id)
    scale = scale_service.create_scale(db.session, "Savoir-être")
    tenancy.activate_system(db.session)
    db.session.commit()
    db.session.execute(level_refs.insert().values(id=1, target_level_id=scale.levels[2].id))
    db.session.commit()
    r = client_for(world.a.member("coordinator")).post(
        _scale_url(world.a, scale, "/supprimer"), data={"confirm": "oui"}
    )
    assert r.status_code == 422
    assert (
        "L'échelle « Savoir-être » est utilisée (1 fois) dans des évaluations ou des objectifs"
        in text_of(r)
    )
    assert db.session.scalar(select(Scale).where(Scale.id == scale.id)) is not None


def test_the_last_level_cannot_be_deleted(world, client_for):
    client = client_for(world.a.member("coordinator"))
    scale = world.a.scale
    for level in _levels(scale)[:-1]:
        r = client.post(_level_url(world.a, level, "/supprimer"), data={"confirm": "oui"})
        assert r.status_code == 303
    (last,) = _levels(scale)
    assert last.label == "Maîtrisé" and last.position == 0
    r = client.post(_level_url(world.a, last, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 422
    assert "Une échelle doit garder au moins un niveau." in text_of(r)
    with pytest.raises(ServiceError, match="au moins un niveau"):
        scale_service.delete_level(db.session, last)
    assert _levels(scale) == [last]


def test_create_scale_then_only_one_default(world, client_for):
    client = client_for(world.a.member("coordinator"))
    assert client.get(_url(world.a, "/nouvelle")).status_code == 200
    r = client.post(_url(world.a, "/nouvelle"), data={"name": "  "})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    r = client.post(_url(world.a, "/nouvelle"), data={"name": "échelle PAR DÉFAUT"})
    assert r.status_code == 422
    assert "Le nom « échelle PAR DÉFAUT » est déjà utilisé par une autre échelle." in text_of(r)
    assert 'value="échelle PAR DÉFAUT"' in text_of(r)

    r = client.post(_url(world.a, "/nouvelle"), data={"name": "Savoir-être"})
    assert r.status_code == 303
    new = db.session.scalar(select(Scale).where(Scale.name == "Savoir-être"))
    assert new.structure_id == world.a.structure.id and not new.is_default
    assert [lv.label for lv in _levels(new)] == DEFAULT_LABELS
    assert {lv.id for lv in _levels(new)}.isdisjoint({lv.id for lv in _levels(world.a.scale)})

    r = client.post(_scale_url(world.a, new), data={"name": "Savoir-être (CCP)", "is_default": "y"})
    assert r.status_code == 303
    assert new.name == "Savoir-être (CCP)" and new.is_default
    assert not world.a.scale.is_default
    defaults = db.session.scalars(
        select(Scale).where(Scale.structure_id == world.a.structure.id, Scale.is_default.is_(True))
    ).all()
    assert defaults == [new]
    # B's default scale is untouched.
    assert world.b.scale.is_default

    # Unticked box on the default scale: it stays the default (there is always one).
    r = client.post(_scale_url(world.a, new), data={"name": "Savoir-être (CCP)"})
    assert r.status_code == 303 and new.is_default

    r = client.post(_scale_url(world.a, new), data={"name": ""})
    assert r.status_code == 422 and "Ce champ est obligatoire." in text_of(r)
    assert new.name == "Savoir-être (CCP)"

    r = client.post(_scale_url(world.a, new, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 422
    assert "L'échelle par défaut ne peut pas être supprimée" in text_of(r)

    old = world.a.scale
    r = client.post(_scale_url(world.a, old, "/supprimer"))
    assert r.status_code == 200 and "Supprimer l'échelle « Échelle par défaut » ?" in text_of(r)
    r = client.post(_scale_url(world.a, old, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 303
    assert db.session.scalar(select(Scale).where(Scale.id == old.id)) is None
    assert db.session.scalar(select(Level).where(Level.scale_id == old.id)) is None
    assert "Échelle « Échelle par défaut » supprimée." in text_of(client.get(r.location))


@pytest.mark.parametrize("role", ["eti", "cip", "director"])
def test_readers_can_read_but_not_write(world, client_for, role):
    client = client_for(world.a.member(role))
    scale = world.a.scale
    level = _levels(scale)[1]
    assert client.get(_url(world.a, "/")).status_code == 200
    assert client.get(_scale_url(world.a, scale)).status_code == 200
    writes = [
        (_url(world.a, "/nouvelle"), {"name": "Pirate"}),
        (_scale_url(world.a, scale), {"name": "Pirate", "is_default": "y"}),
        (_scale_url(world.a, scale, "/supprimer"), {"confirm": "oui"}),
        (_scale_url(world.a, scale, "/niveaux"), _level_data()),
        (_level_url(world.a, level), _level_data()),
        (_level_url(world.a, level, "/deplacer"), {"direction": "down"}),
        (_level_url(world.a, level, "/supprimer"), {"confirm": "oui"}),
    ]
    for path, data in writes:
        r = client.post(path, data=data)
        assert r.status_code == 403, path
        assert "Accès refusé" in text_of(r)
    assert client.get(_url(world.a, "/nouvelle")).status_code == 403
    assert scale.name == "Échelle par défaut"
    assert [lv.label for lv in _levels(scale)] == DEFAULT_LABELS


def test_another_structures_scale_or_level_is_404(world, client_for):
    client = client_for(world.a.member("all"))
    b_scale, b_level = world.b.scale, _levels(world.b.scale)[0]
    assert client.get(_scale_url(world.a, b_scale)).status_code == 404
    r = client.post(_scale_url(world.a, b_scale, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 404
    r = client.post(_level_url(world.a, b_level, "/supprimer"), data={"confirm": "oui"})
    assert r.status_code == 404
    # B's level under A's scale: still not found.
    r = client.post(_url(world.a, f"/{world.a.scale.id}/niveaux/{b_level.id}"), data=_level_data())
    assert r.status_code == 404
    assert world.b.scale.name not in text_of(client.get(_url(world.a, "/"))).replace(
        world.a.scale.name, ""
    )
    assert len(_levels(world.b.scale)) == 5


def test_level_of_another_scale_in_the_url_is_404(world, client_for):
    tenancy.activate(db.session, world.a.structure.id)
    other = scale_service.create_scale(db.session, "Savoir-être")
    tenancy.activate_system(db.session)
    db.session.commit()
    client = client_for(world.a.member("coordinator"))
    foreign_level = _levels(other)[0]
    base = _url(world.a, f"/{world.a.scale.id}/niveaux/{foreign_level.id}")
    assert client.post(base, data=_level_data()).status_code == 404
    assert client.post(f"{base}/deplacer", data={"direction": "down"}).status_code == 404
    assert client.post(f"{base}/supprimer", data={"confirm": "oui"}).status_code == 404
    assert [lv.label for lv in _levels(other)] == DEFAULT_LABELS


def test_scale_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.a.member("coordinator"))
    db.session.expire_all()
    with count_queries() as before:
        client.get(_url(world.a, "/"))
    tenancy.activate(db.session, world.a.structure.id)
    for i in range(10):
        scale = scale_service.create_scale(db.session, f"Échelle supplémentaire {i}")
        scale_service.add_level(db.session, scale, "Expert", "EXP", "#7c3aed", True)
    tenancy.activate_system(db.session)
    db.session.commit()
    db.session.expire_all()
    with count_queries() as after:
        r = client.get(_url(world.a, "/"))
    html = text_of(r)
    assert "Échelle supplémentaire 9" in html and html.count("Expert") == 10
    assert after.count == before.count


def test_scale_page_query_count_does_not_grow_with_levels(world, client_for):
    client = client_for(world.a.member("coordinator"))
    db.session.expire_all()
    with count_queries() as before:
        client.get(_scale_url(world.a, world.a.scale))
    tenancy.activate(db.session, world.a.structure.id)
    for i in range(10):
        scale_service.add_level(db.session, world.a.scale, f"Palier {i}", f"P{i}", "#123456")
    tenancy.activate_system(db.session)
    db.session.commit()
    db.session.expire_all()
    with count_queries() as after:
        r = client.get(_scale_url(world.a, world.a.scale))
    assert "Palier 9" in text_of(r)
    assert after.count == before.count


def test_services_validate_in_french_with_the_field(world):
    tenancy.activate(db.session, world.a.structure.id)
    scale = world.a.scale
    cases = [
        (("", "X", "#000000"), "label", "L'intitulé du niveau est obligatoire."),
        (("x" * 81, "X", "#000000"), "label", "80 caractères au maximum."),
        (("X", "", "#000000"), "code", "Le code du niveau est obligatoire."),
        (("X", "NEW", "#00000"), "color", "Couleur invalide"),
        (("X", "ne", "#000000"), "code", "déjà utilisé"),
    ]
    for (label, code, color), field, message in cases:
        with pytest.raises(ServiceError) as info:
            scale_service.add_level(db.session, scale, label, code, color)
        assert info.value.field == field and message in info.value.message
    with pytest.raises(ServiceError) as info:
        scale_service.move_level(db.session, _levels(scale)[-1], "down")
    assert info.value.message == "Le niveau « Maîtrisé » est déjà le dernier."
    with pytest.raises(ServiceError) as info:
        scale_service.delete_scale(db.session, scale)
    assert "par défaut" in info.value.message
    assert len(_levels(scale)) == 5
