"""Demo frameworks written by the (fictional) teams in their own words.

A behavioural framework for each structure, and a technical one per demo activité support.
Idempotent: a framework with the same title in the structure is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siae_app.models import Activity, ActivityFramework, Framework, Structure
from siae_app.services.frameworks.storage import save_parsed
from siae_app.services.frameworks.tree import (
    ParsedBlock,
    ParsedCompetency,
    ParsedCriterion,
    ParsedFramework,
)

Tree = list[tuple[str, list[tuple[str, list[str]]]]]

BEHAVIOUR: Tree = [
    (
        "Se situer dans le cadre de travail",
        [
            (
                "Être assidu",
                [
                    "Est présent aux jours et heures prévus au planning.",
                    "Prévient l'encadrant avant le début de la journée en cas d'absence.",
                    "Fournit le justificatif d'absence dans les délais demandés.",
                ],
            ),
            (
                "Être ponctuel",
                [
                    "Arrive à l'heure au point de rendez-vous du chantier.",
                    "Respecte les horaires de pause et de reprise.",
                ],
            ),
            (
                "Respecter les consignes et la sécurité",
                [
                    "Porte les équipements de protection individuelle adaptés à la tâche.",
                    "Applique la consigne reçue sans la modifier de sa propre initiative.",
                    "Signale immédiatement un danger ou un incident à l'encadrant.",
                ],
            ),
        ],
    ),
    (
        "Travailler avec les autres",
        [
            (
                "Travailler en équipe",
                [
                    "Partage les tâches avec ses collègues sans qu'on le lui demande.",
                    "Propose son aide quand un collègue est en difficulté.",
                ],
            ),
            (
                "Communiquer de façon adaptée",
                [
                    "S'adresse à l'encadrant, aux collègues et aux clients avec politesse.",
                    "Pose une question quand une consigne n'est pas comprise.",
                    "Rend compte du travail fait en fin de séance.",
                ],
            ),
        ],
    ),
    (
        "Gagner en autonomie",
        [
            (
                "Organiser son travail",
                [
                    "Prépare le matériel nécessaire avant de commencer.",
                    "Enchaîne les étapes de la tâche dans l'ordre prévu.",
                ],
            ),
            (
                "Prendre soin du matériel",
                [
                    "Nettoie et range les outils après usage.",
                    "Signale un outil abîmé ou manquant.",
                ],
            ),
        ],
    ),
]

TECHNICAL: dict[str, Tree] = {
    "Espaces verts": [
        (
            "Entretenir les surfaces",
            [
                (
                    "Tondre une pelouse",
                    [
                        "Vérifie le niveau d'huile et de carburant avant le démarrage.",
                        "Règle la hauteur de coupe selon la saison et la consigne.",
                        "Ramasse les déchets de tonte et les évacue vers la zone prévue.",
                    ],
                ),
                (
                    "Débroussailler une zone",
                    [
                        "Délimite la zone de travail et éloigne le public.",
                        "Utilise la débroussailleuse avec le harnais et la visière.",
                    ],
                ),
            ],
        ),
        (
            "Tailler les végétaux",
            [
                (
                    "Tailler une haie",
                    [
                        "Choisit l'outil adapté à l'épaisseur des branches.",
                        "Obtient une haie droite et de hauteur régulière.",
                    ],
                ),
            ],
        ),
    ],
    "Maraîchage biologique": [
        (
            "Préparer et semer",
            [
                (
                    "Préparer une planche de culture",
                    [
                        "Désherbe la planche sans abîmer la structure du sol.",
                        "Apporte le compost dans la quantité indiquée.",
                    ],
                ),
                (
                    "Semer et repiquer",
                    [
                        "Respecte l'espacement entre les rangs et entre les plants.",
                        "Arrose après le repiquage.",
                    ],
                ),
            ],
        ),
        (
            "Récolter et conditionner",
            [
                (
                    "Récolter les légumes",
                    [
                        "Récolte au bon stade de maturité.",
                        "Manipule les légumes sans les abîmer.",
                    ],
                ),
                (
                    "Préparer les paniers",
                    [
                        "Pèse chaque légume selon la fiche de composition du panier.",
                        "Étiquette les paniers avec le nom de l'adhérent.",
                    ],
                ),
            ],
        ),
    ],
    "Collecte et tri": [
        (
            "Collecter les objets",
            [
                (
                    "Charger et décharger le camion",
                    [
                        "Utilise les gestes et postures appris pour porter une charge.",
                        "Cale les objets pour qu'ils ne bougent pas pendant le trajet.",
                    ],
                ),
            ],
        ),
        (
            "Trier les apports",
            [
                (
                    "Orienter chaque objet vers la bonne filière",
                    [
                        "Distingue un objet réemployable d'un objet à recycler.",
                        "Dépose chaque objet dans le bac ou la zone correspondante.",
                        "Isole les déchets dangereux et prévient l'encadrant.",
                    ],
                ),
            ],
        ),
    ],
    "Valorisation et vente": [
        (
            "Remettre en état",
            [
                (
                    "Nettoyer et réparer un objet",
                    [
                        "Teste le fonctionnement d'un appareil électrique avant sa mise en vente.",
                        "Réalise une réparation simple avec les outils de l'atelier.",
                    ],
                ),
            ],
        ),
        (
            "Vendre en boutique",
            [
                (
                    "Mettre en rayon",
                    [
                        "Range les articles par famille et par taille.",
                        "Affiche un prix lisible sur chaque article.",
                    ],
                ),
                (
                    "Accueillir les clients",
                    [
                        "Salue les clients et répond à leurs questions.",
                        "Encaisse et rend la monnaie sans erreur.",
                    ],
                ),
            ],
        ),
    ],
}


def _parsed(title: str, tree: Tree) -> ParsedFramework:
    blocks, n = [], 0
    for b_number, (block_title, comps) in enumerate(tree, start=1):
        parsed_comps = []
        for comp_title, criteria in comps:
            n += 1
            parsed_comps.append(
                ParsedCompetency(
                    number=n,
                    title=comp_title,
                    kind="professional",
                    criteria=[ParsedCriterion(text=t) for t in criteria],
                )
            )
        blocks.append(
            ParsedBlock(
                number=b_number, title=block_title, kind="activity", competencies=parsed_comps
            )
        )
    return ParsedFramework(
        title=title,
        acronym=None,
        code=None,
        level=None,
        version=None,
        validated_on=None,
        updated_on=None,
        blocks=blocks,
    )


def _ensure(session: Session, title: str, tree: Tree, description: str) -> Framework:
    fw = session.scalar(select(Framework).where(Framework.title == title))
    if fw is None:
        fw = save_parsed(session, _parsed(title, tree), source="structure")
        fw.description = description
    return fw


def load_demo_frameworks(session: Session, structure: Structure) -> None:
    """Behavioural + technical frameworks for the structure active in ``session``."""
    behaviour = _ensure(
        session,
        "Savoir-être professionnels",
        BEHAVIOUR,
        "Grille commune à toutes les équipes, rédigée par l'équipe d'encadrement.",
    )
    activities = session.scalars(
        select(Activity).where(Activity.structure_id == structure.id)
    ).all()
    links = {
        (a.activity_id, a.framework_id) for a in session.scalars(select(ActivityFramework)).all()
    }
    for activity in activities:
        tree = TECHNICAL.get(activity.name)
        applies = [behaviour]
        if tree:
            applies.append(
                _ensure(
                    session,
                    f"{activity.name} : gestes professionnels",
                    tree,
                    f"Compétences techniques observées sur l'activité « {activity.name} ».",
                )
            )
        for fw in applies:
            if (activity.id, fw.id) not in links:
                session.add(
                    ActivityFramework(
                        structure_id=structure.id, activity_id=activity.id, framework_id=fw.id
                    )
                )
    session.flush()
