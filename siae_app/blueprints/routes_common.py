"""The route idioms, written once: ``ObjectRoutes`` declares the routes of one object's
page (its GET, its buttons and forms, any answer given the loaded object, a creation and edit
pair); ``employee_routes`` a feature's page of one salarié; ``list_editor`` a structure's list
with its add form; ``download`` every file sent to save. The forms they run follow
``forms_common`` (``submit``, ``act``, ``FormFlow``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from flask.typing import ResponseReturnValue

from siae_app.blueprints.forms_common import FormFlow, act, see_other, submit
from siae_app.permissions.policy import require
from siae_app.services.exports import attachment


@dataclass(frozen=True)
class ObjectRoutes:
    """The routes of one object's page, declared once: the blueprint, the URL id
    (``/<prefix>/<uuid:id_arg>/…``), the loader (404 outside the reader's scope), the page
    that shows it (``page(obj, **{form_key: form})`` for a refused form) and where a success
    goes back (``back`` with the same id). Each route is then a decorator and the service call:

        @REVIEW.button("/recompiler", Perm.REVIEWS_PREPARE, "Période recompilée.")
        def recompile(review):
            service.recompile(db.session, review, today=date.today())

    ``button`` follows ``act`` (no fields: run, flash, 303); ``form`` follows ``submit``
    (validate → save → flash + 303, else the page again with 422 and what was typed);
    ``show`` declares the page itself (GET), ``view`` any route given the loaded object,
    ``editor`` a creation page and an edit page served by one function."""

    bp: Any
    id_arg: str
    load: Callable[[uuid.UUID], Any]
    back: str
    page: Callable[..., Any] | None = None
    prefix: str = ""

    def _add(
        self, rule: str, perm, name: str, view: Callable, methods=("POST",), with_id=True
    ) -> None:
        view.__name__ = name
        self.bp.add_url_rule(
            f"{self.prefix}/<uuid:{self.id_arg}>{rule}" if with_id else f"{self.prefix}{rule}",
            endpoint=name,
            view_func=require(perm)(view),
            methods=list(methods),
        )

    def back_to(self, obj, message: str = "", anchor: str = "", to=()) -> ResponseReturnValue:
        """To the page of ``obj``; ``to=(endpoint, URL argument)``: to that page, ``obj``'s id."""
        endpoint, arg = to or (self.back, self.id_arg)
        return see_other(endpoint, message, anchor=anchor, **{arg: obj.id})

    def button(self, rule: str, perm, message: str | Callable[[], str], *, named=False):
        """``action(obj)`` runs the service; ``message`` may be a function of the request
        (a message per choice); ``named``: it is formatted with the object (« {0.name} »)."""

        def register(action: Callable[[Any], object]):
            def view(**ids):
                obj = self.load(ids[self.id_arg])
                text = message() if callable(message) else message
                text = text.format(obj) if named else text
                return act(lambda: action(obj), text, self.back, **{self.id_arg: obj.id})

            self._add(rule, perm, action.__name__, view)
            return action

        return register

    def form(
        self,
        rule,
        perm,
        form_class,
        message: str,
        *,
        error_field: str,
        anchor="",
        key="",
        to=(),
        named=False,
    ):
        """``save(obj, form)`` calls the service; a refusal shows ``page(obj, <key>=form)``
        (``key`` defaults to ``<function name>_form``) with 422 and what was typed.
        ``to=(endpoint, URL argument)``: a creation goes to the page of the object saved;
        ``named``: ``message`` is formatted with the object (« Rôles de {0.display_name} »)."""

        def register(save: Callable[[Any, Any], object]):
            def view(**ids):
                obj = self.load(ids[self.id_arg])
                form = form_class()
                return submit(
                    form,
                    lambda: save(obj, form),
                    done=lambda saved: self.back_to(
                        saved if to else obj, message.format(obj) if named else message, anchor, to
                    ),
                    page=lambda: self.page(obj, **{key or f"{save.__name__}_form": form}),
                    error_field=error_field,
                )

            self._add(rule, perm, save.__name__, view)
            return save

        return register

    def view(self, rule: str, perm, methods=("POST",), name: str = ""):
        """Any route whose function gets the loaded object and answers: ``answer(obj)`` on
        ``<prefix>/<uuid:id_arg><rule>`` (endpoint ``name``, by default the function's)."""

        def register(answer: Callable[[Any], ResponseReturnValue]):
            def view(**ids):
                return answer(self.load(ids[self.id_arg]))

            self._add(rule, perm, name or answer.__name__, view, methods=methods)
            return answer

        return register

    def show(self, perm, name: str, rule: str = "") -> None:
        """The object's page itself (GET): ``page(obj)``, declared with the forms it posts."""
        self.view(rule, perm, ("GET",), name)(self.page)

    def editor(self, new_rule: str, edit_rule: str, perm, names: tuple[str, str]):
        """A creation page on ``<prefix><new_rule>`` (``answer(None)``) and the edit page of
        one object on ``<prefix>/<uuid:id_arg><edit_rule>`` (``answer(obj)``): GET shows the
        form, POST saves it; ``names`` are the two endpoints."""

        def register(answer: Callable[[Any], ResponseReturnValue]):
            def new():
                return answer(None)

            self._add(new_rule, perm, names[0], new, methods=GET_POST, with_id=False)
            return self.view(edit_rule, perm, GET_POST, names[1])(answer)

        return register


GET_POST = ("GET", "POST")


def list_editor(new: FormFlow, edit: FormFlow, list_page, item_page) -> Callable:
    """The ``ObjectRoutes.editor`` answer of a structure's list (axes, checklist items…):
    without an object, the list and its add form (``new.new(list_page)``); with one, its own
    edit page (``edit.edit(obj, item_page(obj))``)."""

    def answer(obj):
        if obj is None:
            return new.new(list_page, None)
        return edit.edit(obj, item_page(obj))

    return answer


def employee_routes(bp, load: Callable[[uuid.UUID], Any], page, perm) -> ObjectRoutes:
    """A feature's page of one salarié (``/salarie/<employee_id>``, endpoint ``for_employee``,
    read with ``perm``): its list and the form that adds to it, declared on what this returns.
    """
    routes = ObjectRoutes(bp, "employee_id", load, ".for_employee", page, prefix="/salarie")
    routes.show(perm, "for_employee")
    return routes


def download(content, mimetype: str, name: str, extension: str) -> Response:
    """A file to save (PDF, CSV, archive…) under ``name``.``extension``."""
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": attachment(name, extension)},
    )
