"""Helpers shared by the employee views: form choices, versioned saves, request filters,
the way back to the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g
from sqlalchemy import select

from siae_app.blueprints.forms_common import choices, edit_form, see_other, submit, version_of
from siae_app.extensions import db
from siae_app.models import Team
from siae_app.rendering import render
from siae_app.services.employees import identity
from siae_app.services.employees.identity import StaleEdit


def team_choices(blank: str = "— Aucune —"):
    teams = db.session.execute(
        select(Team.id, Team.name).where(Team.is_archived.is_(False)).order_by(Team.name)
    ).all()
    return choices([("", blank)] + [(team_id, name) for team_id, name in teams])


def referent_choices(blank: str = "— Aucun·e —"):
    people = identity.referent_choices(db.session)
    return choices([("", blank)] + [(m.id, m.user.full_name) for m in people])


class GuardedSave:
    """Wraps a save so that a stale edit keeps the conflicts for the page and moves the
    form to the current version (saving again is then a deliberate choice)."""

    def __init__(self, form, save: Callable):
        self.form, self._save, self.conflicts = form, save, None

    def __call__(self):
        try:
            return self._save()
        except StaleEdit as exc:
            self.conflicts = exc.conflicts
            if exc.current_version:
                self.form.version_id.data = str(exc.current_version)
                self.form.version_id.raw_data = [str(exc.current_version)]
            raise


def back_to_file(employee, message: str, anchor: str = ""):
    """After a save: back to the section ``anchor`` of the salarié's file, saying ``message``."""
    return lambda _saved: see_other(".show", message, anchor=anchor, employee_id=employee.id)


def versioned_form(form_class, employee):
    """The edit form of a part of the file: prefilled (with the version shown) on GET, read
    only from what was sent on POST."""
    form = edit_form(form_class, employee)
    if not form.is_submitted():
        form.version_id.data = str(employee.version_id)
    return form


def versioned_submit(sent, save: Callable, done, template: str, error_field: str, **context):
    """``submit`` of the form ``sent``, an edit guarded by the file's version: ``save(version)``;
    a stale edit shows its conflicts on the page again (``conflicts``) with the current version.
    The page shows ``sent`` unless ``context`` names another ``form``."""
    guarded = GuardedSave(sent, lambda: save(version_of(sent)))
    context.setdefault("form", sent)

    def page() -> str:
        return render(template, conflicts=guarded.conflicts, **context)

    return submit(sent, guarded, done, page, error_field)


@dataclass(frozen=True)
class FilePart:
    """A part of the file saved under the file's version, declared once: the service
    (``save(session, membership, employee, [read(form),] version)``), the page that shows the
    form again (``template``, a refusal on ``error_field``), and what a success says and the
    section of the file it goes back to."""

    save: Callable
    read: Callable | None
    template: str
    error_field: str
    message: str
    anchor: str = ""

    def run(self, employee, sent, **context):
        """``versioned_submit`` of the form ``sent``; ``context`` adds to the page's."""

        def save(version):
            typed = (self.read(sent),) if self.read else ()
            return self.save(db.session, g.membership, employee, *typed, version)

        done = back_to_file(employee, self.message, self.anchor)
        return versioned_submit(
            sent, save, done, self.template, self.error_field, employee=employee, **context
        )
