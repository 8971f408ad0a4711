"""Records whose id the phone minted (présences, observations): it makes a replay harmless,
but an id may also arrive that another record already holds — one of another structure, that
the tenant filter and row-level security hide, another team's, another day's, another
salarié's. Such a record is refused the same way whatever holds the id (``IdTaken``, 409):
the answer must not tell whether the id exists in another structure."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siae_app.services import ServiceError

ID_TAKEN = (
    "Cet enregistrement porte un identifiant déjà utilisé par un autre enregistrement : "
    "il n'a pas été enregistré. Renvoyez-le comme nouvel enregistrement."
)


class IdTaken(ServiceError):
    """Nothing was saved: the id of a new record is another record's."""

    status = 409

    def __init__(self) -> None:
        super().__init__(ID_TAKEN)


def add_new(session: Session, records: list) -> None:
    """Insert ``records`` (new, with the phone's ids), all or none.

    A hidden row is only met by the primary key: the INSERT runs in a SAVEPOINT, so that its
    failure leaves the request's transaction usable (on PostgreSQL a failed statement aborts
    the whole transaction) and the rows flushed before it (the access log…) in place. A row
    this request has already loaded is refused before the INSERT: the ORM would only warn."""
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise IdTaken()  # one id for two records of the same request
    for record in records:
        if session.identity_key(type(record), record.id) in session.identity_map:
            raise IdTaken()
    try:
        with session.begin_nested():
            session.add_all(records)
            session.flush()
    except IntegrityError:
        raise IdTaken() from None
