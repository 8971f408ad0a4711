"""flask command groups, one module per group."""

from __future__ import annotations

from flask import Flask

from siae_app.cli.credentials import credentials_cli
from siae_app.cli.dbrole import dbrole_cli
from siae_app.cli.demo import demo_cli
from siae_app.cli.espace import espace_cli
from siae_app.cli.frameworks import framework_cli
from siae_app.cli.jobs import jobs_cli
from siae_app.cli.reports import report_cli
from siae_app.cli.rgpd import rgpd_cli
from siae_app.cli.structures import structure_cli


def register_cli(app: Flask) -> None:
    for group in (
        structure_cli,
        demo_cli,
        dbrole_cli,
        framework_cli,
        rgpd_cli,
        jobs_cli,
        report_cli,
        espace_cli,
        credentials_cli,
    ):
        app.cli.add_command(group)
