"""The attestation as an Open Badges 3.0 credential (OpenBadgeCredential), the payload that
siae_app.services.attestations.credentials signs (VC-JOSE, ``vc+jwt``).

Each acquired competency becomes an alignment on its framework (titre, code) and a result
(the level reached, on the scale it comes from). The issuer is the structure's ``did:web``;
the credential carries its bit in the structure's revocation list (``credentialStatus``) and,
as an ``evidence`` entry, the human verification page of the attestation's code.
"""

from __future__ import annotations

from siae_app.models.attestations import Attestation
from siae_app.services.attestations.signing import document, verification_url

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _alignment(line: dict, url: str) -> dict:
    framework = line["framework"]
    alignment = {
        "type": ["Alignment"],
        "targetName": line["label"],
        "targetType": "ceasn:Competency",
        "targetFramework": framework["title"],
        "targetUrl": url,
    }
    if framework.get("code"):
        alignment["targetCode"] = framework["code"]
    if line.get("block"):
        alignment["targetDescription"] = line["block"]["title"]
    return alignment


def credential(attestation: Attestation, *, issuer_id: str, status: dict | None = None) -> dict:
    doc = document(attestation)
    url = verification_url(attestation.verification_code)
    base = f"urn:uuid:{attestation.id}"
    lines = doc.get("competencies", [])
    descriptions, results, alignments = [], [], []
    for n, line in enumerate(lines, start=1):
        alignment = _alignment(line, f"{url}#competence-{n}")
        alignments.append(alignment)
        rd_id = f"{base}:competence:{n}"
        descriptions.append(
            {
                "id": rd_id,
                "type": ["ResultDescription"],
                "name": line["label"],
                "resultType": "RubricCriterionLevel",
                "alignment": [alignment],
            }
        )
        results.append(
            {
                "type": ["Result"],
                "resultDescription": rd_id,
                "value": line.get("level"),
                "alignment": [alignment],
            }
        )
    structure = doc.get("structure", {})
    holder = doc.get("holder", {})
    issuer = {"id": issuer_id, "type": ["Profile"], "name": structure.get("name")}
    if structure.get("siret"):
        issuer["identifier"] = [
            {
                "type": "IdentifierEntry",
                "identifier": structure["siret"],
                "identifierType": "identifier",
            }
        ]
    if structure.get("address"):
        issuer["address"] = {"type": ["Address"], "streetAddress": structure["address"]}
    titles = ", ".join(doc.get("titles", []))
    holder_name = holder.get("name", "")
    made = {
        "@context": CONTEXT,
        "id": base,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Attestation de compétences",
        "issuer": issuer,
        "validFrom": attestation.signed_at.isoformat() if attestation.signed_at else None,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": holder_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": f"{base}:achievement",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": f"Compétences acquises — {titles}" if titles else "Compétences acquises",
                "description": "Compétences professionnelles mises en œuvre en situation de "
                "travail et évaluées par la structure.",
                "criteria": {"narrative": doc.get("assessment", {}).get("method", "")},
                "alignment": alignments,
                "resultDescription": descriptions,
            },
            "result": results,
        },
        "evidence": [
            {
                "id": url,
                "type": ["Evidence"],
                "name": "Page de vérification de l'attestation",
                "description": "La structure y dit si l'attestation est valide ou révoquée.",
            }
        ],
    }
    if status is not None:
        made["credentialStatus"] = status
    return made
