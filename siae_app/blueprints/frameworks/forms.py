from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Optional

from siae_app.blueprints.forms_common import max_length, required, strip


class FrameworkForm(FlaskForm):
    title = StringField(
        "Titre du référentiel", filters=[strip], validators=[required(), max_length(300)]
    )
    description = TextAreaField(
        "Description (facultatif)", validators=[Optional(), max_length(4000)]
    )


class UploadForm(FlaskForm):
    file = FileField("Fichier (PDF ou texte d'un REAC, ou export JSON / CSV)")
