from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import strip, text_checks


class IdentityForm(FlaskForm):
    siret = StringField(
        "SIRET (14 chiffres)", filters=[strip], validators=[Optional(), *text_checks(20)]
    )
    address = TextAreaField(
        "Adresse postale", filters=[strip], validators=[Optional(), *text_checks(300)]
    )
    logo = FileField("Logo (PNG ou JPEG, 300 Ko et 4000 × 4000 pixels au plus)")
    remove_logo = BooleanField("Retirer le logo actuel")


class SecurityForm(FlaskForm):
    require_two_factor = BooleanField("Exiger la double authentification pour tous les rôles")
