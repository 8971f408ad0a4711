from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, SelectField
from wtforms.validators import UUID, NumberRange, Optional

from siae_app.blueprints.forms_common import choices, required
from siae_app.models.attendance import ABSENCE_MOTIFS, ATTENDANCE_STATUSES

BAD_ID = "Identifiant invalide : rechargez la page."


class MarkForm(FlaskForm):
    """One mark; ``record_id`` is created by the phone (a replay has no effect)."""

    record_id = HiddenField(validators=[required(), UUID(message=BAD_ID)])
    employee_id = HiddenField(validators=[required(), UUID(message=BAD_ID)])
    status = SelectField("Statut", choices=choices(ATTENDANCE_STATUSES.items()))
    motif = SelectField(
        "Motif de l'absence",
        choices=choices([("", "—"), *ABSENCE_MOTIFS.items()]),
        validators=[Optional()],
    )
    late_minutes = IntegerField(
        "Retard (minutes)",
        validators=[Optional(), NumberRange(1, 600, "Entre 1 et 600 minutes.")],
    )
    hours_worked = DecimalField(
        "Heures travaillées",
        places=2,
        validators=[Optional(), NumberRange(0, 12, "Entre 0 et 12 heures.")],
    )
