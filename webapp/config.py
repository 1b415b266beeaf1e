"""Configuration: dev defaults, then WEBAPP_* environment variables, then test overrides.

Production (WEBAPP_ENV=production) refuses to start without WEBAPP_SECRET_KEY.
"""

import os
import secrets
from pathlib import Path

from flask import Flask


class ConfigError(RuntimeError):
    pass


def load(app: Flask, overrides: dict) -> None:
    instance = Path(app.instance_path)
    app.config.from_mapping(
        ENV="development",
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'opspor.db'}"),
        IDLE_TIMEOUT_MINUTES=30,
        LOGIN_WINDOW_MINUTES=15,
        LOGIN_MAX_FAILURES_PER_ACCOUNT=5,
        LOGIN_MAX_FAILURES_PER_ADDRESS=20,
        TRUSTED_PROXIES=0,
        SESSION_COOKIE_NAME="opspor_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=True,
        TIMEZONE="Europe/Copenhagen",
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Kontakt sygeplejerske: minutes to answer per hast, and the shift starts (dag, aften,
        # nat) the duty roster uses. Override e.g. WEBAPP_SHIFT_STARTS="06:30,14:30,22:30".
        ESCALATION_ANSWER_MINUTES={"haster": 30, "i_dag": 240, "konference": 4 * 24 * 60},
        SHIFT_STARTS="07:00,15:00,23:00",
    )
    app.config.from_prefixed_env("WEBAPP")
    app.config.update(overrides)
    app.config["PERMANENT_SESSION_LIFETIME"] = 60 * int(app.config["IDLE_TIMEOUT_MINUTES"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _dev_secret(app, instance)


def is_production(app: Flask) -> bool:
    return str(app.config.get("ENV", "")).lower() == "production"


def _dev_secret(app: Flask, instance: Path) -> str:
    """Generated once into instance/ (git-ignored) so dev sessions survive restarts."""
    if is_production(app):
        raise ConfigError("WEBAPP_SECRET_KEY skal være sat, når WEBAPP_ENV=production.")
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
