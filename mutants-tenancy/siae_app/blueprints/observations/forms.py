from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import UUID, Optional

from siae_app.blueprints.forms_common import CheckboxesField, choices, required, text_checks
from siae_app.models.observations import TONES
from siae_app.services.observations import MAX_TEXT


class ObservationForm(FlaskForm):
    """``record_id`` is created with the page (or by the phone): a replay has no effect."""

    record_id = HiddenField(validators=[required(), UUID(message="Rechargez la page.")])
    text = TextAreaField("Observation", validators=[required(), *text_checks(MAX_TEXT)])
    tone = RadioField("Ton", choices=choices(TONES.items()), default="neutral")
    competency_ids = CheckboxesField("Compétences citées", validate_choice=False)
    level_id = SelectField("Niveau (facultatif)", validators=[Optional()], validate_choice=False)
    sensitive = BooleanField(
        "Observation sensible (lue seulement par vous, la CIP et la coordination)"
    )
