"""Invitation and password-reset links in tests: find one in a page or a mail, and open it
the way a browser does (the token after « # » never reaches the server in a URL: the page's
script posts it to ``…/ouvrir``, then the page lives at its token-free address)."""

from __future__ import annotations

import re

LINK_RE = re.compile(r"http://localhost(/(?:invitation|mot-de-passe/reinitialiser)#[^\"\s<]+)")


def link_in(text: str) -> str | None:
    """The path and fragment of the first invitation or reset link in ``text``."""
    found = LINK_RE.search(text)
    return found.group(1) if found else None


def split_link(link: str) -> tuple[str, str]:
    """(token-free page, token) of a link."""
    path, _, token = link.removeprefix("http://localhost").partition("#")
    return path, token


def open_link(client, link: str) -> str:
    """Do what the page's script does with ``link``; return the page's token-free address."""
    path, token = split_link(link)
    response = client.post(f"{path}/ouvrir", data={"code": token})
    assert response.status_code == 303, response.status_code
    assert response.location == path and token not in response.location
    return path
