"""Sensitive markers: where they appear in a page, and whether only inside data-sensitive."""

from __future__ import annotations

from bs4 import BeautifulSoup


def outside_sensitive(html: str) -> str:
    """The page with every element carrying ``data-sensitive`` removed."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.select("[data-sensitive]"):
        node.decompose()
    return str(soup)


def inside_sensitive(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    return "".join(str(node) for node in soup.select("[data-sensitive]"))
