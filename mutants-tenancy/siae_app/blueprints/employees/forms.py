"""Forms of the salarié's file. Dates accept the date picker (AAAA-MM-JJ) and JJ/MM/AAAA."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import g
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import Field
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import DateInput, NumberInput

from siae_app.blueprints.forms_common import (
    REQUIRED,
    CheckboxesField,
    choices,
    email_check,
    required,
    strip,
    text_checks,
)
from siae_app.extensions import db
from siae_app.models.employees import (
    DEROGATION_MOTIFS,
    EDUCATION_LEVELS,
    EXIT_KINDS,
    EXIT_REASONS,
    FOLLOWUP_KINDS,
    PASS_EXTENSION_MOTIFS,
    PASS_SUSPENSION_CHOICES,
    PRESCRIBER_KINDS,
    SENSITIVE_MOTIFS,
    SEXES,
)
from siae_app.services.employees.dates import parse_date
from siae_app.services.funding import annexes


class FrDateField(Field):
    """A date with a French message; the browser shows its date picker."""

    widget = DateInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        if not text.strip():
            self.data = None
            return
        self.data = parse_date(text)
        if self.data is None:
            raise ValueError("Date illisible : utilisez le format JJ/MM/AAAA.")


class FrDecimalField(Field):
    widget = NumberInput(step="0.5", min="0")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format(self.data.normalize(), "f") if self.data is not None else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        if not text:
            self.data = None
            return
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError("Nombre illisible (exemple : 26 ou 24,5).") from None


def number_required() -> InputRequired:
    """A number must be typed; 0 is typed (DataRequired would call it missing), and the
    service then says which values are allowed."""
    return InputRequired(message=REQUIRED)


class FrIntegerField(FrDecimalField):
    widget = NumberInput(step="1", min="1")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return str(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            if self.data != self.data.to_integral_value():
                raise ValueError("Nombre entier attendu.")
            self.data = int(self.data)


def pairs(mapping: dict, blank: str | None = None):
    head = [("", blank)] if blank is not None else []
    return choices(head + list(mapping.items()))


def limit_sensitive_motifs(field: SelectField, kept: str | None = None) -> None:
    """A motif select for a membership that does not write the sensitive motifs (README,
    « Critères et motifs sensibles » : coordination reads them): the motifs revealing a
    handicap are not offered, and one already there (``kept``) is its only choice, shown as
    confidential, so that a save keeps it. What is sent is judged by the service (French
    refusal on the field), not by the list of choices."""
    field.validate_choice = False
    if kept in SENSITIVE_MOTIFS:
        label = next(c.label for c in field.choices if c.value == kept)
        field.choices = choices([(kept, f"{label} — motif confidentiel (CIP)")])
        field.description = "Seule la CIP peut modifier ou retirer ce motif."
    else:
        field.choices = [c for c in field.choices if c.value not in SENSITIVE_MOTIFS]


class VersionedForm(FlaskForm):
    """A form that edits the Employee row carries the version it was loaded with."""

    version_id = HiddenField(validators=[required()])


class IdentityForm(VersionedForm):
    last_name = StringField(
        "Nom de naissance", validators=[required(), *text_checks(120)], filters=[strip]
    )
    usage_name = StringField(
        "Nom d'usage (facultatif)", validators=[Optional(), *text_checks(120)], filters=[strip]
    )
    first_name = StringField("Prénom", validators=[required(), *text_checks(120)], filters=[strip])
    birth_date = FrDateField("Date de naissance", validators=[Optional()])
    phone = StringField(
        "Téléphone (facultatif)", validators=[Optional(), *text_checks(30)], filters=[strip]
    )
    email = StringField(
        "E-mail (facultatif)",
        validators=[Optional(), email_check(), *text_checks(254)],
        filters=[strip],
    )
    address = StringField(
        "Adresse (facultatif)", validators=[Optional(), *text_checks(300)], filters=[strip]
    )
    team_id = SelectField("Équipe", validators=[Optional()])
    referent_id = SelectField("Référent·e CIP", validators=[Optional()])
    prescriber_org = StringField(
        "Prescripteur (organisme)", validators=[Optional(), *text_checks(200)], filters=[strip]
    )
    prescriber_contact = StringField(
        "Contact chez le prescripteur", validators=[Optional(), *text_checks(200)], filters=[strip]
    )
    entry_date = FrDateField("Date d'arrivée dans la structure", validators=[Optional()])


class NewEmployeeForm(IdentityForm):
    version_id = HiddenField()  # a new file has no version yet


class AccommodationsForm(VersionedForm):
    accommodations = TextAreaField(
        "Aménagements de poste à appliquer",
        validators=[Optional(), *text_checks(4000)],
    )


class CriteriaForm(FlaskForm):
    criterion_ids = CheckboxesField(
        "Critères d'éligibilité",
        description="Les critères liés au handicap (TH, AAH) ne sont visibles que par les CIP "
        "et la coordination.",
    )


class ContractForm(FlaskForm):
    start_date = FrDateField("Date de début", validators=[required()])
    end_date = FrDateField("Date de fin prévue", validators=[required()])
    weekly_hours = FrDecimalField("Heures par semaine", validators=[number_required()])
    derogation_motif = SelectField(
        "Motif de dérogation (au-delà de 24 mois cumulés)",
        choices=pairs(DEROGATION_MOTIFS, "— Aucun —"),
        validators=[Optional()],
    )
    ended_early_on = FrDateField("Fin anticipée le (facultatif)", validators=[Optional()])
    annex_kind = SelectField(
        "Annexe financière",
        description="Les heures payées sur ce contrat comptent sur les ETP de l'annexe de ce "
        "type en vigueur chaque mois.",
        validators=[Optional()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = annexes.default_kind(g.structure)
        self.annex_kind.choices = choices(
            [("", f"Celle de la structure ({own})")] + annexes.other_kinds(db.session, g.structure)
        )


class SituationForm(VersionedForm):
    sex = SelectField("Sexe", choices=pairs(SEXES, "— Non renseigné —"), validators=[Optional()])
    education_level = SelectField(
        "Niveau de formation",
        choices=pairs(EDUCATION_LEVELS, "— Non renseigné —"),
        validators=[Optional()],
    )
    prescriber_kind = SelectField(
        "Type de prescripteur",
        choices=pairs(PRESCRIBER_KINDS, "— Non renseigné —"),
        validators=[Optional()],
    )
    unemployed_since = FrDateField("Sans emploi depuis le (facultatif)", validators=[Optional()])
    jobseeker_since = FrDateField(
        "Inscrit·e à France Travail depuis le (facultatif)", validators=[Optional()]
    )
    benefits_since = FrDateField(
        "Bénéficiaire de minima sociaux depuis le (facultatif)",
        description="RSA, ASS ou AAH : le minimum lui-même est un critère d'éligibilité.",
        validators=[Optional()],
    )
    resides_qpv = BooleanField("Réside dans un quartier prioritaire de la ville (QPV)")
    resides_zrr = BooleanField("Réside dans une zone de revitalisation rurale (ZRR)")


class PassForm(FlaskForm):
    number = StringField(
        "Numéro de PASS IAE (12 chiffres)",
        description="12 chiffres, par exemple 999992012345.",
        validators=[required(), *text_checks(20)],
        filters=[strip],
    )
    start_date = FrDateField("Date de début", validators=[required()])
    end_date = FrDateField("Date de fin (vide : 24 mois)", validators=[Optional()])


class NewPassForm(PassForm):
    waiting_period_waived = BooleanField(
        "Un prescripteur habilité a validé un nouveau diagnostic d'éligibilité "
        "(dérogation au délai de carence de 2 ans)"
    )


class ClosureForm(FlaskForm):
    closed_on = FrDateField("Dernier jour du PASS", validators=[required()])
    closure_reason = TextAreaField(
        "Motif de la clôture", validators=[required(), *text_checks(500)], filters=[strip]
    )


class SuspensionForm(FlaskForm):
    motif = SelectField(
        "Motif", choices=pairs(PASS_SUSPENSION_CHOICES, "— Choisir —"), validators=[required()]
    )
    start_date = FrDateField("Du", validators=[required()])
    end_date = FrDateField("Au", validators=[required()])


class ExtensionForm(FlaskForm):
    motif = SelectField(
        "Motif", choices=pairs(PASS_EXTENSION_MOTIFS, "— Choisir —"), validators=[required()]
    )
    months = FrIntegerField("Durée (mois, 12 au plus)", validators=[number_required()])
    decided_on = FrDateField("Demandée le", validators=[required()])
    training_end = FrDateField(
        "Fin de la formation (motif formation)",
        description="La prolongation pour achever une formation s'arrête à sa fin.",
        validators=[Optional()],
    )


def exit_reason_choices():
    out = [("", "— Choisir —")]
    for kind, reasons in EXIT_REASONS.items():
        out += [(key, f"{EXIT_KINDS[kind]} — {label}") for key, label in reasons.items()]
    return choices(out)


class ExitForm(VersionedForm):
    exit_date = FrDateField("Date de sortie", validators=[required()])
    exit_kind = SelectField(
        "Type de sortie", choices=pairs(EXIT_KINDS, "— Choisir —"), validators=[required()]
    )
    exit_reason = SelectField(
        "Motif précis",
        choices=exit_reason_choices(),
        validators=[required()],
        description="Le motif doit correspondre au type de sortie choisi.",
    )
    exit_comment = TextAreaField(
        "Commentaire (facultatif)", validators=[Optional(), *text_checks(2000)]
    )


class ExitFollowupForm(FlaskForm):
    """« Situation six mois après la sortie » (the sorties to choose from: set by the view)."""

    exit_date = SelectField("Sortie concernée", choices=[], validators=[required()])
    checked_on = FrDateField("Situation recueillie le", validators=[required()])
    kind = SelectField(
        "Situation", choices=pairs(FOLLOWUP_KINDS, "— Choisir —"), validators=[required()]
    )
    reason = SelectField(
        "Précision",
        choices=exit_reason_choices(),
        validators=[Optional()],
        description="Elle doit correspondre à la situation choisie ; aucune pour « Injoignable ».",
    )
    comment = TextAreaField("Commentaire (facultatif)", validators=[Optional(), *text_checks(2000)])


class CancelExitForm(VersionedForm):
    pass


class ReturnForm(VersionedForm):
    return_date = FrDateField(
        "Date du retour en parcours",
        validators=[required()],
        description="La nouvelle date d'entrée. La sortie précédente reste comptée dans son année.",
    )


class HandoverForm(FlaskForm):
    """Tick (or untick) one document of the handover at the sortie."""

    item = HiddenField(validators=[required()])
    done_on = FrDateField("Remis le", validators=[Optional()])
    note = TextAreaField(
        "Pourquoi aucune attestation de compétences n'est remise",
        validators=[Optional(), *text_checks(500)],
    )
    undo = BooleanField("Décocher")


class NewCriterionForm(FlaskForm):
    label = StringField(
        "Nouveau critère", validators=[required(), *text_checks(200)], filters=[strip]
    )
    is_sensitive = BooleanField(
        "Donnée sensible (santé, handicap) : réservée aux CIP et à la coordination"
    )


class ToggleCriterionForm(FlaskForm):
    criterion_id = HiddenField(validators=[required()])


class ImportForm(FlaskForm):
    file = FileField("Fichier CSV ou Excel (.xlsx)")


class ConfirmImportForm(FlaskForm):
    import_id = HiddenField()
