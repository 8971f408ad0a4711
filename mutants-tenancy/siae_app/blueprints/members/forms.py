from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import (
    CheckboxesField,
    choices,
    email_check,
    max_length,
    required,
    strip,
)
from siae_app.models import Role

ROLE_CHOICES = choices((r.value, r.label) for r in Role)


class RolesForm(FlaskForm):
    roles = CheckboxesField("Rôles", choices=ROLE_CHOICES)
    job_title = StringField("Fonction (facultatif)", validators=[Optional(), max_length(120)])

    def validate_roles(self, field):
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Choisissez au moins un rôle.")


class InviteForm(RolesForm):
    email = EmailField(
        "Adresse e-mail", filters=[strip], validators=[required(), email_check(), max_length(254)]
    )
    first_name = StringField("Prénom", filters=[strip], validators=[required(), max_length(100)])
    last_name = StringField("Nom", filters=[strip], validators=[required(), max_length(100)])
