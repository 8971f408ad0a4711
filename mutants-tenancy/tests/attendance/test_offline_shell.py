"""The phone's offline shell (/sw.js): the worker names its cache after the content of the
shell's files, so a deployment that changes one of them gives installed phones a new cache
(the old one is deleted when the new worker activates)."""

from __future__ import annotations

import re
import shutil

import pytest

CACHE_NAME = re.compile(r'"(parcours-shell-[0-9a-f]{10})"')


@pytest.fixture
def static_copy(app, tmp_path, monkeypatch):
    """The app served from a copy of its static folder, which the test may change."""
    folder = tmp_path / "static"
    shutil.copytree(app.static_folder, folder)
    monkeypatch.setattr(app, "static_folder", str(folder))
    return folder


def _versioned(html: str, name: str) -> str:
    match = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{10}})"', html)
    assert match, name
    return match.group(1)


def _worker(client) -> tuple[str, str]:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    match = CACHE_NAME.search(body)
    assert match, "le nom du cache de l'application n'est pas tiré du contenu de ses fichiers"
    return body, match.group(1)


@pytest.mark.no_db
def test_changing_a_shell_file_changes_the_served_worker_and_its_cache(client, static_copy):
    body, cache = _worker(client)
    page = client.get("/connexion").get_data(as_text=True)
    old_app_js = _versioned(page, "js/app.js")
    # The worker keeps the very URLs the pages ask for (with their ?v=).
    for name in ("js/app.js", "js/chantier.js", "css/app.css", "vendor/htmx.min.js"):
        assert f'"{_versioned(page, name)}"' in body, name
    assert _worker(client) == (body, cache)  # the same files, the same worker byte for byte

    with open(static_copy / "js" / "app.js", "a", encoding="utf-8") as script:
        script.write('\nwindow.parcoursShellMarker = "nouvelle version";\n')

    new_body, new_cache = _worker(client)
    assert new_cache != cache
    new_app_js = _versioned(client.get("/connexion").get_data(as_text=True), "js/app.js")
    assert new_app_js != old_app_js
    assert f'"{new_app_js}"' in new_body and old_app_js not in new_body
    assert f'"{_versioned(page, "js/chantier.js")}"' in new_body  # the others are unchanged


@pytest.mark.no_db
def test_a_file_outside_the_shell_leaves_the_worker_alone(client, static_copy):
    body, _ = _worker(client)
    with open(static_copy / "js" / "link_code.js", "a", encoding="utf-8") as script:
        script.write("\n// autre page\n")
    assert _worker(client)[0] == body


@pytest.mark.no_db
def test_the_worker_keeps_no_page_but_the_rosters(client):
    """What it caches: the shell's static files, and the rosters network-first; sign-out
    (chantier.js) deletes every cache."""
    body, _ = _worker(client)
    shell = re.search(r"var SHELL = (\[.*?\]);", body, re.S)
    assert shell, body[:400]
    assert all(url.startswith("/static/") for url in re.findall(r'"([^"]+)"', shell.group(1)))
    assert r"ROSTER_PATH = /^\/s\/[^/]+\/presences\/(equipes\/[0-9a-f-]+)?$/" in body


def test_the_shell_holds_every_style_and_script_a_page_loads(world, client_for):
    """Offline, a page whose stylesheet is not in the shell loses its layout."""
    page = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/presences/")
    loaded = set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=[0-9a-f]+)"', page.text))
    worker = client_for(world.a.member("eti")).get("/sw.js").text
    assert loaded and all(url in worker for url in loaded), loaded


@pytest.mark.no_db
def test_the_shell_keeps_the_icons_the_stylesheets_draw(client):
    """Offline, an icon missing from the cache would be drawn as a filled square."""
    body, _ = _worker(client)
    css = client.get("/static/css/app.css").get_data(as_text=True)
    drawn = set(re.findall(r"url\(\.\./(vendor/icons/[a-z0-9-]+\.svg)\)", css))
    assert len(drawn) >= 15
    for name in drawn:
        assert re.search(rf'"/static/{re.escape(name)}\?v=[0-9a-f]{{10}}"', body), name
