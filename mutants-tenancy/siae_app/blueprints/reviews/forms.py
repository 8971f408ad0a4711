from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from siae_app.blueprints.forms_common import choices, required, strip, text_checks
from siae_app.models.employees import PASS_EXTENSION_MOTIFS
from siae_app.models.reviews import NEED_SCORES, PROLONGATION_NEEDS, RENEWAL_CHOICES, REVIEW_KINDS

NO_CHOICE = [("", "— Non renseigné —")]


class OpenForm(FlaskForm):
    kind = SelectField(
        "Type de bilan", choices=choices(REVIEW_KINDS.items()), validate_choice=False
    )
    due_on = DateField("Date prévue", validators=[Optional()])


class EtiForm(FlaskForm):
    eti_part = TextAreaField(
        "Regard de l'encadrant·e technique",
        filters=[strip],
        validators=[Optional(), *text_checks(8000)],
    )
    # The fingerprint of each text as the page showed it (workflow.fingerprint).
    eti_part_seen = HiddenField()


class SynthesisForm(FlaskForm):
    cip_synthesis = TextAreaField(
        "Synthèse de la CIP", filters=[strip], validators=[Optional(), *text_checks(8000)]
    )
    employee_words = TextAreaField(
        "Paroles du salarié·e", filters=[strip], validators=[Optional(), *text_checks(4000)]
    )
    held_on = DateField("Date du bilan", validators=[Optional()])
    renewal = SelectField(
        "Renouvellement du contrat",
        choices=choices(NO_CHOICE + list(RENEWAL_CHOICES.items())),
        validate_choice=False,
    )
    renewal_months = IntegerField(
        "Durée proposée (mois)",
        validators=[Optional(), NumberRange(min=1, max=24, message="De 1 à 24 mois.")],
    )
    prolongation_requested = BooleanField("Demande de prolongation du PASS IAE")
    orientation = TextAreaField(
        "Orientation", filters=[strip], validators=[Optional(), *text_checks(2000)]
    )
    exit_planned = BooleanField("Sortie envisagée")
    next_appointment_on = DateField("Prochain rendez-vous", validators=[Optional()])
    cip_synthesis_seen = HiddenField()
    employee_words_seen = HiddenField()
    orientation_seen = HiddenField()


NEED_CHOICES = choices(NO_CHOICE + list(NEED_SCORES.items()))


class ProlongationForm(FlaskForm):
    """The funder's template; one select per need (``need_<key>``)."""

    actions_done = TextAreaField(
        "Actions réalisées", filters=[strip], validators=[Optional(), *text_checks(4000)]
    )
    actions_planned = TextAreaField(
        "Actions prévues", filters=[strip], validators=[Optional(), *text_checks(4000)]
    )
    requested_months = IntegerField(
        "Durée demandée (mois)",
        validators=[Optional(), NumberRange(min=1, max=12, message="De 1 à 12 mois.")],
    )
    prolongation_motif = SelectField(
        "Motif de la demande",
        choices=choices(NO_CHOICE + list(PASS_EXTENSION_MOTIFS.items())),
        validate_choice=False,
    )


for _key, _label in PROLONGATION_NEEDS.items():
    setattr(
        ProlongationForm,
        f"need_{_key}",
        SelectField(_label, choices=NEED_CHOICES, validate_choice=False),
    )


class ParticipantForm(FlaskForm):
    name = StringField("Nom", filters=[strip], validators=[required(), *text_checks(200)])
    organisation = StringField(
        "Organisation", filters=[strip], validators=[Optional(), *text_checks(200)]
    )
    role = StringField(
        "Rôle (prescripteur, ETI…)", filters=[strip], validators=[Optional(), *text_checks(100)]
    )


class ReopenForm(FlaskForm):
    motif = StringField(
        "Motif de la réouverture", filters=[strip], validators=[required(), *text_checks(300)]
    )
