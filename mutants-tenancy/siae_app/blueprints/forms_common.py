"""Shared form idioms, written once: French validators and messages, how a service refusal
reaches a field (``put_error``), the POST cycle every form view follows (``submit``:
validate → service → flash → 303, else 422 with what was typed), and ``FormFlow``, one
object's form declared once so that each view is a few lines."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from siae_app.extensions import db
from siae_app.rendering import render
from siae_app.services import ServiceError, has_control_chars

T = TypeVar("T")

REQUIRED = "Ce champ est obligatoire."


def strip(value):
    """Filter: surrounding spaces (often pasted from a mail) are not part of the value."""
    return value.strip() if isinstance(value, str) else value


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def email_check() -> Email:
    return Email(
        message="Adresse e-mail invalide (exemple : prenom.nom@structure.fr).",
        check_deliverability=False,
    )


def max_length(n: int) -> Length:
    return Length(max=n, message=f"{n} caractères au maximum.")


CONTROL_MESSAGE = "Ce texte contient des caractères invisibles non autorisés ; retapez-le."


def no_control_chars(form, field) -> None:
    """WTForms validator: refuse NUL and other control characters, with a French message."""
    if isinstance(field.data, str) and has_control_chars(field.data):
        raise ValidationError(CONTROL_MESSAGE)


def text_checks(n: int) -> list:
    """The validators of every free-text field: its column's length, no control characters."""
    return [max_length(n), no_control_chars]


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable with a keyboard and at 360 px)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


# ------------------------------------------------------------------ the shared moves


def put_error(form, exc: ServiceError, default: str) -> None:
    """Show a service refusal on the field it names (``exc.field``), else on ``default``."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None:
        field = getattr(form, default)
    field.errors = [*field.errors, exc.message]


def see_other(endpoint: str, message: str | None = None, anchor: str = "", **values):
    """After a successful POST: flash ``message`` and redirect with 303 (never re-POST).
    A record the phone sends from its queue (chantier.js) shows no page: its message would
    greet the person on some later page, so it is not flashed."""
    if message and not request.headers.get("X-Offline-Replay"):
        flash(message, "success")
    return redirect(url_for(endpoint, **values) + (f"#{anchor}" if anchor else ""), code=303)


def submit(
    form,
    save: Callable[[], T],
    done: Callable[[T], ResponseReturnValue],
    page: Callable[[], str],
    error_field: str,
) -> ResponseReturnValue:
    """Validate → call the service → ``done`` (flash + 303); else re-render with 422.

    ``page`` renders the form again: WTForms keeps what was typed, and a ServiceError is put
    on the field it names (answered with its ``status``: 409 for a conflict). A GET renders
    the page with 200.
    """
    refused = None
    if form.validate_on_submit():
        try:
            result = save()
        except ServiceError as exc:
            put_error(form, exc, error_field)
            refused = exc.status
        else:
            return done(result)
    return page(), refused or (422 if form.errors else 200)


def act(action: Callable[[], object], message: str, endpoint: str, *, on_error=None, **values):
    """A button without fields (deactivate, accept…): run the service, then 303 with a flash —
    ``message`` when it worked, the service's French refusal otherwise (sent to ``on_error``
    when given, else to the same ``endpoint``)."""
    try:
        action()
    except ServiceError as exc:
        flash(exc.message, "error")
        target = url_for(on_error) if on_error else url_for(endpoint, **values)
        return redirect(target, code=303)
    return see_other(endpoint, message, **values)


def edit_form(form_class, obj, **kwargs):
    """The form of an edit page: prefilled from ``obj`` to show it, but a POST is read from
    what was sent only — a field missing from the request must not keep the stored value."""
    if request.method == "POST":
        return form_class(**kwargs)
    return form_class(obj=obj, **kwargs)


def values(form, names=(), flags=()) -> dict:
    """What was typed in the fields ``names`` (and ``flags`` as booleans), as the keyword
    arguments of a service function."""
    typed = {name: getattr(form, name).data for name in names}
    typed.update({name: bool(getattr(form, name).data) for name in flags})
    return typed


def uuid_or_none(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def uuids(texts) -> list[uuid.UUID]:
    """The ids of a multiple choice (already checked against its choices)."""
    return [uuid.UUID(text) for text in texts or []]


def int_or_none(text: str | None) -> int | None:
    """A choice of numbers where « none » is the empty choice."""
    return int(text) if text else None


def form_page(template: str, **context) -> Callable[[Any], str]:
    """The ``page`` of a ``FormFlow`` (or ``submit``) that is a template showing ``form``."""
    return lambda form: render(template, form=form, **context)


def version_of(form) -> int | None:
    """The version the edited page showed (``version_id``), None when absent or garbled."""
    try:
        return int(form.version_id.data)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class FormFlow:
    """One object's form declared once: its class, the service function that saves it, the
    fields passed to it, where a success goes back and what it says. ``new``/``edit``/``run``
    then follow ``submit``: validate → ``save(db.session, *args, **given, **typed)`` → flash
    + 303, else ``page(form)`` again with 422 and what was typed.

    ``message`` is formatted with the saved object (« Axe « {0.label} » enregistré. »);
    ``back_with`` maps each URL argument of ``back`` to an attribute of the saved object
    (or ``run(back_ids=…)`` gives them); ``converted`` maps more fields to the function that
    turns what was typed into the service's value (``uuid_or_none``…); ``bundle`` passes the
    typed values as one dict after ``args`` (services that take ``values``); ``versioned``
    passes ``expected_version``."""

    form: type
    save: Callable[..., Any]
    fields: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    error_field: str = ""
    message: str = ""
    back: str = ""
    back_with: dict[str, str] = field(default_factory=dict)
    anchor: str = ""
    prefix: str = ""
    versioned: bool = False
    bundle: bool = False
    converted: dict[str, Callable[[Any], Any]] = field(default_factory=dict)

    def blank(self):
        return self.form(prefix=self.prefix)

    def form_of(self, obj):
        """The edit form of ``obj``: prefilled on GET, read from what was sent on POST."""
        return edit_form(self.form, obj, prefix=self.prefix)

    def new(self, page: Callable[[Any], Any], *args, **given) -> ResponseReturnValue:
        """A creation: a blank form, then ``run``."""
        return self.run(self.blank(), page, *args, **given)

    def edit(self, obj, page: Callable[[Any], Any], **given) -> ResponseReturnValue:
        """An edit of ``obj`` by ``save(db.session, obj, …)``."""
        return self.run(self.form_of(obj), page, obj, **given)

    def run(self, form, page, *args, more=None, back_ids=None, **given) -> ResponseReturnValue:
        """``more()`` gives values read once the form is valid (ids turned into objects…)."""
        if self.versioned:
            given["expected_version"] = version_of(form)

        def save():
            typed = values(form, self.fields, self.flags)
            typed.update(
                {n: convert(getattr(form, n).data) for n, convert in self.converted.items()}
            )
            typed.update(more() if more else {})
            if self.bundle:
                return self.save(db.session, *args, typed, **given)
            return self.save(db.session, *args, **given, **typed)

        done = partial(self.done, back_ids=back_ids)
        return submit(form, save, done, lambda: page(form), self.error_field)

    def done(self, saved, back_ids: dict | None = None) -> ResponseReturnValue:
        ids = back_ids or {arg: getattr(saved, attr) for arg, attr in self.back_with.items()}
        return see_other(self.back, self.message.format(saved), anchor=self.anchor, **ids)
