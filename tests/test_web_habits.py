"""Habits every screen inherits, seen from the server: cookies, proxies, compression, static
caching, sign-out, expired sessions, navigation labels, error pages."""

from __future__ import annotations

import gzip
import re
import zlib
from urllib.parse import parse_qs, urlsplit

import brotli
import pytest
from flask import request

from siae_app import create_app, tenancy
from siae_app.extensions import db
from siae_app.services import teams as team_service
from tests.site import test_config, text_of

# The icon a navigation link may begin with (drawn by CSS, hidden from screen readers).
ICON = r'(?:<span class="icon[^"]*" aria-hidden="true"></span>)?'

# ------------------------------------------------------------------ session cookie


def test_healthz_and_static_files_set_no_cookie(client):
    for path in ("/healthz", "/static/js/app.js", "/static/css/app.css"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "Set-Cookie" not in r.headers, path


def test_static_files_stay_cacheable_and_cookieless_for_signed_in_people(world, client_for):
    client = client_for(world.a.member("eti"))
    html = text_of(client.get(f"/s/{world.a.slug}/"))
    r = client.get(_versioned(html, "js/app.js"))
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Set-Cookie" not in r.headers
    assert "Set-Cookie" not in client.get("/healthz").headers


def test_anonymous_pages_without_form_set_no_cookie(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        r = client.get("/nulle-part")
        assert r.status_code == 404 and "Page introuvable" in text_of(r)
        assert "Set-Cookie" not in r.headers
        # The login page carries a form (its CSRF token lives in the session): a cookie, but
        # a browser-session one, not the 30-minute signed-in one.
        r = client.get("/connexion")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    cookie = r.headers["Set-Cookie"]
    assert "session=" in cookie and "Expires" not in cookie


def test_signed_in_pages_refresh_the_idle_expiry(world, client_for):
    r = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/")
    assert r.status_code == 200
    assert "Expires=" in r.headers["Set-Cookie"]


# ------------------------------------------------------------------ reverse proxy


def _addr_app(hops: int):
    cfg = test_config("sqlite://")
    cfg["PROXY_FIX_X_FOR"] = hops
    app = create_app(cfg)

    @app.get("/_addr")
    def _addr():
        from siae_app.extensions import limiter

        return {"remote": request.remote_addr, "key": limiter._key_func()}

    return app


def test_proxy_fix_uses_the_forwarded_address_when_configured():
    client = _addr_app(1).test_client()
    r = client.get(
        "/_addr",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert r.json == {"remote": "203.0.113.7", "key": "203.0.113.7"}


def test_proxy_headers_are_ignored_by_default():
    client = _addr_app(0).test_client()
    r = client.get(
        "/_addr",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert r.json == {"remote": "10.0.0.2", "key": "10.0.0.2"}


# ------------------------------------------------------------------ compression, static files


def test_pages_are_compressed_when_the_browser_accepts_it(world, client_for):
    client = client_for(world.a.member("coordinator"))
    url = f"/s/{world.a.slug}/equipes/"
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers  # the test client asks for nothing
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Cache-Control"] == "no-store"  # still never cached
    assert "Accept-Encoding" in r.headers["Vary"] and "HX-Request" in r.headers["Vary"]
    html = gzip.decompress(r.get_data()).decode()
    assert "Équipes et activités" in html
    r = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert r.headers["Content-Encoding"] == "br"
    assert "Équipes et activités" in brotli.decompress(r.get_data()).decode()


def _versioned(html: str, name: str) -> str:
    match = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{10}})"', html)
    assert match, name
    return match.group(1)


def test_static_files_have_versioned_urls_cached_for_a_year(client):
    html = text_of(client.get("/connexion"))
    for name in ("js/app.js", "css/app.css", "vendor/htmx.min.js", "favicon.svg"):
        r = client.get(_versioned(html, name))
        assert r.status_code == 200
        assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Without the version (or with an old one) the file is revalidated each time.
    assert client.get("/static/js/app.js").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/js/app.js?v=0000000000").headers["Cache-Control"] == "no-cache"


def test_static_files_are_compressed(client):
    url = _versioned(text_of(client.get("/connexion")), "vendor/htmx.min.js")
    # Static files are streamed: brotli (HTTPS browsers) or deflate (what Chrome asks over HTTP).
    r = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert r.headers["Content-Encoding"] == "deflate"
    body = zlib.decompress(r.get_data())
    assert b"htmx" in body and len(r.get_data()) < len(body) / 2
    r = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert r.headers["Content-Encoding"] == "br"
    assert brotli.decompress(r.get_data()) == body
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"


# ------------------------------------------------------------------ sign-out, expiry


def test_sign_out_clears_the_tab(world, client_for):
    client = client_for(world.a.member("eti"))
    r = client.post("/deconnexion")
    assert r.status_code == 303
    assert r.headers["Clear-Site-Data"] == '"cache", "storage"'
    page = text_of(client.get(r.location))
    assert "data-signed-out" in page
    # Once only.
    assert "data-signed-out" not in text_of(client.get("/connexion"))


def test_form_sent_after_expiry_leads_to_login_with_the_form_page(world, client):
    form_page = f"/s/{world.a.slug}/equipes/nouvelle"
    r = client.post(form_page, data={"name": "Équipe Est"}, headers={"Referer": form_page})
    assert r.status_code == 302
    parts = urlsplit(r.location)
    assert parts.path == "/connexion"
    assert parse_qs(parts.query) == {"session": ["expiree"], "next": [form_page]}
    page = text_of(client.get(r.location))
    assert "data-session-expired" in page and "Votre session a expiré" in page


def test_htmx_request_after_expiry_is_sent_to_login(world, client):
    form_page = f"http://localhost/s/{world.a.slug}/equipes/nouvelle"
    r = client.post(
        f"/s/{world.a.slug}/equipes/nouvelle",
        data={"name": "Équipe Est"},
        headers={"HX-Request": "true", "HX-Current-URL": form_page},
    )
    assert r.status_code == 401
    target = urlsplit(r.headers["HX-Redirect"])
    assert target.path == "/connexion"
    assert parse_qs(target.query)["next"] == [f"/s/{world.a.slug}/equipes/nouvelle"]


def test_expired_csrf_on_a_structure_form_leads_to_login(app, world, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        r = client.post(f"/s/{world.a.slug}/equipes/nouvelle", data={"name": "Équipe Est"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert r.status_code == 302 and "session=expiree" in r.location


def test_an_offline_replay_after_expiry_gets_401_not_a_redirect(app, world, client):
    """chantier.js treats a redirect as « sent »: a queued record must get a 401 and stay."""
    employee = world.a.employee
    url = f"/s/{world.a.slug}/salaries/{employee.id}/observations"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        r = client.post(url, data={"text": "Noté hors ligne"}, headers={"X-Offline-Replay": "1"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert r.status_code == 401
    assert "Location" not in r.headers and "HX-Redirect" not in r.headers


def test_next_ignores_other_sites(world, client):
    r = client.post(
        f"/s/{world.a.slug}/equipes/nouvelle", headers={"Referer": "https://ailleurs.example/x"}
    )
    assert parse_qs(urlsplit(r.location).query)["next"] == [f"/s/{world.a.slug}/equipes/nouvelle"]


def test_draft_owner_is_a_stable_hash_per_person(world, client_for):
    def owner(membership):
        html = text_of(client_for(membership).get(f"/s/{world.a.slug}/"))
        return re.search(r'data-user="([0-9a-f]{16})"', html).group(1)

    eti = world.a.member("eti")
    assert owner(eti) == owner(eti)  # the same after signing in again
    assert owner(eti) != owner(world.a.member("cip"))
    assert str(eti.user.id).replace("-", "")[:16] != owner(eti)


# ------------------------------------------------------------------ navigation, pages


@pytest.mark.parametrize(
    ("role", "label"),
    [("eti", "Mes équipes"), ("cip", "Équipes et activités"), ("director", "Équipes et activités")],
)
def test_navigation_label_is_the_page_title(world, client_for, role, label):
    client = client_for(world.a.member(role))
    home = text_of(client.get(f"/s/{world.a.slug}/"))
    nav = home.split('aria-label="Navigation principale"')[1].split("</nav>")[0]
    assert f">{label}</a>" in nav
    page = text_of(client.get(f"/s/{world.a.slug}/equipes/"))
    assert f"<h1>{label}</h1>" in page and f"<title>{label} · Parcours SIAE</title>" in page
    assert re.search(rf'aria-current="page">{ICON}{re.escape(label)}<', page)


def test_account_menu_name_contains_its_visible_text(world, client_for):
    member = world.a.member("eti")
    html = text_of(client_for(member).get(f"/s/{world.a.slug}/"))
    summary = re.search(r"<summary>(.*?)</summary>", html, re.S).group(1)
    assert summary.startswith(member.user.first_name)
    assert "aria-label" not in summary and "mon compte et mes structures" in summary


def test_team_page_links_to_the_frameworks_of_its_activity(world, client_for):
    a = world.a
    with tenancy.tenant_scope(db.session, a.structure.id):
        team_service.save_activity(
            db.session,
            a.activity,
            name=a.activity.name,
            description=None,
            framework_ids=[a.framework.id],
        )
        db.session.commit()
    html = text_of(client_for(a.member("eti")).get(f"/s/{a.slug}/equipes/{a.team.id}"))
    assert "Référentiels de l'activité" in html
    assert f'href="/s/{a.slug}/referentiels/{a.framework.id}">{a.framework.title}</a>' in html
    assert "Le référentiel proposé pour évaluer les salariés" in html
    other = text_of(
        client_for(a.member("coordinator")).get(f"/s/{a.slug}/equipes/{a.other_team.id}")
    )
    assert "Référentiels de l'activité" not in other  # no activity, no section


def test_error_pages_show_no_status_code(world, client, client_for):
    r = client.get("/nulle-part")
    assert r.status_code == 404 and "Code" not in text_of(r).split("<main")[1]
    r = client_for(world.a.member("eti")).get(f"/s/{world.a.slug}/administration/membres")
    assert r.status_code == 403 and "403" not in text_of(r).split("<main")[1]


@pytest.mark.parametrize(
    ("role", "path"),
    [("director", "pilotage"), ("admin", "administration/membres"), ("eti", "referentiels/")],
)
def test_every_navigation_label_names_its_page(world, client_for, role, path):
    client = client_for(world.a.member(role))
    html = text_of(client.get(f"/s/{world.a.slug}/{path}"))
    current = re.search(rf'<a href="[^"]+" aria-current="page">{ICON}([^<]+)</a>', html).group(1)
    h1 = re.search(r"<h1>([^<]+)", html).group(1)
    assert h1.startswith(current), (current, h1)


def test_a_static_files_version_is_looked_up_again_after_a_moment(tmp_path, monkeypatch):
    """A page's static versions come from memory; an edited file gets its new version once
    STATIC_RECHECK has passed, without a restart."""
    from flask import Flask

    from siae_app import templating

    (tmp_path / "x.css").write_text("a{}")
    clock = {"now": 1000.0}
    monkeypatch.setattr(templating.time, "monotonic", lambda: clock["now"])
    with Flask(__name__, static_folder=str(tmp_path)).app_context():
        first = templating.static_version("x.css")
        (tmp_path / "x.css").write_text("a{color:red}")
        assert templating.static_version("x.css") == first  # remembered
        clock["now"] += templating.STATIC_RECHECK + 1
        assert templating.static_version("x.css") not in (first, None)
        assert templating.static_version("absent.css") is None
