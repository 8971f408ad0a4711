"""Where the dashboard's figures are kept between requests: Redis when ``REDIS_URL`` is set
(every worker shares it), else this process's memory; ``FIGURES_CACHE = "none"`` turns it off
(the tests, which roll back what they wrote and would meet a revision number again).

Keys carry the structure's figures revision (``revision``), so an entry is never stale: a
commit that changes the data moves the key. Entries also expire after a day.
"""

from __future__ import annotations

import logging

from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import current_app, has_app_context
from redis import Redis, RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

from siae_app.services.funding import revision

EXTENSION = "figures_cache"
DAY_SECONDS = 24 * 3600
log = logging.getLogger(__name__)


def configure(app) -> None:
    kind = app.config.get("FIGURES_CACHE", "auto")
    cache: BaseCache
    if kind == "none":
        cache = NullCache()
    elif kind == "auto" and app.config.get("REDIS_URL"):
        client = Redis.from_url(app.config["REDIS_URL"], socket_timeout=0.5)
        cache = RedisCache(client, key_prefix="parcours:chiffres:", default_timeout=DAY_SECONDS)
    else:
        cache = SimpleCache(threshold=500, default_timeout=DAY_SECONDS)
    app.extensions[EXTENSION] = cache


def _cache() -> BaseCache:
    if not has_app_context():  # a script or a test working on the session alone
        return NullCache()
    return current_app.extensions.get(EXTENSION) or NullCache()


def get(key: str):
    """The entry, or None (also when Redis does not answer: the figures are computed)."""
    try:
        return _cache().get(key)
    except RedisError:
        log.warning("cache des chiffres injoignable (lecture)", exc_info=True)
        return None


def put(key: str, value, timeout: int | None = None) -> None:
    """Keep ``value`` (``timeout`` seconds; a day by default)."""
    try:
        _cache().set(key, value, timeout=timeout)
    except RedisError:
        log.warning("cache des chiffres injoignable (écriture)", exc_info=True)


def get_many(keys: list[str]) -> list:
    """The entries of ``keys``, in their order (None where missing or unreadable)."""
    if not keys:
        return []
    try:
        return list(_cache().get_many(*keys))
    except RedisError:
        log.warning("cache des chiffres injoignable (lecture)", exc_info=True)
        return [None] * len(keys)


def kept(
    session,
    structure_id,
    name: str,
    compute,
    timeout: int | None = None,
    kind: str = revision.FIGURES,
):
    """``compute()``'s value kept under the structure's figures revision (``revision``): the
    value computed before a commit that changed the structure's data is never served after it.
    ``kind=revision.FILES``: under the files' revision, which attendance marks do not move
    (for values that read no mark). A transaction that changed the data itself neither reads
    nor fills the cache (its revision is not committed yet). The revision is read before the
    data: a commit in between leaves newer values under the older number, never older values
    under the newer one."""
    if revision.touched(session, kind):
        return compute()
    prefix = "" if kind == revision.FIGURES else f"{kind}:"
    key = f"{prefix}{structure_id}:{revision.current(session, structure_id, kind)}:{name}"
    found = get(key)
    if found is not None:
        return found
    value = compute()
    put(key, value, timeout=timeout)
    return value


# ------------------------------------------------------------------ the files revision's log

LOG_SECONDS = 2 * 3600


def changed(structure_id, since: int, until: int) -> set[str] | None:
    """The salariés (ids as text) whose files the commits after files revision ``since`` up
    to ``until`` changed, from the log; None when one of them is not known (missing entry
    included)."""
    keys = [_log_key(structure_id, r) for r in range(since + 1, until + 1)]
    found: set[str] = set()
    for entry in get_many(keys):
        if not isinstance(entry, tuple):  # missing, or « inconnu »
            return None
        found.update(entry)
    return found


def _log_key(structure_id, files_revision: int) -> str:
    return f"{structure_id}:dossiers:{files_revision}"


def _log(session: Session) -> None:
    """After a commit: which salariés each move of the files revision concerns."""
    for (structure_id, number), ids in revision.take_logged(session).items():
        entry = "inconnu" if ids is None else tuple(sorted(str(i) for i in ids))
        put(_log_key(structure_id, number), entry, timeout=LOG_SECONDS)


event.listen(Session, "after_commit", _log)
