"""The password policy at its limits: 11 / 12 characters, 200 / 201, a personal word of 2 / 3
letters, the published demo password with other trailing digits; and through the invitation
form, the refusal the person reads and the account it leaves unchanged."""

from __future__ import annotations

import pytest

from siae_app.models import Membership
from siae_app.models.base import utcnow
from siae_app.services.passwords import password_problems
from tests.factories import UserFactory
from tests.links import open_link
from tests.site import text_of

STRONG_12 = "Vx9#kQ2!mZ7p"
# A passphrase of exactly 200 characters (zxcvbn alone accepts 72 at most).
LONG_200 = ("Tomates-Cerises-Sous-Serre-88/" * 7)[:200]


def test_twelve_characters_is_the_minimum():
    assert password_problems(STRONG_12) == []
    assert password_problems(STRONG_12[:11]) == [
        "Le mot de passe doit contenir au moins 12 caractères (11 saisis)."
    ]


def test_two_hundred_characters_is_the_maximum():
    assert len(LONG_200) == 200
    assert password_problems(LONG_200) == []
    assert password_problems(LONG_200 + "x") == [
        "Le mot de passe ne doit pas dépasser 200 caractères."
    ]


@pytest.mark.parametrize("length", [72, 73, 120])
def test_a_long_passphrase_is_scored_not_crashed(length):
    phrase = ("Tomates-Cerises-Sous-Serre-88/" * 7)[:length]
    assert password_problems(phrase) == []
    assert password_problems("a" * length) != []  # long but trivial: still refused


def test_personal_words_from_three_letters():
    personal = ["lou.limite", "Lou", "Li"]
    assert password_problems("Vx9#kQLi2!mZ7p", personal) == []  # "Li": 2 letters, ignored
    assert "ne doit pas contenir votre nom" in " ".join(
        password_problems("Vx9#kQlou2!mZ7p", personal)
    )


@pytest.mark.parametrize(
    "typed", ["Chantier-Solidaire-2026", "chantier solidaire 2031", "CHANTIER_SOLIDAIRE"]
)
def test_the_demo_password_and_its_variants_are_refused(typed):
    assert password_problems(typed) == [
        "Ce mot de passe est celui des comptes de démonstration, publié dans la documentation : "
        "n'importe qui le connaît. Choisissez-en un autre."
    ]


@pytest.fixture
def invited(world, session):
    user = UserFactory(email="limite.recrue@example.org", password_hash=None)
    m = Membership(
        structure_id=world.a.structure.id,
        user=user,
        roles=["eti"],
        is_active=False,
        invited_at=utcnow(),
    )
    session.add(m)
    session.commit()
    return m


def _path(app, client, membership) -> str:
    from siae_app.services.accounts import invitation_link

    with app.test_request_context():
        link = invitation_link(membership)
    return open_link(client, link)


def test_invitation_refuses_11_characters_accepts_12(app, client, invited):
    path = _path(app, client, invited)
    short = STRONG_12[:11]
    r = client.post(path, data={"password": short, "confirm": short})
    assert r.status_code == 422
    assert "au moins 12 caractères (11 saisis)" in text_of(r)
    assert invited.user.password_hash is None and not invited.is_active
    r = client.post(path, data={"password": STRONG_12, "confirm": STRONG_12})
    assert r.status_code == 302
    assert invited.is_active and invited.user.password_hash.startswith("$argon2id$")


def test_invitation_refuses_201_characters_accepts_200(app, client, invited):
    path = _path(app, client, invited)
    too_long = LONG_200 + "x"
    r = client.post(path, data={"password": too_long, "confirm": too_long})
    assert r.status_code == 422 and "200 caractères au maximum." in text_of(r)
    assert invited.user.password_hash is None
    r = client.post(path, data={"password": LONG_200, "confirm": LONG_200})
    assert r.status_code == 302 and invited.is_active
