"""Progressive delay on wrong passwords, per account (finding 4 of the security review).

No hard lock: anyone could lock a colleague out with a few wrong attempts. Instead, after
``LOGIN_SLOWDOWN_AFTER`` failures each further attempt for that address must wait 2, 4, 8...
seconds (capped); the count is forgotten once ``LOGIN_SLOWDOWN_WINDOW`` passes without a
failure. The counters live in the rate limiter's storage (Redis when configured, so every app
server sees them), keyed by a digest of the address: an unknown address is counted the same
way, so the messages tell nothing about which accounts exist. With rate limiting switched off
(``RATELIMIT_ENABLED=False``, as the benchmarks do) the limiter has no storage: the slowdown
then keeps its counters in a storage of its own, opened from the same URI.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits.storage import Storage, storage_from_string

from siae_app.extensions import limiter


def _now() -> float:
    return time.time()


def _keys(email: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"siae-login-failures/{digest}", f"siae-login-last/{digest}"


def _storage() -> Storage:
    if limiter.enabled:
        return limiter.storage
    own = current_app.extensions.get("siae_login_slowdown")
    if own is None:
        own = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        current_app.extensions["siae_login_slowdown"] = own
    return own


def _put(key: str, value: int) -> None:
    """Store an integer with a fresh expiry (the storage only knows counters)."""
    window = int(current_app.config["LOGIN_SLOWDOWN_WINDOW"].total_seconds())
    storage = _storage()
    storage.clear(key)
    storage.incr(key, window, amount=max(value, 1))


def _delay(failures: int) -> int:
    cfg = current_app.config
    after = cfg["LOGIN_SLOWDOWN_AFTER"]
    if failures < after:
        return 0
    # 2 ** (n - after + 1) without computing huge powers for large n
    exponent = min(failures - after + 1, 30)
    return min(2**exponent, cfg["LOGIN_SLOWDOWN_MAX_SECONDS"])


@dataclass(frozen=True)
class Outcome:
    failures: int
    wait_seconds: int  # before the next attempt
    tries_before_delay: int  # 0 once the delay has started


def wait_seconds(email: str) -> int:
    """How long this address must still wait before the next attempt (0: go ahead)."""
    count_key, last_key = _keys(email)
    failures = _storage().get(count_key)
    delay = _delay(failures)
    if not delay:
        return 0
    remaining = _storage().get(last_key) + delay - _now()
    return max(0, math.ceil(remaining))


def record_failure(email: str) -> Outcome:
    count_key, last_key = _keys(email)
    failures = _storage().get(count_key) + 1
    _put(count_key, failures)
    _put(last_key, int(_now()))
    after = current_app.config["LOGIN_SLOWDOWN_AFTER"]
    return Outcome(failures, _delay(failures), max(0, after - failures))


def clear(email: str) -> None:
    for key in _keys(email):
        _storage().clear(key)


def seconds_fr(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def failure_hint(outcome: Outcome) -> str:
    """What to add to the sign-in error after a failure (French), possibly nothing."""
    if outcome.wait_seconds:
        return f"Patientez {seconds_fr(outcome.wait_seconds)} avant le prochain essai."
    if 0 < outcome.tries_before_delay <= 2:
        n = outcome.tries_before_delay
        return f"Encore {n} essai{'s' if n > 1 else ''} avant un délai d'attente."
    return ""


def waiting_message(seconds: int) -> str:
    return (
        f"Trop d'essais pour ce compte : patientez encore {seconds_fr(seconds)} avant de "
        "réessayer. Si vous avez oublié votre mot de passe, demandez-en un nouveau."
    )


# ------------------------------------------------------------------ second-factor codes

CODE_TRIES = 5  # wrong codes allowed per account...
CODE_WINDOW_SECONDS = 15 * 60  # ...within this window, then refused until it passes
CODE_REFUSAL = (
    "Trop de codes incorrects pour ce compte : patientez 15 minutes avant de réessayer, "
    "ou demandez à votre direction de réinitialiser votre double authentification."
)


def _code_key(user_id) -> str:
    return f"siae-code-failures/{user_id}"


def code_blocked(user_id) -> bool:
    """Has this account had too many wrong second-factor codes lately?"""
    return _storage().get(_code_key(user_id)) >= CODE_TRIES


def record_code_failure(user_id) -> None:
    _storage().incr(_code_key(user_id), CODE_WINDOW_SECONDS)


def clear_codes(user_id) -> None:
    _storage().clear(_code_key(user_id))
