from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import (
    CheckboxesField,
    choices,
    required,
    strip,
    text_checks,
)
from siae_app.models import GoalStatus, LearningStatus
from siae_app.models.evaluations import ASSESSMENT_KINDS, SELF_ANSWERS
from siae_app.services.evaluations import assessments, goals, grids, learning

DATE_MESSAGE = "Date invalide (exemple : 15/03/2026)."


class GridForm(FlaskForm):
    name = StringField(
        "Nom de la grille", filters=[strip], validators=[required(), *text_checks(grids.MAX_NAME)]
    )
    description = TextAreaField(
        "Description (facultatif)",
        filters=[strip],
        validators=[Optional(), *text_checks(grids.MAX_DESCRIPTION)],
    )
    activity_id = SelectField("Activité support concernée", validate_choice=False)
    scale_id = SelectField("Échelle de niveaux", validate_choice=False)


class NewGridForm(GridForm):
    fill = BooleanField(
        "Remplir avec toutes les compétences des référentiels de cette activité", default=True
    )


class AddItemsForm(FlaskForm):
    competency_ids = CheckboxesField("Compétences à ajouter", validate_choice=False)
    with_criteria = BooleanField("Ajouter aussi leurs critères, à évaluer un par un")


class StartForm(FlaskForm):
    grid_id = SelectField("Grille", validate_choice=False, validators=[required()])
    kind = RadioField(
        "Type d'évaluation", choices=choices(ASSESSMENT_KINDS.items()), default="intermediate"
    )
    assessed_on = DateField(
        "Date", default=date.today, validators=[required()], render_kw={"type": "date"}
    )


class ItemForm(FlaskForm):
    """One line of an assessment (each line's form has its own prefix: unique ids)."""

    level_id = RadioField("Niveau", validate_choice=False)
    self_answer = RadioField(
        "Réponse du salarié", choices=choices(SELF_ANSWERS.items()), validate_choice=False
    )
    comment = TextAreaField(
        "Commentaire (facultatif)",
        filters=[strip],
        validators=[Optional(), *text_checks(assessments.MAX_COMMENT)],
    )
    evidence_ids = CheckboxesField("Observations qui l'appuient", validate_choice=False)


class ReopenForm(FlaskForm):
    motif = StringField(
        "Motif de la correction",
        filters=[strip],
        validators=[required(), *text_checks(assessments.MAX_MOTIF)],
    )


class GoalForm(FlaskForm):
    competency_id = SelectField("Compétence visée", validate_choice=False, validators=[required()])
    target_level_id = SelectField("Niveau visé", validate_choice=False, validators=[required()])
    due_on = DateField("Échéance (facultatif)", validators=[Optional()], render_kw={"type": "date"})
    label = StringField(
        "Objectif en quelques mots (facultatif)",
        filters=[strip],
        validators=[Optional(), *text_checks(goals.MAX_LABEL)],
    )


class GoalStatusForm(FlaskForm):
    status = SelectField("Statut de l'objectif", choices=choices(GoalStatus.choices().items()))


class SeanceForm(FlaskForm):
    competency_id = SelectField(
        "Compétence travaillée", validate_choice=False, validators=[required()]
    )
    work_situation = TextAreaField(
        "Situation de travail",
        filters=[strip],
        validators=[required(), *text_checks(learning.MAX_SITUATION)],
    )
    planned_on = DateField("Date prévue", validators=[required()], render_kw={"type": "date"})


class SeanceUpdateForm(FlaskForm):
    status = SelectField("Statut", choices=choices(LearningStatus.choices().items()))
    reflection = TextAreaField(
        "Séquence réflexive : ce que le salarié a fait, compris, ce qu'il retient",
        filters=[strip],
        validators=[Optional(), *text_checks(learning.MAX_REFLECTION)],
    )
    assessment_id = SelectField("Évaluation qui a suivi", validate_choice=False)
