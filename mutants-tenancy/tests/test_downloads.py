"""Every link to a file download downloads it: htmx must not boost it (base.html boosts the
whole body: a boosted link fetches the file by XHR and pastes the CSV text into the page
instead of saving a file).

The downloads are found by following links, not listed by hand: every GET page of the app is
rendered for every role of the world, every same-site link and GET form on it is followed,
and each one that answers with a file (an attachment, or anything but HTML) must be unboosted
where it appears, whichever template or view wrote it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from siae_app.models import Role
from tests.routes import build_path, structure_rules, undone

APP_PAGES = ("/", "/structures", "/verifier")


def _boosted(element: Tag) -> bool:
    """As htmx 2 decides (``boostElement``): the closest ``hx-boost`` wins, and only a
    same-site link opened in the same tab, or a form, is boosted."""
    if element.name == "a" and element.get("target") not in (None, "", "_self"):
        return False
    chain = [element, *element.parents]
    if any(e.has_attr("hx-disable") or e.has_attr("data-hx-disable") for e in chain):
        return False
    for e in chain:
        value = e.get("hx-boost", e.get("data-hx-boost"))
        if value is not None:
            return value == "true"
    return False


def _targets(html: str, page: str) -> list[tuple[str, Tag]]:
    """(same-site URL, element) for each link and each GET form of the page."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.find_all(["a", "form"]):
        if element.name == "a":
            url = element.get("href")
        elif (element.get("method") or "get").lower() == "get":
            url = element.get("action") or page
        else:
            continue
        if not url or url.startswith("#"):
            continue
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        found.append((parts.path + (f"?{parts.query}" if parts.query else ""), element))
    return found


def _is_file(response) -> bool:
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return True
    return response.status_code == 200 and response.mimetype != "text/html"


def _label(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())[:60] or element.name


def test_no_download_link_is_boosted(app, world, client_for, _transaction):
    site = world.a
    pages = [build_path(app, r, site) for r in structure_rules(app) if "GET" in r.methods]
    downloads: dict[str, bool] = {}  # URL -> answers with a file (once a role got an answer)
    boosted: dict[str, list[str]] = {}  # where -> roles who see it
    seen = set()
    for role in Role:
        client = client_for(site.member(role.value))

        def get(url, client=client):
            with undone(_transaction):
                return client.get(url)

        for page in (*APP_PAGES, *pages):
            response = get(page)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for url, element in _targets(response.get_data(as_text=True), page):
                if url not in downloads:
                    answer = get(url)
                    if answer.status_code < 300 or _is_file(answer):
                        downloads[url] = _is_file(answer)
                if downloads.get(url):
                    seen.add(url)
                    if _boosted(element):
                        where = f"{page} : « {_label(element)} » → {url}"
                        boosted.setdefault(where, []).append(role.value)
    assert boosted == {}, "Téléchargements pris en charge par hx-boost :\n" + "\n".join(
        f"{where} ({', '.join(roles)})" for where, roles in boosted.items()
    )
    # The world's files: hours (CSV, Excel), the list, a bilan's PDF, an attestation's PDF and
    # badge, a batch's ZIP, a framework's JSON and CSV, the monthly follow-up, a report's files.
    assert len(seen) >= 14, sorted(seen)


def test_the_month_grid_links_download_the_hours(world, client_for):
    client = client_for(world.a.member("coordinator"))
    page = client.get(f"/s/{world.a.slug}/presences/grille?vue=mois").get_data(as_text=True)
    links = re.findall(
        r"<a\b[^>]*>(?:<span[^>]*></span>)?Heures travaillées du mois \((?:CSV|Excel)\)", page
    )
    assert len(links) == 2 and all('hx-boost="false"' in link for link in links)


def test_the_boost_rule_is_htmx_s():
    """``download`` alone does not stop htmx 2 boosting a link; the closest hx-boost does."""
    soup = BeautifulSoup(
        '<body hx-boost="true"><a id="a" href="/f.csv" download>a</a>'
        '<p hx-boost="false"><a id="b" href="/f.csv">b</a></p>'
        '<a id="c" href="/f.csv" target="_blank">c</a></body>',
        "html.parser",
    )
    assert [_boosted(soup.find(id=i)) for i in "abc"] == [True, False, False]
