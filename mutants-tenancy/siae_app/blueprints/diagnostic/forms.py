from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import choices, required, strip, text_checks
from siae_app.models.diagnostic import (
    BARRIER_LEVELS,
    BARRIER_STATUSES,
    OBJECTIVE_ORIGINS,
    OBJECTIVE_STATUSES,
)

DATE_MESSAGE = "Date invalide (format attendu : jj/mm/aaaa)."


class BarrierForm(FlaskForm):
    axis_id = SelectField("Axe", validators=[required()])
    status = SelectField("Statut", choices=choices(BARRIER_STATUSES.items()), default="identifie")
    level = SelectField(
        "Niveau de difficulté (1 à 5, 5 = bloquant)",
        description="Laissez « Non évalué » tant que le niveau n'a pas été discuté.",
        choices=choices([("", "Non évalué"), *BARRIER_LEVELS.items()]),
        default="",
    )
    comment = TextAreaField(
        "Commentaire", filters=[strip], validators=[Optional(), *text_checks(4000)]
    )
    version_id = HiddenField()


class StrengthForm(FlaskForm):
    text = TextAreaField("Atout", filters=[strip], validators=[required(), *text_checks(2000)])
    axis_id = SelectField("Axe (facultatif)", validators=[Optional()])


class NoteForm(FlaskForm):
    body = TextAreaField("Note", filters=[strip], validators=[required(), *text_checks(4000)])
    is_confidential = BooleanField("Confidentiel (lu seulement par la CIP et la coordination)")


class ObjectiveForm(FlaskForm):
    label = StringField("Objectif", filters=[strip], validators=[required(), *text_checks(300)])
    origin = SelectField("Proposé par", choices=choices(OBJECTIVE_ORIGINS.items()))
    due_date = DateField("Échéance (facultatif)", validators=[Optional()])

    status = SelectField("Statut", choices=choices(OBJECTIVE_STATUSES.items()))
    barrier_id = SelectField("Frein lié (facultatif)", validators=[Optional()])


class AxisForm(FlaskForm):
    label = StringField("Nom de l'axe", filters=[strip], validators=[required(), *text_checks(120)])
    is_sensitive = BooleanField("Axe sensible (santé, justice…)")
    is_archived = BooleanField("Archivé (plus proposé)")
