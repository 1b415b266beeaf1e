"""/login and /logout."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from webapp import clock
from webapp.auth import LAST_SEEN, SignedInStaff
from webapp.auth.services import MESSAGES, Limits, Outcome, authenticate
from webapp.db import get_session

bp = Blueprint("auth", __name__)

MAX_FIELD = 200


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login page cannot be used to send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("citizens.index")


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", username="", next=request.args.get("next", ""))


@bp.post("/login")
def login_post():
    username = request.form.get("username", "")[:MAX_FIELD]
    password = request.form.get("password", "")[:MAX_FIELD]
    target = request.form.get("next", "")
    if not username.strip() or not password:
        return _refuse("Skriv dit brugernavn og din adgangskode.", username, target, 400)
    config = current_app.config
    result = authenticate(
        get_session(),
        username=username,
        password=password,
        client_addr=request.remote_addr or "",
        now=clock.now(),
        today=clock.today(),
        limits=Limits(
            window=timedelta(minutes=int(config["LOGIN_WINDOW_MINUTES"])),
            per_account=int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
            per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        ),
    )
    if result.outcome is not Outcome.OK or result.staff is None:
        status = {Outcome.RATE_LIMITED: 429, Outcome.NO_MEMBERSHIP: 403}.get(result.outcome, 401)
        return _refuse(MESSAGES[result.outcome], username, target, status)
    session.clear()
    login_user(SignedInStaff(result.staff))
    session[LAST_SEEN] = clock.now().timestamp()
    session.permanent = True
    return redirect(_safe_next(target))


def _refuse(message: str, username: str, target: str, status: int):
    return (
        render_template("auth/login.html", error=message, username=username, next=target),
        status,
    )


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash("Du er logget ud.", "info")
    return redirect(url_for("auth.login"))
