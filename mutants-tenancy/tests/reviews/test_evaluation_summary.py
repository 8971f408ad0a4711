"""The bilan's competencies in words: for the latest assessment of a grid, the competencies by
level group (« Acquis », « En cours d'acquisition », « À travailler ») and what moved since an
earlier level; every full table in an annex after the signatures. The groups come from the
scale (its « compte comme acquis » levels, else its top level; its lowest level), checked on a
3-level and a 5-level scale. A bilan frozen before the summary existed still prints."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from siae_app import tenancy
from siae_app.extensions import db
from siae_app.models import ReviewStatus
from siae_app.models.scales import Level
from siae_app.services import scales
from siae_app.services.reviews import compile as compiling
from siae_app.services.reviews import workflow
from tests import factories as f

TABLE_HEADER = "Compétence Niveau Précédent Évolution"


def _scale(site, name: str, levels: list[tuple[str, str, bool]]):
    """A scale of the structure with exactly ``levels`` (label, code, counts as acquired),
    lowest first, made as the scales screen makes it."""
    with tenancy.tenant_scope(db.session, site.structure.id):
        scale = scales.create_scale(db.session, name)
        defaults = list(scale.levels)
        for label, code, acquired in levels:
            scales.add_level(db.session, scale, label, code, "#445566", acquired)
        for level in defaults:
            scales.delete_level(db.session, level)
    db.session.commit()
    return scale


def _grid(site, scale, comps: int):
    """A grid on ``scale`` with « Compétence 1 … » to « Compétence comps » and « Travailler en
    équipe » (the framework's transversal competency), in that order."""
    with tenancy.tenant_scope(db.session, site.structure.id):
        framework = f.make_framework(f"Référentiel {scale.name}", comps=comps)
    db.session.commit()
    return f.make_grid(framework, f"Grille {scale.name}", scale_id=scale.id)


def _assess(site, employee, grid, days_ago: int, codes, kind="intermediate"):
    return f.make_assessment(
        site.member("eti"),
        employee,
        grid,
        kind=kind,
        codes=codes,
        assessed_on=date.today() - timedelta(days=days_ago),
        validated_by=(site.member("eti"), site.member("cip")),
    )


def _employee(site, name: str):
    return f.make_employee(
        site.structure.id,
        site.team,
        site.member("cip"),
        last_name=name,
        entry_date=date.today() - timedelta(days=100),
    )


def _pages(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _label(n: int) -> str:
    return f"Compétence {n} : respecter les consignes de sécurité"


# ------------------------------------------------------------------ the groups of a scale


def test_groups_follow_the_acquired_mark_else_the_top_level():
    def groups(levels):
        rule = compiling.LevelGroups.of_scale(
            [Level(position=i, label=lb, code=lb, counts_as_acquired=a) for i, (lb, a) in levels]
        )
        return [rule.group(i, a) for i, (_, a) in levels]

    # 3 levels, none marked: the top one is acquis, the lowest à travailler.
    assert groups([(0, ("NA", False)), (1, ("EC", False)), (2, ("A", False))]) == [
        "to_work",
        "in_progress",
        "acquired",
    ]
    # 5 levels, the top two marked: the two between are « en cours ».
    five = [(0, ("D", False)), (1, ("N", False)), (2, ("I", False)), (3, ("C", True))]
    five.append((4, ("E", True)))
    assert groups(five) == ["to_work", "in_progress", "in_progress", "acquired", "acquired"]
    # Two levels: nothing in between.
    assert groups([(0, ("NA", False)), (1, ("A", True))]) == ["to_work", "acquired"]
    # Not assessed: in no group.
    assert compiling.LevelGroups.of_scale([]).group(None, False) is None


def test_three_level_scale_without_acquired_mark(world):
    site = world.a
    scale = _scale(
        site,
        "Trois niveaux",
        [("Pas encore", "PE", False), ("En chemin", "EC", False), ("Réussi", "R", False)],
    )
    grid = _grid(site, scale, comps=3)
    employee = _employee(site, "Troisniveaux")
    _assess(site, employee, grid, 40, ["PE", "PE", "EC", None], kind="initial")
    _assess(site, employee, grid, 5, ["R", "EC", "PE", "PE"])
    today = date.today()
    with tenancy.tenant_scope(db.session, site.structure.id):
        part = compiling.evaluations_part(
            db.session, employee.id, today - timedelta(days=20), today
        )
    assert len(part) == 1
    summary = part[0]["summary"]
    assert [
        (g["label"], [i["label"] for i in g["items"]], g["mixed"]) for g in summary["groups"]
    ] == [
        ("Acquis", [_label(1)], False),
        ("En cours d'acquisition", [_label(2)], False),
        ("À travailler", [_label(3), "Travailler en équipe"], False),
    ]
    assert summary["not_assessed"] == []
    since = (today - timedelta(days=40)).isoformat()
    assert [(m["label"], m["since"], m["items"]) for m in summary["moves"]] == [
        ("En progrès", since, [
            {"label": _label(1), "from": "Pas encore", "to": "Réussi"},
            {"label": _label(2), "from": "Pas encore", "to": "En chemin"},
        ]),
        ("En recul", since, [{"label": _label(3), "from": "En chemin", "to": "Pas encore"}]),
    ]  # fmt: skip


# ------------------------------------------------------------------ the PDF


def test_pdf_summarises_the_latest_assessment_and_annexes_every_table(world, client_for, session):
    site = world.a
    scale = _scale(
        site,
        "Cinq niveaux",
        [
            ("Débutant", "D", False),
            ("Novice", "N", False),
            ("Intermédiaire", "I", False),
            ("Confirmé", "C", True),
            ("Expert", "E", True),
        ],
    )
    grid = _grid(site, scale, comps=6)
    employee = _employee(site, "Cinqniveaux")
    # Compétences 1 to 6, then « Travailler en équipe ».
    _assess(site, employee, grid, 60, ["D", "D", "N", "I", "C", None, None], kind="initial")
    _assess(site, employee, grid, 10, ["C", "N", "E", "I", "D", None, "D"])
    with tenancy.tenant_scope(session, site.structure.id):
        review = workflow.open_review(
            session,
            employee=employee,
            membership=site.member("cip"),
            kind="intermediate",
            due_on=None,
            today=date.today(),
        )
        review.status = ReviewStatus.HELD
        review.held_on = date.today()
    session.commit()

    # The compiled data: a summary on the latest assessment only.
    initial, latest = review.compiled["evaluations"]
    assert "summary" not in initial
    summary = latest["summary"]
    assert {g["key"]: [i["label"] for i in g["items"]] for g in summary["groups"]} == {
        "acquired": [_label(1), _label(3)],
        "in_progress": [_label(2), _label(4)],
        "to_work": [_label(5), "Travailler en équipe"],
    }
    assert summary["not_assessed"] == [_label(6)]
    assert [(m["key"], [i["label"] for i in m["items"]]) for m in summary["moves"]] == [
        ("up", [_label(1), _label(2), _label(3)]),
        ("down", [_label(5)]),
    ]

    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    pages = _pages(cip.get(base + "/pdf?exemplaire=salarie"))
    text = " ".join(pages)
    body, _, annex = text.partition("Annexe : détail des évaluations")

    # The body says it in words, with true counts; no table of levels.
    assert (
        f"Acquis (2) : {_label(1)} (Confirmé) ; {_label(3)} (Expert)." in body
        and f"En cours d'acquisition (2) : {_label(2)} (Novice) ; {_label(4)} (Intermédiaire)."
        in body
        and f"À travailler (2) : {_label(5)} ; Travailler en équipe." in body
        and f"Non évalué (1) : {_label(6)}." in body
    )
    progress = body.split("En progrès depuis le ", 1)[1]
    assert progress.startswith(_date_fr(date.today() - timedelta(days=60)) + " (3) : ")
    assert (
        f"{_label(1)} (Débutant → Confirmé) ; {_label(2)} (Débutant → Novice) ; "
        f"{_label(3)} (Novice → Expert)." in progress
    )
    assert f"En recul depuis le {_date_fr(date.today() - timedelta(days=60))} (1) : " in body
    assert f"{_label(5)} (Confirmé → Débutant)." in body
    assert "Aussi sur la période : Grille Cinq niveaux — Positionnement initial du" in body
    assert TABLE_HEADER not in body
    assert "Signatures" in body

    # The annex, after the signatures and on a page of its own, holds both full tables.
    annex_page = next(i for i, p in enumerate(pages) if "Annexe : détail des évaluations" in p)
    signatures_page = next(i for i, p in enumerate(pages) if "Signatures" in p)
    assert annex_page > signatures_page
    assert annex.count(TABLE_HEADER) == 2
    initial_table, latest_table = annex.split(TABLE_HEADER)[1:]
    assert f"{_label(5)} Confirmé — Première évaluation" in initial_table
    assert f"{_label(6)} Non évalué — Non évalué" in initial_table
    assert f"{_label(1)} Confirmé Débutant En progrès" in latest_table
    assert f"{_label(5)} Débutant Confirmé En recul" in latest_table
    assert f"{_label(4)} Intermédiaire Intermédiaire Stable" in latest_table
    assert "Travailler en équipe Débutant — Première évaluation" in latest_table


def _date_fr(day: date) -> str:
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    return f"{'1er' if day.day == 1 else day.day} {months[day.month - 1]} {day.year}"


def test_a_bilan_frozen_before_the_summary_still_prints_its_tables(world, client_for, session):
    """Validated bilans keep the compiled content of their day: evaluations without a
    summary (nor groups) print as they were signed, tables in the body, no annex."""
    site = world.a
    on = (date.today() - timedelta(days=20)).isoformat()
    frozen = {
        "period": {"start": (date.today() - timedelta(days=60)).isoformat(), "end": on},
        "evaluations": [
            {
                "name": "Grille d'avant",
                "kind": "Évaluation intermédiaire",
                "assessed_on": on,
                "items": [
                    {
                        "label": "Tailler une haie",
                        "level": "Acquis",
                        "previous": "Non acquis",
                        "change": "En progrès",
                    },
                    {
                        "label": "Désherber",
                        "level": "Non évalué",
                        "previous": None,
                        "change": "Non évalué",
                    },  # fmt: skip
                ],
            }
        ],
    }
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        status=ReviewStatus.HELD,
        held_on=date.today(),
        compiled=frozen,
    )
    session.commit()
    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    text = " ".join(_pages(cip.get(base + "/pdf?exemplaire=salarie")))
    body = text.split("Signatures", 1)[0]
    assert "Grille d'avant — Évaluation intermédiaire du" in body
    assert TABLE_HEADER in body
    assert "Tailler une haie Acquis Non acquis En progrès" in body
    assert "Désherber Non évalué — Non évalué" in body
    assert "Annexe" not in text and "Acquis (" not in text


def test_the_signatures_never_stand_alone_on_a_page(world, client_for, session):
    """Whatever the length of the texts above, the decisions share the signatures' page (a
    signed page carries what is signed); the texts push both to the next page together."""
    site = world.a
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        status=ReviewStatus.HELD,
        held_on=date.today(),
    )
    session.commit()
    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    sentence = "Le salarié a progressé sur le chantier et prend des initiatives. "
    for n in range(0, 66, 6):  # about a tenth of a page more each time
        review.cip_synthesis = sentence * (n + 1)
        session.commit()
        pages = _pages(cip.get(base + "/pdf?exemplaire=salarie"))
        signed = next(p for p in pages if "Signatures" in p)
        assert "Décisions" in signed and "Prochain rendez-vous" in signed, n
