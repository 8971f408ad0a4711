from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.fields import ColorField
from wtforms.validators import AnyOf, Regexp

from siae_app.blueprints.forms_common import required, strip, text_checks
from siae_app.services.scales import (
    CODE_MAX,
    COLOR_MESSAGE,
    COLOR_RE,
    LABEL_MAX,
    SCALE_NAME_MAX,
)


class ScaleForm(FlaskForm):
    name = StringField(
        "Nom de l'échelle", filters=[strip], validators=[required(), *text_checks(SCALE_NAME_MAX)]
    )


class ScaleSettingsForm(ScaleForm):
    is_default = BooleanField("Échelle par défaut de la structure")


class LevelForm(FlaskForm):
    label = StringField(
        "Intitulé du niveau", filters=[strip], validators=[required(), *text_checks(LABEL_MAX)]
    )
    code = StringField(
        "Code court", filters=[strip], validators=[required(), *text_checks(CODE_MAX)]
    )
    color = ColorField(
        "Couleur", filters=[strip], validators=[required(), Regexp(COLOR_RE, message=COLOR_MESSAGE)]
    )
    counts_as_acquired = BooleanField("Compte comme acquis")


class MoveLevelForm(FlaskForm):
    direction = StringField(
        "Sens",
        validators=[AnyOf(("up", "down"), message="Sens de déplacement inconnu.")],
    )


class ConfirmDeleteForm(FlaskForm):
    # The delete button first shows a confirmation page; its form sends confirm=oui.
    confirm = HiddenField()

    @property
    def confirmed(self) -> bool:
        return self.confirm.data == "oui"
