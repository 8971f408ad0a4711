"""Outgoing mail over SMTP when configured; otherwise the message goes to the log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send the message; return False when no SMTP server is configured (logged instead)."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        current_app.logger.info(
            "Courriel non envoyé (pas de SMTP) à %s : %s\n%s", to, subject, body
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
