"""Writing an observation from the chantier reads only what the save needs: the levels and
competencies of the form are read when the form is shown again, not on a save."""

from __future__ import annotations

import uuid

from tests.querycount import count_queries

# user (Flask-Login), the structure with the active membership (client_for's person has
# their structures known, as after a first page: tests/test_request_path.py)
SIGNED_IN_PATH = 2


def test_observation_post_reads_only_what_the_save_needs(world, client_for):
    site = world.a
    client = client_for(site.member("eti"))
    url = f"/s/alpha/salaries/{site.employee.id}/observations"
    form = {"record_id": str(uuid.uuid4()), "text": "Bon geste de sécurité.", "tone": "positive"}
    with count_queries() as counter:
        answer = client.post(url, data=form)
    assert answer.status_code == 303
    own = [s for s in counter.statements if not s.strip().upper().startswith(("BEGIN", "COMMIT"))]
    # the salarié in scope, the replay check (same id?), the INSERT; an observation does not
    # move the structure's figures revision (the dashboard never reads observations)
    assert not [s for s in own if s.startswith("UPDATE structures")]
    assert own[-1].startswith("INSERT INTO observations")
    assert len(own[SIGNED_IN_PATH:]) == 3
    assert not any("scale" in s for s in own)


def test_a_refused_observation_shows_the_levels_again(world, client_for):
    site = world.a
    client = client_for(site.member("eti"))
    url = f"/s/alpha/salaries/{site.employee.id}/observations"
    answer = client.post(url, data={"record_id": str(uuid.uuid4()), "text": "", "tone": "positive"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "— Aucun —" in page
    assert 'name="level_id"' in page
