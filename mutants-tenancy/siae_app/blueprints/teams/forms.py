from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import CheckboxesField, required, text_checks


class TeamForm(FlaskForm):
    name = StringField("Nom de l'équipe", validators=[required(), *text_checks(120)])
    activity_id = SelectField("Activité support", validators=[Optional()])
    location = StringField(
        "Lieu / chantier (facultatif)", validators=[Optional(), *text_checks(200)]
    )
    supervisor_ids = CheckboxesField(
        "Encadrant·es techniques",
        description="Les encadrant·es choisi·es verront cette équipe dans « Mes équipes ».",
    )


class ActivityForm(FlaskForm):
    name = StringField(
        "Nom de l'activité support",
        validators=[required(), *text_checks(120)],
        description="Par exemple : espaces verts, maraîchage, recyclerie, second œuvre.",
    )
    description = TextAreaField(
        "Description (facultatif)", validators=[Optional(), *text_checks(2000)]
    )
    framework_ids = CheckboxesField(
        "Référentiels applicables",
        description="Les référentiels proposés pour évaluer les salariés de cette activité.",
    )
