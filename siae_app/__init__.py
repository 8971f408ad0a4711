"""Parcours SIAE: application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, jsonify
from flask_compress import Compress
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import DEFAULT_SECRET_KEY, BaseConfig, config_from_env
from siae_app import records, tenancy  # noqa: F401 - records: its events
from siae_app.application import Application
from siae_app.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
from siae_app.services.funding import (
    figures_cache,
    revision,  # noqa: F401 - its events
)
from siae_app.tenancy import engine  # noqa: F401 - its events


def create_app(config: type[BaseConfig] | dict | None = None) -> Flask:
    app = Application(__name__, instance_relative_config=True)
    app.config.from_object(config_from_env())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _refuse_unsafe_production(app)
    tenancy.configure(app)  # the key that signs the structure setting (PostgreSQL RLS)
    figures_cache.configure(app)
    logging.basicConfig(level=logging.INFO)
    _trust_proxies(app)
    Compress(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app)
    htmx.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)

    from siae_app import auth_session, templating, web
    from siae_app.blueprints import register_blueprints
    from siae_app.cli import register_cli

    auth_session.init_login(app)
    web.init_request_hooks(app)
    web.init_error_pages(app)
    templating.init_templating(app)
    register_blueprints(app)
    register_cli(app)

    @app.get("/healthz")
    @limiter.exempt
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means "not ready"
            app.logger.exception("healthz: base de données injoignable")
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies (PROXY_FIX_X_FOR = N), the client address and scheme come
    from their X-Forwarded-For / -Proto headers, so the per-IP rate limit sees the person,
    not the proxy. With 0 (the default) these headers are ignored."""
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _refuse_unsafe_production(app: Flask) -> None:
    if app.config.get("ENV_NAME") != "production":
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise RuntimeError(
            "SECRET_KEY manquante ou trop faible : définissez une clé aléatoire d'au moins "
            "32 caractères dans l'environnement avant de démarrer en production."
        )
    # Printed on signed documents (the attestation's verification link) when no request tells
    # the address, e.g. in a background job: never a development address in production.
    base = app.config.get("PUBLIC_BASE_URL") or ""
    if not base.startswith("https://") or "127.0.0.1" in base or "localhost" in base:
        raise RuntimeError(
            "PUBLIC_BASE_URL manquante ou invalide : définissez l'adresse publique du site, en "
            "https (par exemple https://parcours.exemple.fr), avant de démarrer en production."
        )
