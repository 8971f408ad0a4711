"""The password policy (services/passwords.py), as a person choosing one reads it: at most 200
characters, never a name of three letters or more, a strength of 3 at least, and the reason in
French."""

from __future__ import annotations

import pytest

from siae_app.services.passwords import password_problems, verify_password
from tests.links import link_in, open_link

TOO_EASY = "Ce mot de passe est trop facile à deviner. "
ADVICE = "Allongez-le avec plusieurs mots peu courants, des chiffres ou des symboles."


def test_a_password_of_strength_3_is_accepted():
    assert password_problems("Tr0mbone-Vert7", []) == []


def test_200_characters_are_accepted_and_201_refused():
    long = "Tr0mbone-Vert7 " * 13 + "kayak"  # 200 characters
    assert len(long) == 200 and password_problems(long, []) == []
    assert password_problems(long + "!", []) == [
        "Le mot de passe ne doit pas dépasser 200 caractères."
    ]


def test_a_name_of_three_letters_is_refused_inside_the_password():
    assert password_problems("Tr0mbone-Eva-Vert7", ["Eva", "", "Lu"]) == [
        "Le mot de passe ne doit pas contenir votre nom ni votre adresse e-mail."
    ]
    assert password_problems("Tr0mbone-Lu-Vert7", ["Lu"]) == []  # two letters: no rule


def test_the_reason_a_password_is_too_easy_is_given_in_french():
    assert password_problems("aaaaaaaaaaaaaaa", []) == [
        TOO_EASY + "Les répétitions comme « aaa » se devinent. " + ADVICE
    ]
    assert password_problems("qwertyuiopasdf", []) == [
        TOO_EASY + "Il ressemble à un mot de passe courant. " + ADVICE
    ]
    # No warning from zxcvbn: the advice alone.
    assert password_problems("parcours-siae", []) == [TOO_EASY + ADVICE]


def test_an_account_without_a_password_never_opens():
    """The dummy hash that evens out the timing of unknown accounts is no password."""
    assert not verify_password(None, "compte-inexistant-pour-egaliser-le-temps")
    assert not verify_password("", "compte-inexistant-pour-egaliser-le-temps")


def test_a_long_passphrase_is_judged_not_crashed_on(world, client, mails):
    """zxcvbn scores 72 characters at most: a longer password was a server error."""
    assert password_problems("a" * 80, [])[0].startswith(TOO_EASY)
    user = world.a.member("eti").user
    client.post("/mot-de-passe/oublie", data={"email": user.email})
    path = open_link(client, link_in(mails[0][2]))
    passphrase = "Tr0mbone-Vert7 " * 6  # 90 characters
    r = client.post(path, data={"password": passphrase, "confirm": passphrase})
    assert r.status_code == 302
    assert verify_password(user.password_hash, passphrase)


@pytest.fixture
def mails(monkeypatch):
    """The reset link the app would send, captured instead of logged."""
    sent = []

    def fake(to, subject, body, purpose="message"):
        sent.append((to, subject, body))
        return False

    monkeypatch.setattr("siae_app.services.accounts.core.send_mail", fake)
    return sent
