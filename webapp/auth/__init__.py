"""Sign-in: Flask-Login wiring and the idle timeout for shared phones."""

from datetime import timedelta

from flask import Flask, Response, flash, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from webapp import clock
from webapp.access.scope import staff_with_facts
from webapp.db import get_session
from webapp.htmx import current_path, is_htmx, is_poll, wants_json
from webapp.models import Staff
from webapp.security import SESSIONLESS_ENDPOINTS

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log ind for at fortsætte."
login_manager.session_protection = "basic"
SIGNED_OUT = "Du er logget ud. Log ind igen, så sendes det, der venter på telefonen."


class SignedInStaff:
    """Flask-Login's view of a Staff row."""

    def __init__(self, staff: Staff):
        self.staff = staff

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.staff.id)

    def __getattr__(self, name: str):
        return getattr(self.staff, name)


@login_manager.user_loader
def _load(user_id: str) -> SignedInStaff | None:
    if not user_id.isdigit():
        return None
    staff, facts = staff_with_facts(get_session(), int(user_id))
    if staff is None or not staff.active:
        return None
    g.membership_facts = facts  # for current_scope(), later in this request
    return SignedInStaff(staff)


LAST_SEEN = "last_seen"


def _idle_timeout():
    """Sign out after IDLE_TIMEOUT_MINUTES without a request: phones are shared."""
    if request.endpoint in SESSIONLESS_ENDPOINTS or not current_user.is_authenticated:
        return None
    now = clock.now().timestamp()
    limit = timedelta(minutes=int(_config("IDLE_TIMEOUT_MINUTES"))).total_seconds()
    last = session.get(LAST_SEEN)
    if last is not None and now - float(last) > limit:
        logout_user()
        session.clear()
        flash("Du er logget ud, fordi du ikke har brugt Opspor i et stykke tid.", "info")
        g.signed_out = True
        if is_htmx():  # a poll or a swap: the whole page goes to the sign-in
            return _to_login_page()
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if is_poll():
        return None  # the page polling on its own is not the person using the app
    session[LAST_SEEN] = now
    session.permanent = True
    return None


#: Reachable while a one-time password waits to be replaced: signing in and out, the password
#: page itself and the app shell. The phone's offline copy and queue (blueprint "offline") too:
#: what waits there is the person's own work and is sent as usual.
PASSWORD_OPEN_ENDPOINTS = SESSIONLESS_ENDPOINTS | {
    "auth.login",
    "auth.login_post",
    "auth.logout",
    "auth.password",
    "auth.password_post",
    "pwa.offline",
}


def _password_gate():
    """A person signed in with a one-time password chooses their own before anything else."""
    endpoint = request.endpoint  # None: an unknown address, which stays a 404
    if endpoint is None or endpoint in PASSWORD_OPEN_ENDPOINTS or request.blueprint == "offline":
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    target = url_for("auth.password")
    if is_htmx():
        response = Response(status=204)
        # Polls on the password page itself (the menu's badge) swap nothing: sending the page
        # to itself would reload it every few seconds and wipe what the person is typing.
        if current_path().partition("?")[0] != target:
            response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


def _to_login_page() -> Response:
    """For htmx: leave the page for the sign-in (a 302 would be followed by the XHR and the
    sign-in form swapped into a badge)."""
    response = Response(status=204)
    response.headers["HX-Redirect"] = url_for("auth.login", next=current_path())
    return response


@login_manager.unauthorized_handler
def _unauthorized():
    if wants_json():  # the phone's offline sync: keep what waits, ask for a new sign-in
        return jsonify(status="signed_out", message=SIGNED_OUT), 401
    if is_htmx():
        return _to_login_page()
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _config(key: str):
    from flask import current_app

    return current_app.config[key]


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_idle_timeout)
    app.before_request(_password_gate)
