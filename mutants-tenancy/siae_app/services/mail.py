"""Outgoing mail over SMTP when configured; otherwise only the fact is logged.

Without SMTP nothing of the message reaches the log: no link (a reset or invitation token is
a credential) and no address in clear, only the purpose and a short digest of the recipient
(enough to match two log lines, not to read the address).
"""

from __future__ import annotations

import hashlib
import smtplib
from email.message import EmailMessage

from flask import current_app


def recipient_digest(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:10]


def send_mail(to: str, subject: str, body: str, purpose: str = "message") -> bool:
    """Send the message; return False when no SMTP server is configured (nothing sent)."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        current_app.logger.info(
            "Courriel non envoyé (pas de SMTP) : objet « %s », destinataire #%s.",
            purpose,
            recipient_digest(to),
        )
        return False
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)
    return True
