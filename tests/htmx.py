"""Apply an htmx swap to a page as the browser would, to check a fragment against a full render.

``swapped(page, fragment, target, swap)`` parses the page, puts the fragment in place of (or
inside) the element that ``target`` selects, and returns the page; ``assert_same_page``
compares two pages after normalising white space and the CSRF token (its value changes with
the session, not with the content).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

SWAPS = ("outerHTML", "innerHTML")


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def type_into(page: BeautifulSoup, values: dict[str, str | bool]) -> BeautifulSoup:
    """What the user typed before the request: a field's value (a box ticked for True)."""
    for selector, value in values.items():
        field = page.select_one(selector)
        assert field is not None, f"aucun champ {selector} dans la page"
        if isinstance(value, bool):
            if value:
                field["checked"] = ""
            else:
                field.attrs.pop("checked", None)
        else:
            field["value"] = value
    return page


def swapped(
    page_html: str,
    fragment_html: str,
    target: str,
    swap: str = "outerHTML",
    typed: dict[str, str | bool] | None = None,
) -> BeautifulSoup:
    assert swap in SWAPS, f"swap {swap!r} non géré"
    page = type_into(parse(page_html), typed or {})
    matches = page.select(target)
    assert len(matches) == 1, f"la cible {target} désigne {len(matches)} éléments"
    element = matches[0]
    fragment = parse(fragment_html)
    if swap == "innerHTML":
        element.clear()
        for node in list(fragment.contents):
            element.append(node)
    else:
        element.replace_with(*list(fragment.contents))
    return page


def normalised(page: BeautifulSoup | str) -> str:
    soup = parse(page) if isinstance(page, str) else parse(str(page))
    for field in soup.select("input[name=csrf_token]"):
        field["value"] = "CSRF"
    for element in soup.select("[hx-headers]"):
        element["hx-headers"] = "CSRF"
    text = str(soup)
    text = re.sub(r">\s+", ">", text)
    text = re.sub(r"\s+<", "<", text)
    return re.sub(r"\s+", " ", text).strip()


def assert_same_page(got: BeautifulSoup | str, expected: BeautifulSoup | str) -> None:
    a, b = normalised(got), normalised(expected)
    if a != b:
        i = next(
            (k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
        )
        raise AssertionError(
            "La page après l'échange htmx diffère d'un rendu complet :\n"
            f"  après l'échange : …{a[max(0, i - 120) : i + 120]}…\n"
            f"  rendu complet   : …{b[max(0, i - 120) : i + 120]}…"
        )


def assert_swap_renders_page(
    page_html: str, fragment_html: str, target: str, fresh_html: str, **how
):
    """The page with the fragment swapped in equals a fresh full render of the page
    (``how``: ``swap`` and ``typed`` as for :func:`swapped`)."""
    assert_same_page(swapped(page_html, fragment_html, target, **how), fresh_html)
