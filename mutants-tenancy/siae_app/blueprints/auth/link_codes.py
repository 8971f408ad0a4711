"""The token of an invitation or password-reset link, kept out of every URL the server sees.

The link carries it after ``#`` (``/invitation#<token>``): browsers never send a fragment, so
it reaches no access log, no Location header and no Referer. The page's script
(static/js/link_code.js) reads it, removes it from the address bar and posts it in a form's
body to ``…/ouvrir``; without JavaScript the person pastes the link into the same form. The
token is then kept in the session (a signed, HttpOnly cookie) and the page is served from
there at its token-free address.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import session

MAX_CODE = 1000  # a token is ~150 characters; anything longer is not one


@dataclass(frozen=True)
class LinkKind:
    key: str  # where the session keeps the token
    page: str  # the endpoint of the token-free page
    opener: str  # the endpoint the code is posted to
    title: str


INVITATION = LinkKind(
    "link_invitation", "auth.accept_invitation", "auth.open_invitation", "Invitation"
)
RESET = LinkKind(
    "link_reset", "auth.reset_password", "auth.open_reset_link", "Nouveau mot de passe"
)


def code_from(typed: str | None) -> str:
    """The token from what was posted: the code alone, or the whole link pasted."""
    text = (typed or "").strip()
    return text.rpartition("#")[2].strip()[:MAX_CODE]


def kept(kind: LinkKind) -> str | None:
    return session.get(kind.key)


def keep(kind: LinkKind, code: str) -> None:
    session[kind.key] = code


def forget(kind: LinkKind) -> None:
    session.pop(kind.key, None)
