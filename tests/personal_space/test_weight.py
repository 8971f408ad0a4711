"""Each screen of « Mon espace » stays light for an old phone on a poor network: under 30 KB of
compressed HTML (gzip, as the server sends it), measured on a salarié with documents."""

from __future__ import annotations

import gzip

from siae_app.services.personal_space import access as space_access
from tests import factories as f

CODE = "482915"
LIMIT = 30 * 1024


def test_every_screen_is_under_30_kb_of_compressed_html(app, world, client, session):
    site = world.a
    access, secret = space_access.open_link(
        session, site.member("cip"), site.employee, site.structure, site.employee.entry_date
    )
    space_access.set_code(session, access, site.employee, CODE)
    session.commit()
    code_page = client.get("/mon-espace/")
    sizes = {"code": len(gzip.compress(code_page.get_data()))}
    assert client.post("/mon-espace/ouvrir", data={"lien": secret, "code": CODE}).status_code == 303
    screens = [
        r.rule
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("espace.")
        and "GET" in r.methods
        and not r.arguments
        and not r.rule.endswith((".pdf", ".json"))
    ]
    for path in screens:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.mimetype == "text/html"
        sizes[path] = len(gzip.compress(answer.get_data()))
    # The self-assessment's form, the longest screen (one card per line of the grid).
    assessment = f.make_assessment(
        site.member("eti"), site.employee, site.evaluations["grid"], kind="self"
    )
    session.commit()
    answer = client.get(f"/mon-espace/auto-evaluation/{assessment.id}")
    assert answer.status_code == 200 and "Enregistrer mes réponses" in answer.get_data(True)
    sizes["auto-evaluation"] = len(gzip.compress(answer.get_data()))
    assert len(sizes) >= 8
    assert all(size < LIMIT for size in sizes.values()), sizes
