"""/login, /logout and /adgangskode (choosing one's own password)."""

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
from flask_login import current_user, login_required, login_user, logout_user

from webapp import clock
from webapp.auth import LAST_SEEN, SignedInStaff
from webapp.auth.passwords import MIN_LENGTH
from webapp.auth.services import MESSAGES, Limits, Outcome, authenticate, change_password
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
    result = authenticate(
        get_session(),
        username=username,
        password=password,
        client_addr=request.remote_addr or "",
        now=clock.now(),
        today=clock.today(),
        limits=_limits(),
    )
    if result.outcome is not Outcome.OK or result.staff is None:
        status = {Outcome.RATE_LIMITED: 429, Outcome.NO_MEMBERSHIP: 403}.get(result.outcome, 401)
        return _refuse(MESSAGES[result.outcome], username, target, status)
    session.clear()
    login_user(SignedInStaff(result.staff))
    session[LAST_SEEN] = clock.now().timestamp()
    session.permanent = True
    if result.staff.must_change_password:  # a one-time password from an administrator
        return redirect(url_for("auth.password"))
    return redirect(_safe_next(target))


def _limits() -> Limits:
    config = current_app.config
    return Limits(
        window=timedelta(minutes=int(config["LOGIN_WINDOW_MINUTES"])),
        per_account=int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
    )


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


@bp.get("/adgangskode")
@login_required
def password():
    return _password_page()


@bp.post("/adgangskode")
@login_required
def password_post():
    result = change_password(
        get_session(),
        current_user.staff,
        current=request.form.get("current", ""),
        new=request.form.get("password", ""),
        again=request.form.get("password_again", ""),
        client_addr=request.remote_addr or "",
        now=clock.now(),
        limits=_limits(),
    )
    if not result.ok:
        return _password_page(result.problems), 429 if result.rate_limited else 400
    flash("Din adgangskode er skiftet.", "success")
    return redirect(url_for("citizens.index"))


def _password_page(problems: tuple[str, ...] = ()) -> str:
    return render_template(
        "auth/change_password.html",
        problems=problems,
        one_time=current_user.must_change_password,
        min_length=MIN_LENGTH,
    )
