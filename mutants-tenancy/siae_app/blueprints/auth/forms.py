from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo

from siae_app.blueprints.forms_common import email_check, max_length, required, strip


class LoginForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail", filters=[strip], validators=[required(), email_check(), max_length(254)]
    )
    password = PasswordField("Mot de passe", validators=[required(), max_length(200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Adresse e-mail", filters=[strip], validators=[required(), email_check(), max_length(254)]
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField("Nouveau mot de passe", validators=[required(), max_length(200)])
    confirm = PasswordField(
        "Confirmer le mot de passe",
        validators=[required(), EqualTo("password", message="Les deux mots de passe diffèrent.")],
    )


class LinkCodeForm(FlaskForm):
    """The code of a link (what follows « # »), posted by the page's script or pasted."""

    code = StringField(
        "Lien reçu ou code du lien",
        filters=[strip],
        validators=[required(), max_length(2000)],
    )


class CodeForm(FlaskForm):
    """A 6-digit code of the authenticator app."""

    code = StringField(
        "Code à 6 chiffres",
        filters=[strip],
        validators=[required(), max_length(40)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    remember = BooleanField("Se souvenir de cet appareil 30 jours")


class RecoveryForm(FlaskForm):
    code = StringField(
        "Code de secours",
        filters=[strip],
        validators=[required(), max_length(40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    remember = BooleanField("Se souvenir de cet appareil 30 jours")
