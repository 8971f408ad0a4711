"""Shared helpers for the salariés tests."""

from __future__ import annotations

from siae_app import tenancy
from siae_app.extensions import db


def url(site, path: str = "") -> str:
    return f"/s/{site.slug}/salaries{path}"


def file_url(site, employee=None, path: str = "") -> str:
    employee = employee or site.employee
    return url(site, f"/{employee.id}{path}")


def system():
    """Back to the system scope after a request (factories write in any structure)."""
    tenancy.activate_system(db.session)
    return db.session
