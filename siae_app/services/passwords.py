"""Password hashing (argon2id) and the password policy with French feedback (CNIL 2022-100)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn 0..4: "safely unguessable" from 3 up

# zxcvbn knows QWERTY, not French habits: these count as dictionary words.
FRENCH_GUESSES = [
    "azerty",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "motdepasse",
    "bonjour",
    "soleil",
    "chantier",
    "parcours",
    "siae",
    "insertion",
    "marseille",
    "paris",
    "france",
]

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("compte-inexistant-pour-egaliser-le-temps")

_WARNINGS_FR = {
    "Straight rows of keys are easy to guess": "Les suites de touches du clavier se devinent.",
    "Short keyboard patterns are easy to guess": "Les motifs de clavier se devinent facilement.",
    'Repeats like "aaa" are easy to guess': "Les répétitions comme « aaa » se devinent.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc"': (
        "Les motifs répétés comme « abcabc » se devinent presque aussi vite que « abc »."
    ),
    "Sequences like abc or 6543 are easy to guess": (
        "Les suites comme « abc » ou « 6543 » se devinent facilement."
    ),
    "Recent years are easy to guess": "Les années récentes se devinent facilement.",
    "Dates are often easy to guess": "Les dates se devinent souvent facilement.",
    "This is a top-10 common password": "C'est l'un des mots de passe les plus courants.",
    "This is a top-100 common password": "C'est un mot de passe très courant.",
    "This is a very common password": "C'est un mot de passe très courant.",
    "This is similar to a commonly used password": "Il ressemble à un mot de passe courant.",
    "A word by itself is easy to guess": "Un mot seul se devine facilement.",
    "Names and surnames by themselves are easy to guess": (
        "Un prénom ou un nom seul se devine facilement."
    ),
    "Common names and surnames are easy to guess": "Les prénoms et noms courants se devinent.",
}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str, personal: list[str] | None = None) -> list[str]:
    """French reasons why ``password`` is refused; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(
            f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères "
            f"({len(password)} saisis)."
        )
        return problems
    if len(password) > 200:
        return ["Le mot de passe ne doit pas dépasser 200 caractères."]
    words = [w for w in (personal or []) if w]
    lowered = password.lower()
    if any(len(w) >= 3 and w.lower() in lowered for w in words):
        problems.append("Le mot de passe ne doit pas contenir votre nom ni votre adresse e-mail.")
    result = zxcvbn(password, user_inputs=[*words, *FRENCH_GUESSES])
    if result["score"] < MIN_SCORE:
        warning = _WARNINGS_FR.get(result["feedback"].get("warning") or "")
        problems.append(
            "Ce mot de passe est trop facile à deviner. "
            + (warning + " " if warning else "")
            + "Allongez-le avec plusieurs mots peu courants, des chiffres ou des symboles."
        )
    return problems
