from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from siae_app.blueprints.forms_common import choices, required, strip, text_checks
from siae_app.models.actions import ACTION_NATURES, ACTION_STATUSES


class QuickActionForm(FlaskForm):
    label = StringField(
        "Intitulé de l'action", filters=[strip], validators=[required(), *text_checks(300)]
    )


class ActionForm(FlaskForm):
    label = StringField("Intitulé", filters=[strip], validators=[required(), *text_checks(300)])
    nature = SelectField("Nature", choices=choices(ACTION_NATURES.items()))
    partner_id = SelectField("Partenaire", validators=[Optional()])
    owner_id = SelectField("Responsable", validators=[Optional()])
    due_date = DateField("Échéance", validators=[Optional()])
    status = SelectField("Statut", choices=choices(ACTION_STATUSES.items()))
    result = TextAreaField("Résultat", filters=[strip], validators=[Optional(), *text_checks(4000)])
    minutes_spent = IntegerField(
        "Temps passé (minutes)",
        validators=[
            Optional(),
            NumberRange(min=0, max=1440, message="Entre 0 et 1 440 minutes."),
        ],
    )
    version_id = HiddenField()
