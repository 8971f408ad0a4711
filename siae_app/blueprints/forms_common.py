"""Shared WTForms pieces with French messages."""

from __future__ import annotations

from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

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


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable with a keyboard and at 360 px)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]
