"""Every link to a file download downloads it: htmx must not boost it (a boosted link pastes the
CSV text into the page instead of saving a file). The downloads are found by asking every
structure page, not listed by hand, so a new export is covered."""

from __future__ import annotations

import re
from pathlib import Path

from tests.routes import build_path, structure_rules

TEMPLATES = Path(__file__).resolve().parents[1] / "siae_app" / "templates"
ROLES = ("director", "coordinator", "cip")


def _download_endpoints(app, world, client_for) -> set[str]:
    found = set()
    clients = [client_for(world.a.member(role)) for role in ROLES]
    for rule in structure_rules(app):
        if "GET" not in (rule.methods or ()):
            continue
        path = build_path(app, rule, world.a)
        for client in clients:
            answer = client.get(path)
            if "attachment" in answer.headers.get("Content-Disposition", ""):
                found.add(rule.endpoint)
                break
    return found


def test_every_download_link_is_not_boosted(app, world, client_for):
    downloads = _download_endpoints(app, world, client_for)
    assert {"s.attendance.export_csv", "s.attendance.export_xlsx", "s.reviews.pdf"} <= downloads
    anchors = re.compile(r"<a\b[^>]*>", re.S)
    unboosted, checked = [], 0
    for template in TEMPLATES.rglob("*.html"):
        for tag in anchors.findall(template.read_text()):
            endpoint = re.search(r"url_for\('([^']+)'", tag)
            if endpoint and endpoint.group(1) in downloads:
                checked += 1
                if 'hx-boost="false"' not in tag:
                    unboosted.append(f"{template.relative_to(TEMPLATES)} : {endpoint.group(1)}")
    assert checked >= len(downloads) - 1  # the salarié list export too
    assert unboosted == []


def test_the_month_grid_links_download_the_hours(world, client_for):
    client = client_for(world.a.member("coordinator"))
    page = client.get(f"/s/{world.a.slug}/presences/grille?vue=mois").get_data(as_text=True)
    links = re.findall(r"<a\b[^>]*>Heures travaillées du mois \((?:CSV|Excel)\)", page)
    assert len(links) == 2 and all('hx-boost="false"' in link for link in links)
