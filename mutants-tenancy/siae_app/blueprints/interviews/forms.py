from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import choices, required, strip, text_checks
from siae_app.models.interviews import INTERVIEW_KINDS


class InterviewForm(FlaskForm):
    held_on = DateField("Date de l'entretien", default=date.today, validators=[required()])
    kind = SelectField("Type", choices=choices(INTERVIEW_KINDS.items()), default="suivi")
    summary = TextAreaField(
        "Compte rendu", filters=[strip], validators=[Optional(), *text_checks(8000)]
    )
    next_on = DateField("Prochain rendez-vous", validators=[Optional()])
    version_id = HiddenField()


class ReopenForm(FlaskForm):
    motif = StringField(
        "Motif de la réouverture",
        filters=[strip],
        validators=[required(), *text_checks(300)],
        description="La réouverture est enregistrée dans l'historique avec ce motif.",
    )
