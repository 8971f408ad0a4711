"""Password hashing (argon2id) and the password policy with French feedback (CNIL 2022-100)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn 0..4: "safely unguessable" from 3 up
MAX_LENGTH = 200
# zxcvbn raises beyond 72 characters (its matching grows quadratically): a longer passphrase
# is scored on its first 72, which can only make the estimate more cautious.
SCORED_LENGTH = 72

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

# Famous passphrases that a strength estimate rates "strong" but every cracking dictionary
# tries first (the xkcd 936 example, pangrams, mottos, opening lines). Written here by hand.
FAMOUS_PASSPHRASES = (
    "correct horse battery staple",
    "the quick brown fox jumps over the lazy dog",
    "portez ce vieux whisky au juge blond qui fume",
    "voix ambigue d'un coeur qui au zephyr prefere les jattes de kiwis",
    "to be or not to be",
    "to be or not to be that is the question",
    "may the force be with you",
    "i am your father",
    "winter is coming",
    "all your base are belong to us",
    "open sesame",
    "sesame ouvre toi",
    "liberte egalite fraternite",
    "allons enfants de la patrie",
    "je pense donc je suis",
    "il etait une fois",
    "longtemps je me suis couche de bonne heure",
    "aujourd'hui maman est morte",
    "la vie est belle",
    "carpe diem",
    "veni vidi vici",
    "hakuna matata",
    "je t'aime mon amour",
    "mot de passe",
    "ceci est mon mot de passe",
    "this is my password",
    "let me in",
    "trust no one",
    "password is password",
)

# Passwords printed in the README and by `make run` (the demo accounts'): public by design,
# so never acceptable for a real account.
DEMO_PASSWORD = "Chantier-Solidaire-2026"  # noqa: S105 - the published demo password
PUBLISHED_PASSWORDS = (DEMO_PASSWORD,)
PUBLISHED_REFUSAL = (
    "Ce mot de passe est celui des comptes de démonstration, publié dans la documentation : "
    "n'importe qui le connaît. Choisissez-en un autre."
)

BREACHED_REFUSAL = (
    "Ce mot de passe figure dans les listes de mots de passe connus (fuites de données, "
    "phrases célèbres) : c'est ce que les pirates essaient en premier. Choisissez-en un autre."
)

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_candidate(text: str) -> str:
    """Lower case, no accents, no spaces or separators: "Correct-Horse" -> "correcthorse"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", bare)


@lru_cache(maxsize=1)
def _known_passwords() -> frozenset[str]:
    """Passwords known from breaches, plus the famous passphrases above, normalised.

    The breach list is zxcvbn's "passwords" frequency list (30,000 most frequent passwords
    of the public Xato 10-million-password corpus), shipped inside the zxcvbn package that
    already scores every password here: no network call, no separate file to maintain.
    """
    entries = [*FREQUENCY_LISTS["passwords"], *FAMOUS_PASSPHRASES]
    return frozenset(n for n in (normalise_candidate(e) for e in entries) if n)


def is_published_password(password: str) -> bool:
    """The demo password, or a variant of it that differs only by case, accents, separators
    or trailing digits ("chantier solidaire 2027")."""
    candidate = normalise_candidate(password).rstrip("0123456789")
    return any(
        candidate == normalise_candidate(p).rstrip("0123456789") for p in PUBLISHED_PASSWORDS
    )


def is_known_password(password: str) -> bool:
    """Is the password (or the password without its trailing digits) a known one?"""
    candidate = normalise_candidate(password)
    known = _known_passwords()
    return candidate in known or candidate.rstrip("0123456789") in known


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
    if len(password) > MAX_LENGTH:
        return [f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères."]
    if is_published_password(password):
        return [PUBLISHED_REFUSAL]
    if is_known_password(password):
        return [BREACHED_REFUSAL]
    words = [w for w in (personal or []) if w]
    lowered = password.lower()
    if any(len(w) >= 3 and w.lower() in lowered for w in words):
        problems.append("Le mot de passe ne doit pas contenir votre nom ni votre adresse e-mail.")
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=[*words, *FRENCH_GUESSES])
    if result["score"] < MIN_SCORE:
        # zxcvbn ends its warnings with a full stop that the keys above leave out.
        warning = _WARNINGS_FR.get((result["feedback"].get("warning") or "").rstrip("."))
        problems.append(
            "Ce mot de passe est trop facile à deviner. "
            + (warning + " " if warning else "")
            + "Allongez-le avec plusieurs mots peu courants, des chiffres ou des symboles."
        )
    return problems
