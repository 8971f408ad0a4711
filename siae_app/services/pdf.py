"""HTML → PDF with WeasyPrint, shared by bilans and attestations.

The renderer never fetches anything from the network: documents embed what they show (the
logo and the QR code as data: URLs), so a crafted address in user text cannot make the
server call out (SSRF) and rendering does not depend on a reachable host.
"""

from __future__ import annotations

import base64
import logging

from flask import render_template
from markupsafe import Markup

# One line per layout step is noise in the application's log (set before the import, which
# already parses the default stylesheet).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def html_to_pdf(html: str) -> bytes:
    # Imported at the first document: half a second that every process starting the app
    # (each worker, each command, each test subprocess) would otherwise pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: URLs only; any other address is skipped (WeasyPrint logs a warning).
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def render_pdf(template: str, **context) -> bytes:
    """Render a template that extends ``pdf/_base.html`` into PDF bytes."""
    return html_to_pdf(render_template(template, **context))


def data_url(content: bytes, mime: str) -> Markup:
    encoded = base64.b64encode(content).decode("ascii")
    return Markup(f"data:{mime};base64,{encoded}")  # noqa: S704 - base64 and a fixed mime
