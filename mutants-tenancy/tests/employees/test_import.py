"""Import of salariés: preview with line-numbered French errors, duplicates, encodings,
separators, XLSX, the 2,000-line limit, and nothing saved unless everything is right."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from siae_app.extensions import db
from siae_app.models import Contract, Employee, EmployeeImport, PassIae
from tests.employees.helpers import system, url
from tests.site import text_of

HEADER = "Nom;Prénom;Date de naissance;Équipe;Numéro PASS IAE;Début PASS"


def _count(model=Employee):
    system()
    return db.session.scalar(select(func.count(model.id)))


def _upload(client, site, content: bytes, name="salaries.csv"):
    return client.post(
        url(site, "/import"),
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _confirm(client, site, response):
    html = response.get_data(as_text=True)
    draft_id = html.split('name="import_id" type="hidden" value="')[1].split('"')[0]
    return client.post(url(site, "/import/confirmer"), data={"import_id": draft_id})


def test_csv_utf8_bom_preview_then_confirm(world, client_for):
    client = client_for(world.a.member("cip"))
    team = world.a.team.name
    text = (
        f"{HEADER}\nDurand;Élodie;02/05/1991;{team};999990000001;01/09/2026\n"
        "Nguyen;Bao;1988-11-30;;;\n"
    )
    before = _count()
    r = _upload(client, world.a, "\ufeff".encode() + text.encode("utf-8"))
    assert r.status_code == 200
    html = text_of(r)
    assert "2 lignes lues" in html and "DURAND" in html and "Élodie" in html
    assert _count() == before  # a preview creates nothing
    done = _confirm(client, world.a, r)
    assert done.status_code == 303
    assert "2 salarié(s) importé(s)." in text_of(client.get(done.location))
    assert _count() == before + 2
    durand = db.session.scalar(select(Employee).where(Employee.last_name == "Durand"))
    assert durand.team_id == world.a.team.id
    assert db.session.scalar(select(PassIae.number).where(PassIae.employee_id == durand.id)) == (
        "999990000001"
    )
    assert _count(EmployeeImport) == 0


def test_cp1252_and_comma_separator(world, client_for):
    client = client_for(world.a.member("coordinator"))
    text = "Nom,Prénom,Date de naissance\nBéranger,Hélène,03/04/1979\n"
    r = _upload(client, world.a, text.encode("cp1252"))
    assert r.status_code == 200
    assert "BÉRANGER" in text_of(r) and "Hélène" in text_of(r)
    assert _confirm(client, world.a, r).status_code == 303
    assert db.session.scalar(select(Employee).where(Employee.first_name == "Hélène"))


def test_errors_are_numbered_and_nothing_is_saved(world, client_for):
    client = client_for(world.a.member("cip"))
    existing = world.a.employee
    text = "\n".join(
        [
            HEADER,
            "Petit;Louis;12/12/1990;;;",  # line 2: fine
            "Roux;;01/01/1985;;;",  # line 3: no first name
            "Blanc;Zoé;31/02/1990;;;",  # line 4: bad date
            "Petit;Louis;12/12/1990;;;",  # line 5: same as line 2
            f"{existing.last_name};{existing.first_name};{existing.birth_date:%d/%m/%Y};;;",
            "Morel;Jade;05/06/1995;Équipe inconnue;;",  # line 7
            "Faure;Noé;05/06/1995;;12345;01/01/2026",  # line 8: PASS number
        ]
    )
    before = _count()
    r = _upload(client, world.a, text.encode())
    assert r.status_code == 422
    html = text_of(r)
    assert "Aucun salarié n'a été créé." in html
    assert "Ligne 3 : prénom manquant(e)." in html
    assert "Ligne 4 : date de naissance illisible (« 31/02/1990 ») ; attendu JJ/MM/AAAA." in html
    assert "Ligne 5 : même nom, prénom et date de naissance qu'à la ligne 2." in html
    assert f"Ligne 6 : {existing.last_name} {existing.first_name} existe déjà" in html
    assert "Ligne 7 : équipe inconnue (« Équipe inconnue »)." in html
    assert "Ligne 8 : le numéro de PASS IAE compte 12 chiffres" in html
    assert "Ligne 2" not in html
    assert "Créer ces" not in html  # no confirmation possible
    assert _count() == before and _count(EmployeeImport) == 0


def test_confirm_checks_again_and_saves_nothing_if_the_structure_changed(world, client_for):
    client = client_for(world.a.member("cip"))
    r = _upload(
        client,
        world.a,
        b"Nom;Prenom;Date de naissance\nGirard;Lou;01/02/2000\nLeroy;Tom;02/02/2000\n",
    )
    assert r.status_code == 200
    # Meanwhile someone creates Leroy Tom by hand.
    client.post(
        url(world.a, "/nouveau"),
        data={"last_name": "Leroy", "first_name": "Tom", "birth_date": "02/02/2000"},
    )
    before = _count()
    done = _confirm(client, world.a, r)
    assert done.status_code == 303
    assert "Aucun salarié n'a été créé." in text_of(client.get(done.location))
    assert _count() == before
    assert db.session.scalar(select(Employee).where(Employee.last_name == "Girard")) is None


def test_too_many_lines_refused_and_2000_accepted(world, client_for):
    client = client_for(world.a.member("cip"))
    rows = [f"Nom{i};Prénom;01/01/1980" for i in range(2001)]
    big = "Nom;Prénom;Date de naissance\n" + "\n".join(rows)
    r = _upload(client, world.a, big.encode())
    assert r.status_code == 422
    assert (
        "Le fichier contient plus de 2\u202f000 lignes de salariés : 2\u202f000 au maximum par "
        "import. Découpez-le en plusieurs fichiers." in text_of(r)
    )
    ok = "Nom;Prénom;Date de naissance\n" + "\n".join(rows[:2000])
    r = _upload(client, world.a, ok.encode())
    assert r.status_code == 200 and "2 000 lignes lues" in text_of(r)


def test_xlsx_with_real_dates(world, client_for):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Nom", "Prénom", "Date de naissance", "Début contrat", "Fin contrat", "Heures hebdo"]
    )
    sheet.append(
        [
            "Lambert",
            "Maëlle",
            datetime(1993, 7, 14),
            datetime(2026, 9, 1),
            datetime(2027, 2, 28),
            26,
        ]
    )
    data = io.BytesIO()
    book.save(data)
    client = client_for(world.a.member("cip"))
    r = _upload(client, world.a, data.getvalue(), "liste.xlsx")
    assert r.status_code == 200, text_of(r)
    assert "14/07/1993" in text_of(r)
    assert _confirm(client, world.a, r).status_code == 303
    system()
    e = db.session.scalar(select(Employee).where(Employee.last_name == "Lambert"))
    assert (
        db.session.scalar(select(Contract.weekly_hours).where(Contract.employee_id == e.id)) == 26
    )


def test_bad_files_in_french(world, client_for):
    client = client_for(world.a.member("cip"))
    r = _upload(client, world.a, b"%PDF-1.4", "liste.pdf")
    assert r.status_code == 422 and "envoyez un fichier .csv ou .xlsx" in text_of(r)
    r = _upload(client, world.a, b"Nom;Ville\nDupont;Lyon\n")
    assert r.status_code == 422
    assert (
        "Colonnes obligatoires absentes de la première ligne : prénom, date de naissance."
        in text_of(r)
    )
    r = _upload(client, world.a, b"not a zip", "liste.xlsx")
    assert r.status_code == 422 and "Ce fichier Excel est illisible" in text_of(r)
    r = client.post(url(world.a, "/import"), data={})
    assert r.status_code == 422 and "Choisissez un fichier .csv ou .xlsx." in text_of(r)


def test_only_the_uploader_confirms_a_draft(world, client_for):
    r = _upload(
        client_for(world.a.member("cip")),
        world.a,
        b"Nom;Prenom;Date de naissance\nA;B;01/01/1990\n",
    )
    other = client_for(world.a.member("coordinator"))
    done = _confirm(other, world.a, r)
    assert "Cet import n'existe plus" in text_of(other.get(done.location))
    assert db.session.scalar(select(Employee).where(Employee.last_name == "A")) is None
