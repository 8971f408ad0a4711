"""The Flask application class: Flask's, with the URLs its pages build remembered.

A page builds 25 to 130 URLs (the navigation, each line's links), at about 15 µs each in the
routing map: up to 2 ms a page. Once the routes are registered, the same endpoint with the
same values gives the same path, so each path is built once per worker and then looked up.
What the path depends on besides the arguments is in the key: the blueprint of a relative
endpoint (``.index``), the structure whose slug the ``/s/<slug>/`` routes take from the page
(``scope._add_slug``), and the application's root. External URLs (e-mails, links sent
outside) and values other than plain ones (text, numbers, ids, dates) are built each time:
a key must not hold a list, nor an object of the database session.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Flask, g, has_request_context, request

KEPT_URLS_MAX = 20_000  # paths per worker (a few MB at most); forgotten all at once past it
PLAIN = (str, int, float, uuid.UUID, date, type(None))


class Application(Flask):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[tuple, str] = {}

    def url_for(
        self,
        endpoint: str,
        /,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        plain = all(isinstance(value, PLAIN) for value in values.values())
        if _external or _scheme is not None or not plain or not has_request_context():
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        structure = g.get("structure")
        key = (
            request.blueprint if endpoint[:1] == "." else None,
            endpoint,
            structure.slug if structure is not None else None,
            request.script_root,
            _anchor,
            _method,
            *sorted(values.items()),
        )
        found = self._kept_urls.get(key)
        if found is not None:
            return found
        url = super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
        if len(self._kept_urls) >= KEPT_URLS_MAX:
            self._kept_urls.clear()
        self._kept_urls[key] = url
        return url
