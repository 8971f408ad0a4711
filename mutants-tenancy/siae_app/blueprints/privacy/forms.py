"""The durations form: for each rule a structure may set, the months and the motif."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.employees.forms import FrIntegerField, number_required
from siae_app.blueprints.forms_common import strip, text_checks
from siae_app.privacy.registry import RULES, SETTABLE, Rule

MOTIF_MAX = 2000


def months_name(rule: Rule) -> str:
    return f"{rule.value}_months"


def motif_name(rule: Rule) -> str:
    return f"{rule.value}_motif"


class DurationsForm(FlaskForm):
    """Two fields per settable rule, added below: ``<rule>_months`` and ``<rule>_motif``;
    and how long the salarié's own space stays open after the sortie."""

    personal_space_months = FrIntegerField(
        "Mois après la sortie",
        validators=[number_required()],
        render_kw={"min": 1, "max": 24},
    )


for _rule in SETTABLE:
    _retention = RULES[_rule]
    setattr(
        DurationsForm,
        months_name(_rule),
        FrIntegerField(
            "Durée (mois)",
            validators=[number_required()],
            render_kw={"min": _retention.default_months, "max": _retention.max_months},
        ),
    )
    setattr(
        DurationsForm,
        motif_name(_rule),
        TextAreaField(
            "Motif (obligatoire au-delà de la durée par défaut)",
            filters=[strip],
            validators=[Optional(), *text_checks(MOTIF_MAX)],
        ),
    )
del _rule, _retention
