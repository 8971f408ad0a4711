"""Forms of the conventionnement: an annexe financière, the reporting settings, the hours
paid on a contract in a month."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from siae_app.blueprints.employees.forms import (
    FrDateField,
    FrDecimalField,
    FrIntegerField,
    number_required,
    pairs,
)
from siae_app.blueprints.forms_common import required, strip, text_checks
from siae_app.models.funding import ANNEX_KINDS


class AnnexForm(FlaskForm):
    kind = SelectField("Type d'annexe", choices=pairs(ANNEX_KINDS, "— Choisir —"))
    number = StringField(
        "Numéro de l'annexe (facultatif)",
        validators=[Optional(), *text_checks(40)],
        filters=[strip],
    )
    start_date = FrDateField("Début de la période", validators=[required()])
    end_date = FrDateField("Fin de la période", validators=[required()])
    etp_conventioned = FrDecimalField(
        "ETP conventionnés", validators=[required()], description="Par exemple 12 ou 12,5."
    )
    target_dynamic_rate = FrDecimalField(
        "Objectif de sorties dynamiques (%, facultatif)",
        validators=[Optional()],
        description="Part des sorties comptabilisées : emploi durable, de transition et "
        "sorties positives.",
    )
    target_durable_rate = FrDecimalField(
        "Objectif de sorties en emploi durable (%, facultatif)", validators=[Optional()]
    )


class SettingsForm(FlaskForm):
    hours_per_etp = FrIntegerField(
        "Heures d'un ETP par an",
        validators=[required()],
        description="1 820 heures dans l'IAE (35 heures × 52 semaines).",
    )
    exit_min_stay_months = FrIntegerField(
        "Durée minimale de parcours pour compter une sortie (mois)",
        validators=[required()],
        description="En dessous, la sortie est montrée à part, « non comptabilisée ».",
    )
    renewal_notice_months = FrIntegerField(
        "Ouverture du circuit de renouvellement (mois avant la fin du CDDI)",
        validators=[number_required()],
        description="L'encadrant donne son avis, la CIP propose, la direction décide : de 1 à "
        "6 mois avant la fin du contrat (2 par défaut).",
    )


class PaidHoursForm(FlaskForm):
    hours = StringField(
        "Heures payées",
        validators=[required()],
        filters=[strip],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    motif = StringField(
        "Motif de l'écart avec le contrat",
        validators=[Optional(), *text_checks(300)],
        filters=[strip],
    )
