from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from siae_app.blueprints.forms_common import choices, required, strip, text_checks
from siae_app.models.onboarding import RESPONSIBLES


class TickForm(FlaskForm):
    done_on = DateField("Date", validators=[Optional()])
    undo = BooleanField("Décocher")


class TemplateItemForm(FlaskForm):
    label = StringField("Élément", filters=[strip], validators=[required(), *text_checks(200)])
    responsible = SelectField("Responsable", choices=choices(RESPONSIBLES.items()))
    due_days = IntegerField(
        "À faire dans les N jours après l'arrivée",
        default=0,
        validators=[required(), NumberRange(min=0, max=365, message="De 0 à 365 jours.")],
    )
    date_required = BooleanField("Date obligatoire")
    is_archived = BooleanField("Archivé (plus proposé)")
