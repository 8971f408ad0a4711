from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField

from siae_app.blueprints.forms_common import required, strip, text_checks

DATE_MESSAGE = "Date invalide (format attendu : jj/mm/aaaa)."


class ProposeForm(FlaskForm):
    omit_insertion_word = BooleanField("Ne pas faire figurer le mot « insertion » dans le document")


class SignForm(FlaskForm):
    signer_name = StringField(
        "Nom du signataire", filters=[strip], validators=[required(), *text_checks(200)]
    )
    signed_on = DateField("Date de signature", default=date.today, validators=[required()])
    signed_place = StringField(
        "Lieu de signature (fait à)", filters=[strip], validators=[required(), *text_checks(120)]
    )


class RevokeForm(FlaskForm):
    motif = TextAreaField(
        "Motif de la révocation", filters=[strip], validators=[required(), *text_checks(2000)]
    )


class BatchForm(FlaskForm):
    exit_from = DateField("Sortis à partir du", validators=[required()])
    exit_to = DateField("Jusqu'au", validators=[required()])
