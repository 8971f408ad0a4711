"""The route idioms, written once.

Every route is declared by its blueprint's own decorator, its rule on that line, then
``@require``: ``@bp.get("/<uuid:review_id>/pdf")``, ``@bp.post(…)``, ``@bp.route(…,
methods=GET_POST)``; its endpoint is the function's name. ``ObjectPage.button`` and
``ObjectPage.form`` go under them when the view is a service call on the object its URL
names (load → ``act`` or ``submit`` → 303, else the object's page again with 422);
``download`` answers every file to save."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

from flask import Response, abort, request
from flask.typing import ResponseReturnValue

from siae_app.blueprints.forms_common import act, see_other, submit
from siae_app.services.exports import attachment

GET_POST = ("GET", "POST")


@dataclass(frozen=True)
class ObjectPage:
    """One object's page and what its forms and buttons share: the URL argument that names
    the object, its loader (404 outside the reader's scope), where a success goes back
    (``back``, with the same argument) and the page that shows it again after a refusal::

        @bp.post("/<uuid:review_id>/recompiler")
        @require(Perm.REVIEWS_PREPARE)
        @REVIEW.button("Période recompilée.")
        def recompile(review):
            service.recompile(db.session, review, today=date.today())
    """

    id_arg: str
    load: Callable[[uuid.UUID], Any]
    back: str
    page: Callable[..., Any] | None = None

    def back_to(self, obj, message: str = "", anchor: str = "", to=()) -> ResponseReturnValue:
        """To the page of ``obj``; ``to=(endpoint, URL argument)``: to that page, ``obj``'s id."""
        endpoint, arg = to or (self.back, self.id_arg)
        return see_other(endpoint, message, anchor=anchor, **{arg: obj.id})

    def button(self, message: str | Callable[[], str], *, named=False):
        """A button without fields (``act``): ``action(obj)`` runs the service, then 303 back
        with ``message`` (or the service's refusal). ``message`` may be a function of the
        request (a message per choice); ``named``: it is formatted with the object."""

        def adapt(action: Callable[[Any], object]):
            @wraps(action)
            def view(**url_values):
                obj = self.load(url_values[self.id_arg])
                text = message() if callable(message) else message
                text = text.format(obj) if named else text
                return act(lambda: action(obj), text, self.back, **{self.id_arg: obj.id})

            return view

        return adapt

    def form(
        self,
        form_class,
        message: str,
        *,
        refused_as: str,
        error_field: str,
        anchor="",
        to=(),
    ):
        """A form (``submit``): ``save(obj, form)`` calls the service, then 303 back with
        ``message``; a refusal shows ``page(obj, <refused_as>=form)`` with 422 and what was
        typed. ``to=(endpoint, URL argument)``: a creation goes to the page of the object
        saved."""

        def adapt(save: Callable[[Any, Any], object]):
            @wraps(save)
            def view(**url_values):
                obj = self.load(url_values[self.id_arg])
                form = form_class()
                return submit(
                    form,
                    lambda: save(obj, form),
                    done=lambda saved: self.back_to(saved if to else obj, message, anchor, to),
                    page=lambda: self.page(obj, **{refused_as: form}),
                    error_field=error_field,
                )

            return view

        return adapt


def download(content, mimetype: str, name: str, extension: str) -> Response:
    """A file to save (PDF, CSV, archive…) under ``name``.``extension``."""
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": attachment(name, extension)},
    )


def streamed_download(chunks, mimetype: str, name: str, extension: str) -> Response:
    """``download`` of a file written as it is sent, one piece of ``chunks`` (a generator)
    at a time. The generator must not need the request: read the database before (the
    request's commit and the tenant's reset come before the first piece is written), then
    only format. Hence no ``stream_with_context``: a response nobody reads to its end would
    keep the request's context alive and pop it under a later request."""
    return Response(
        chunks,
        mimetype=mimetype,
        headers={"Content-Disposition": attachment(name, extension)},
    )


def year_arg(today: date) -> int:
    """The year a page is asked for (« annee »): this year when absent or unreadable."""
    raw = request.args.get("annee", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year


def month_arg() -> date:
    """The month a page or a form is asked for (« mois », AAAA-MM): this month when absent,
    400 when unreadable."""
    raw = request.values.get("mois")
    if not raw:
        return date.today().replace(day=1)
    try:
        year, month = raw.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        abort(400)
