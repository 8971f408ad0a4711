"""The information notice handed to a salarié at accueil (RGPD, art. 13): the structure's text
(the direction edits it; this default otherwise), its identity and its durations filled in.

Placeholders are replaced one by one (never ``str.format``: the text is typed by a person);
an unknown one stays as typed, so a typo shows on the preview instead of failing.
"""

from __future__ import annotations

from siae_app.privacy.registry import RULES, Rule

PLACEHOLDERS = {
    "{structure}": "le nom de la structure",
    "{adresse}": "son adresse",
    "{siret}": "son SIRET",
    "{accompagnement}": "la durée de conservation du dossier d'accompagnement",
    "{emploi}": "la durée de conservation des contrats, du PASS IAE et des heures",
    "{attestations}": "la durée pendant laquelle une attestation reste vérifiable",
}

DEFAULT_NOTICE = """\
{structure} ({adresse}, SIRET {siret}) est responsable des données personnelles que son \
équipe enregistre sur vous pendant votre parcours d'insertion.

Pourquoi : votre contrat de travail (CDDI), votre PASS IAE, le suivi de vos présences et de \
vos heures, et l'accompagnement socioprofessionnel que la structure doit vous proposer \
(code du travail, articles L5132-1 et suivants). La structure rend aussi des comptes à \
l'État et à ses financeurs : elle ne leur transmet que des chiffres, jamais votre dossier.

Qui lit votre dossier : seulement les membres de l'équipe qui en ont besoin pour leur \
mission. Votre encadrant technique voit ce qui concerne le chantier ; le ou la conseillère \
en insertion voit aussi votre accompagnement ; ce qui touche à votre santé, à un handicap ou \
à la justice n'est lu que par les personnes de l'accompagnement. Chaque consultation de \
votre dossier est enregistrée.

Combien de temps : le dossier d'accompagnement est gardé {accompagnement} après notre \
dernier contact, puis ses textes sont effacés ; vos contrats, votre PASS IAE et vos heures \
sont gardés {emploi} après la fin de votre dernier contrat, puis votre nom est effacé ; une \
attestation de compétences reste vérifiable {attestations} après sa signature.

Vos droits : vous pouvez demander à voir tout ce que la structure garde sur vous (une copie \
vous est remise), le faire corriger, en limiter l'usage, vous y opposer ou le faire effacer \
quand la loi ne nous oblige pas à le garder. Adressez-vous à la direction ou à votre \
conseiller·ère : la réponse vous est donnée dans un délai d'un mois. Si vous pensez que vos \
droits ne sont pas respectés, vous pouvez saisir la CNIL (www.cnil.fr).
"""


def months_words(months: int) -> str:
    """« 2 ans », « 18 mois », « 1 an »."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} an" if years == 1 else f"{years} ans"
    return f"{months} mois"


def fill(text: str, structure, months: dict[Rule, int]) -> list[str]:
    """The notice's paragraphs, its placeholders replaced."""
    values = {
        "{structure}": structure.name,
        "{adresse}": structure.address or "adresse non renseignée",
        "{siret}": structure.siret or "non renseigné",
        "{accompagnement}": months_words(months[Rule.ACCOMPANIMENT]),
        "{emploi}": months_words(months[Rule.EMPLOYMENT]),
        "{attestations}": months_words(months[Rule.ATTESTATION]),
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in paragraphs if p]


def default_months() -> dict[Rule, int]:
    return {rule: retention.default_months for rule, retention in RULES.items()}
