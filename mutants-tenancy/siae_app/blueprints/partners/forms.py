from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import choices, email_check, required, strip, text_checks
from siae_app.models.partners import PARTNER_KINDS


class PartnerForm(FlaskForm):
    name = StringField("Nom", filters=[strip], validators=[required(), *text_checks(200)])
    kind = SelectField("Type", choices=choices(PARTNER_KINDS.items()), default="autre")
    address = StringField("Adresse", filters=[strip], validators=[Optional(), *text_checks(300)])
    phone = StringField("Téléphone", filters=[strip], validators=[Optional(), *text_checks(30)])
    email = StringField(
        "E-mail", filters=[strip], validators=[Optional(), email_check(), *text_checks(254)]
    )
    notes = TextAreaField("Notes", filters=[strip], validators=[Optional(), *text_checks(4000)])
    is_archived = BooleanField("Archivé (plus proposé pour les actions)")


class ContactForm(FlaskForm):
    name = StringField(
        "Nom du contact", filters=[strip], validators=[required(), *text_checks(200)]
    )
    job_title = StringField("Fonction", filters=[strip], validators=[Optional(), *text_checks(200)])
    phone = StringField("Téléphone", filters=[strip], validators=[Optional(), *text_checks(30)])
    email = StringField(
        "E-mail", filters=[strip], validators=[Optional(), email_check(), *text_checks(254)]
    )
