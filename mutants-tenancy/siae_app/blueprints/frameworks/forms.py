from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, Optional

from siae_app.blueprints.forms_common import required, strip, text_checks


class FrameworkForm(FlaskForm):
    title = StringField(
        "Titre du référentiel", filters=[strip], validators=[required(), *text_checks(300)]
    )
    description = TextAreaField(
        "Description (facultatif)", validators=[Optional(), *text_checks(4000)]
    )


class UploadForm(FlaskForm):
    file = FileField("Fichier (PDF ou texte d'un REAC, ou export JSON / CSV)")


CRITERION_OPS = ("save", "up", "down", "archive")

# The edition forms: the service says what is missing (« L'intitulé du bloc est obligatoire. »),
# the form refuses what no service should see (too long, control characters).


class ItemForm(FlaskForm):
    """A block or a competency (or the framework itself): a title and a description."""

    title = StringField("Intitulé", filters=[strip], validators=text_checks(500))
    description = TextAreaField("Description", validators=text_checks(4000))


class CriterionForm(FlaskForm):
    text = TextAreaField("Texte du critère", filters=[strip], validators=text_checks(2000))
    # The criterion's one form: which of its buttons was pressed (save by default).
    op = StringField(
        "Action",
        validators=[Optional(), AnyOf(CRITERION_OPS, message="Action inconnue.")],
    )


class MoveForm(FlaskForm):
    direction = StringField(
        "Sens", validators=[AnyOf(("up", "down"), message="Sens de déplacement inconnu.")]
    )


class ActionForm(FlaskForm):
    """A button with nothing to type (archive, reactivate): a refusal is shown on it."""

    action = HiddenField()
