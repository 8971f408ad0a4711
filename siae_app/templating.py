"""Jinja globals and filters: permissions, navigation, French dates."""

from __future__ import annotations

from flask import Flask, g, url_for
from flask_babel import format_date, format_datetime, format_decimal

from siae_app.models import Role
from siae_app.permissions.policy import Perm, allowed, can


def nav_items() -> list[dict]:
    """Main navigation for the current membership, each entry once, labelled for its role."""
    m = g.get("membership")
    if m is None:
        return []
    roles = m.role_set
    items: list[dict] = []
    if allowed(m, Perm.TEAMS_VIEW):
        if Role.COORDINATOR in roles:
            label = "Équipes"
        elif Role.CIP in roles:
            label = "Accompagnement"
        elif Role.ETI in roles:
            label = "Mon équipe"
        else:
            label = "Équipes"
        items.append({"label": label, "url": url_for("s.teams.index"), "key": "teams"})
    if allowed(m, Perm.PILOTAGE_VIEW):
        items.append({"label": "Pilotage", "url": url_for("s.home.pilotage"), "key": "pilotage"})
    if allowed(m, Perm.FRAMEWORKS_VIEW):
        items.append(
            {"label": "Référentiels", "url": url_for("s.frameworks.index"), "key": "frameworks"}
        )
    if allowed(m, Perm.MEMBERS_VIEW):
        items.append(
            {"label": "Administration", "url": url_for("s.members.members"), "key": "admin"}
        )
    return items


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update(can=can, Perm=Perm, Role=Role, nav_items=nav_items)
    app.jinja_env.filters["date_fr"] = lambda d, fmt="d MMMM y": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime_fr"] = lambda d, fmt="d MMMM y 'à' HH:mm": (
        format_datetime(d, fmt) if d else ""
    )
    app.jinja_env.filters["number_fr"] = lambda n: format_decimal(n) if n is not None else ""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
