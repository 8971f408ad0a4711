from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import UUID, Optional

from siae_app.blueprints.forms_common import choices, required, text_checks
from siae_app.models.urgent import URGENT_KINDS
from siae_app.services.urgent import MAX_TEXT


class ReportForm(FlaskForm):
    """``record_id`` is minted with the page (or by the phone): a replay has no effect."""

    record_id = HiddenField(validators=[Optional(), UUID(message="Rechargez la page.")])
    kind = RadioField(
        "Type de situation", choices=choices(URGENT_KINDS.items()), validators=[required()]
    )
    text = TextAreaField("En quelques mots", validators=[required(), *text_checks(MAX_TEXT)])


class AcknowledgeForm(FlaskForm):
    action_taken = TextAreaField(
        "Ce qui a été fait", validators=[required(), *text_checks(MAX_TEXT)]
    )
