"""Settings classes. Secrets come from the environment only."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production


class BaseConfig:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'parcours.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    # The dashboard's figures between two changes of the data: "auto" (Redis when REDIS_URL is
    # set, else the process's memory), "memory" or "none".
    FIGURES_CACHE = os.environ.get("FIGURES_CACHE", "auto")
    # Rate limits live in Redis when there is one, so several app servers share them.
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT_IP = "30 per 5 minutes"
    LOGIN_RATE_LIMIT_ACCOUNT = "8 per 15 minutes"

    # Sessions: 30 minutes idle (refreshed on each request), 12 hours at most.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which expires anyway
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"

    INVITATION_MAX_AGE = timedelta(days=7)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Parcours SIAE <ne-pas-repondre@example.org>")

    # Attestations: the address printed in verification links when there is no request (demo,
    # background jobs), and the limit of the public verification page.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute")
    # Signed badges: the secret the structures' private signing keys are encrypted with
    # (HKDF-derived Fernet key); when unset, derived from SECRET_KEY (docs, « Badges signés »).
    CREDENTIAL_KEYS_SECRET = os.environ.get("CREDENTIAL_KEYS_SECRET")
    # Passkeys (WebAuthn): the relying party id (a domain, no port) and the origin the browser
    # reports; when unset, the host and the scheme+host of the request (docs/comptes.md).
    WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID")
    WEBAUTHN_ORIGIN = os.environ.get("WEBAUTHN_ORIGIN")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "parcours")

    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    HSTS = False
    ENV_NAME = "development"

    # Accounts (sec-accounts)
    # Wrong passwords slow an account down instead of locking it: after LOGIN_SLOWDOWN_AFTER
    # failures (counted until the window passes with none), each new attempt waits 2, 4, 8...
    # seconds, at most LOGIN_SLOWDOWN_MAX_SECONDS. Counters live in the rate-limit storage
    # (Redis when REDIS_URL is set). A device that already signed in to the account (signed
    # cookie) is not held up by the wait when it gives the right password.
    LOGIN_SLOWDOWN_AFTER = 5
    LOGIN_SLOWDOWN_WINDOW = timedelta(minutes=15)
    LOGIN_SLOWDOWN_MAX_SECONDS = 300
    KNOWN_DEVICE_COOKIE = "siae_appareil"
    KNOWN_DEVICE_MAX_AGE = timedelta(days=180)
    TRUSTED_DEVICE_COOKIE = "siae_appareil_de_confiance"

    # Web (field-habits)
    # Behind a reverse proxy: how many proxies set X-Forwarded-For / -Proto (0 = none:
    # the headers are ignored, as anyone could forge them).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    # Responses compressed when the browser accepts it (static files included).
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]  # static files are streamed; no gzip there
    COMPRESS_LEVEL = 6
    COMPRESS_BR_LEVEL = 5
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    ]


class DevelopmentConfig(BaseConfig):
    pass


class TestConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    STATIC_RECHECK_SECONDS = 0  # tests edit static files and expect the new version at once
    # Tests roll back what they wrote: a revision number, hence a cache key, comes again.
    FIGURES_CACHE = "none"
    SERVER_NAME = "localhost"
    ENV_NAME = "test"


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    ENV_NAME = "production"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[BaseConfig]:
    return CONFIGS[os.environ.get("SIAE_ENV", "development")]
