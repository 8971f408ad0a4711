"""The « Registre des traitements » page, its PDF and the durations form: what the direction
reads (categories, durations in French, sources, a lengthened duration's motif, the purges),
the form's limits on both sides, and who may open them."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from siae_app.models import PurgeRecord, RetentionSetting
from siae_app.privacy.registry import RULES, SETTABLE, Rule
from siae_app.services.privacy.register import months_fr
from tests.site import text_of

ACC = RULES[Rule.ACCOMPANIMENT]
MOTIF = "Financement FSE+ : pièces gardées jusqu'au 31 décembre 2031."


def _url(site, tail=""):
    return f"/s/{site.slug}/registre{tail}"


def _form(**changes) -> dict:
    """The form as shown with the defaults, with ``changes`` (``<rule>_months`` …) typed."""
    data = {}
    for rule in SETTABLE:
        data[f"{rule.value}_months"] = str(RULES[rule].default_months)
        data[f"{rule.value}_motif"] = ""
    data["personal_space_months"] = "6"
    data.update({k: str(v) for k, v in changes.items()})
    return data


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(
    ("months", "text"), [(24, "2 ans"), (60, "5 ans"), (12, "1 an"), (18, "18 mois"), (0, "sans")]
)
def test_months_are_said_in_years_when_they_are_whole(months, text):
    assert months_fr(months).startswith(text)


def test_the_direction_reads_the_register_in_french(world, client_for):
    site = world.a
    site.structure.siret = "84213567901002"
    page = client_for(site.member("director")).get(_url(site))
    assert page.status_code == 200
    text = text_of(page)
    assert "Registre des traitements" in text
    assert "84213567901002" in text
    assert site.member("director").user.full_name in text
    assert "Données sensibles (santé, justice, situation personnelle)" in text
    assert "Paramètres de la structure (aucune donnée personnelle)</h2>" not in text
    assert "Dossier d'accompagnement : 2 ans" in text
    assert "Contrats, PASS IAE et heures : 5 ans" in text
    assert "CNIL, délibération n° 2023-095 du 14 septembre 2023" in text
    assert "les financeurs ne reçoivent que des chiffres agrégés" in text
    assert "Aucune purge pour l'instant." in text
    assert "Modifier les durées de conservation" in text


def test_a_lengthened_duration_shows_its_motif_author_and_default(world, client_for, session):
    site = world.a
    session.add(
        RetentionSetting(
            structure_id=site.structure.id,
            rule=Rule.ACCOMPANIMENT.value,
            months=36,
            motif=MOTIF,
            set_by_id=site.member("director").id,
        )
    )
    session.flush()
    text = text_of(client_for(site.member("director")).get(_url(site)))
    assert "Dossier d'accompagnement : 3 ans" in text
    assert "(Dossier d'accompagnement, allongée : par défaut 2 ans)" in text
    assert MOTIF in text
    assert f"Décidé par {site.member('director').user.full_name}" in text


def test_the_purges_are_listed_with_the_tables_labels(world, client_for, session):
    site = world.a
    session.add(
        PurgeRecord(
            structure_id=site.structure.id,
            at=datetime(2026, 3, 2, 3, 0),
            rule=Rule.ACCESS_LOG.value,
            months=12,
            cutoff=date(2025, 3, 2),
            people=4,
            counts={"access_logs": 117},
            command="flask rgpd purge",
        )
    )
    session.flush()
    text = text_of(client_for(site.member("director")).get(_url(site)))
    assert "Aucune purge pour l'instant." not in text
    assert "2 mars 2026" in text and "2 mars 2025" in text
    assert "Journal des accès : 117" in text
    # The other structure's page does not list it.
    other = text_of(client_for(world.b.member("director")).get(_url(world.b)))
    assert "Aucune purge pour l'instant." in other


def test_the_pdf_says_the_same_durations(world, client_for):
    site = world.a
    response = client_for(site.member("director")).get(_url(site, ".pdf"))
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".pdf" in response.headers["Content-Disposition"]
    text = _pdf_text(response)
    assert "Registre des traitements" in text
    assert "Dossier d'accompagnement : 2 ans" in text
    assert "Contrats, PASS IAE et heures : 5 ans" in text
    assert "Journal des accès : 1 an" in text
    assert "CNIL, délibération n° 2023-095" in text
    assert "Aucune purge pour l'instant." in text
    assert f"{site.structure.name} · registre du" in text
    assert "Page 1 sur" in text


def test_the_form_shows_each_rule_with_its_limits(world, client_for):
    site = world.a
    text = text_of(client_for(site.member("director")).get(_url(site, "/durees")))
    assert "Durées de conservation" in text
    for rule in SETTABLE:
        retention = RULES[rule]
        assert f"<legend>{retention.label}</legend>" in text
        assert f'min="{retention.default_months}"' in text
        assert f'max="{retention.max_months}"' in text
    assert "Source : CNIL, délibération n° 2023-095" in text


def test_shorter_than_the_default_is_refused_next_to_the_field(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    answer = client.post(
        _url(site, "/durees"), data=_form(accompaniment_months=ACC.default_months - 1)
    )
    assert answer.status_code == 422
    text = text_of(answer)
    assert f"plus courte que {ACC.default_months} mois" in text
    assert 'id="accompaniment_months-error"' in text
    assert f'value="{ACC.default_months - 1}"' in text
    assert session.query(RetentionSetting).count() == 0


def test_above_the_ceiling_is_refused_and_the_motif_typed_is_kept(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    answer = client.post(
        _url(site, "/durees"),
        data=_form(accompaniment_months=ACC.max_months + 1, accompaniment_motif=MOTIF),
    )
    assert answer.status_code == 422
    text = text_of(answer)
    assert f"ne peut pas dépasser {ACC.max_months} mois" in text
    assert MOTIF in text
    assert session.query(RetentionSetting).count() == 0


def test_above_the_default_without_motif_is_refused_on_the_motif(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    answer = client.post(
        _url(site, "/durees"),
        data=_form(accompaniment_months=30, employment_months=RULES[Rule.EMPLOYMENT].max_months),
    )
    assert answer.status_code == 422
    text = text_of(answer)
    assert 'id="accompaniment_motif-error"' in text
    assert 'id="employment_motif-error"' in text
    assert "Dites pourquoi" in text
    assert session.query(RetentionSetting).count() == 0


def test_the_ceiling_with_a_motif_is_saved_and_shown_on_the_register(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    answer = client.post(
        _url(site, "/durees"),
        data=_form(accompaniment_months=ACC.max_months, accompaniment_motif=MOTIF),
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(_url(site))
    text = text_of(client.get(answer.headers["Location"]))
    assert "Durées enregistrées." in text
    assert f"Dossier d'accompagnement : {months_fr(ACC.max_months)}" in text
    assert MOTIF in text
    # Back to the default: the setting goes, and the register says the default again.
    answer = client.post(_url(site, "/durees"), data=_form())
    assert answer.status_code == 303
    assert session.query(RetentionSetting).count() == 0
    assert "Dossier d'accompagnement : 2 ans" in text_of(client.get(_url(site)))


@pytest.mark.parametrize("role", ["eti", "cip"])
@pytest.mark.parametrize("tail", ["", ".pdf", "/durees"])
def test_the_chantier_and_the_cip_are_refused(world, client_for, role, tail):
    response = client_for(world.a.member(role)).get(_url(world.a, tail))
    assert response.status_code == 403
    assert "Accès refusé" in text_of(response)


def test_coordination_reads_but_does_not_change_the_durations(world, client_for):
    client = client_for(world.a.member("coordinator"))
    page = client.get(_url(world.a))
    assert page.status_code == 200
    assert "Modifier les durées de conservation" not in text_of(page)
    assert client.get(_url(world.a, "/durees")).status_code == 403
    assert client.post(_url(world.a, "/durees"), data=_form()).status_code == 403


@pytest.mark.parametrize("tail", ["", ".pdf", "/durees"])
def test_another_structures_register_is_not_found(world, client_for, tail):
    response = client_for(world.a.member("director")).get(_url(world.b, tail))
    assert response.status_code == 404


def test_the_direction_finds_the_register_in_the_navigation(world, client_for):
    text = text_of(client_for(world.a.member("director")).get(f"/s/{world.a.slug}/"))
    assert f'href="/s/{world.a.slug}/registre"' in text
    assert "Registre des traitements" in text


def test_what_starts_a_duration_is_said_in_french(world, client_for):
    text = text_of(client_for(world.a.member("director")).get(_url(world.a)))
    assert "à compter du dernier contact" in text
    assert "à compter de la signature" in text
    assert "à compter de le " not in text


def test_the_users_documentation_gives_the_registers_durations_and_sources():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "donnees-personnelles.md").read_text()
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in doc.splitlines()}
    for rule in SETTABLE:
        retention = RULES[rule]
        row = rows[retention.label]
        assert f"| {months_fr(retention.default_months)}" in row, rule
        assert f"| {months_fr(retention.max_months)}" in row, rule
        assert retention.source[:40].lower() in row.lower(), rule
    assert "## Purge\n\nLa commande `flask rgpd purge`" in doc


def test_the_salaries_space_closes_the_months_after_the_sortie_the_direction_sets(
    world, client_for, session
):
    site = world.a
    client = client_for(site.member("director"))
    page = text_of(client.get(_url(site, "/durees")))
    assert "Espace personnel du salarié" in page and 'value="6"' in page
    refused = client.post(_url(site, "/durees"), data=_form(personal_space_months=25))
    assert refused.status_code == 422
    assert "Entre 1 et 24 mois." in text_of(refused) and 'value="25"' in text_of(refused)
    session.expire_all()
    assert site.structure.personal_space_months == 6
    assert (
        client.post(_url(site, "/durees"), data=_form(personal_space_months=12)).status_code == 303
    )
    session.expire_all()
    assert site.structure.personal_space_months == 12
    assert world.b.structure.personal_space_months == 6
