"""An observation whose id (minted by the page or the phone) another observation holds —
another structure's, another salarié's, another author's, another content — answers 409 with the
French reason, the form again with what was typed (under a new id), never « Observation
enregistrée » while saving nothing; the other observation is unchanged. The same observation
sent again (a replay) still saves nothing more and answers as the first time."""

from __future__ import annotations

import uuid

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from siae_app.models import Observation
from tests.factories.observations import ObservationFactory
from tests.site import text_of

ID_TAKEN = (
    "Cet enregistrement porte un identifiant déjà utilisé par un autre enregistrement : "
    "il n'a pas été enregistré. Renvoyez-le comme nouvel enregistrement."
)
TYPED = "A rangé le matériel et nettoyé la débroussailleuse en fin de journée."
# A boosted form (the page with JavaScript), the form without JavaScript, the phone's queue.
SENT_BY = {
    "boosted": {"HX-Request": "true", "HX-Boosted": "true"},
    "form": {},
    "offline-replay": {"X-Offline-Replay": "1"},
}


@pytest.fixture
def holders(world, session) -> dict[str, Observation]:
    """Observations holding the ids sent; the ETI writes on the salarié of their team. They
    leave the test's session, as in production where each request starts empty."""
    a, b = world.a, world.b
    eti = a.member("eti")

    def observation(site, employee, author, text=TYPED, sensitive=False):
        return ObservationFactory(
            structure_id=site.structure.id,
            employee_id=employee.id,
            author_id=author.id,
            text=text,
            tone="neutral",
            sensitive=sensitive,
        )

    found = {
        "other-structure": observation(b, b.employee, b.member("eti")),
        "other-salarie": observation(a, a.other_employee, eti),
        "other-author": observation(a, a.employee, a.member("cip")),
        "other-text": observation(a, a.employee, eti, text="Une autre observation."),
        "sensitive": observation(a, a.employee, eti, sensitive=True),  # the form sends it not
    }
    session.commit()
    for obs in found.values():
        session.expunge(obs)
    return found


def _state(session, observation_id) -> tuple:
    columns = (
        Observation.structure_id,
        Observation.employee_id,
        Observation.author_id,
        Observation.text,
        Observation.tone,
        Observation.sensitive,
        Observation.updated_at,
    )
    return tuple(session.execute(select(*columns).where(Observation.id == observation_id)).one())


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Observation))


def _post(client, site, record_id, sent_by, text=TYPED):
    return client.post(
        f"/s/{site.slug}/salaries/{site.employee.id}/observations",
        data={"record_id": str(record_id), "text": text, "tone": "neutral"},
        headers=SENT_BY[sent_by],
    )


@pytest.mark.parametrize("sent_by", SENT_BY)
@pytest.mark.parametrize(
    "holder", ["other-structure", "other-salarie", "other-author", "other-text", "sensitive"]
)
def test_an_observation_with_a_taken_id_is_refused_with_409(
    world, client_for, session, holders, holder, sent_by
):
    taken = holders[holder].id
    before, count = _state(session, taken), _count(session)
    answer = _post(client_for(world.a.member("eti")), world.a, taken, sent_by)
    assert answer.status_code == 409
    body = text_of(answer)
    assert ID_TAKEN in body
    assert "Observation enregistrée." not in body
    form = BeautifulSoup(answer.get_data(as_text=True), "html.parser").select_one("form.obs-form")
    assert form.select_one("textarea[name=text]").get_text().strip() == TYPED  # kept
    fresh = form.select_one("input[name=record_id]")["value"]
    assert uuid.UUID(fresh) != taken  # « Enregistrer » again sends it as a new observation
    assert _count(session) == count
    assert _state(session, taken) == before


def test_the_form_refused_for_its_id_saves_the_observation_when_sent_again(
    world, client_for, session, holders
):
    client = client_for(world.a.member("eti"))
    refused = _post(client, world.a, holders["other-salarie"].id, "form")
    soup = BeautifulSoup(refused.get_data(as_text=True), "html.parser")
    fresh = soup.select_one("form.obs-form input[name=record_id]")["value"]
    assert _post(client, world.a, fresh, "form").status_code == 303
    saved = session.get(Observation, uuid.UUID(fresh))
    assert (saved.employee_id, saved.text) == (world.a.employee.id, TYPED)


@pytest.mark.parametrize("sent_by", SENT_BY)
def test_the_same_observation_sent_again_answers_as_the_first_time(
    world, client_for, session, sent_by
):
    client = client_for(world.a.member("eti"))
    record_id = uuid.uuid4()
    count = _count(session)
    first = _post(client, world.a, record_id, sent_by)
    again = _post(client, world.a, record_id, sent_by, text=f"  {TYPED}\n")  # as saved
    assert first.status_code == again.status_code == 303
    assert _count(session) == count + 1
    assert session.get(Observation, record_id).text == TYPED
