"""Security headers, CSRF, cookie flags and the proxy setting."""

from flask import Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.htmx import is_poll

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


#: Responses that are the same for everyone: they never carry the session cookie.
SESSIONLESS_ENDPOINTS = frozenset({"static", "pwa.manifest", "pwa.service_worker"})


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https, and leaves the
    session alone on public files: no Set-Cookie on a response cached for a year (a shared
    cache could hand it to others) and no `Vary: Cookie`, which made the browser revalidate
    its cached copy whenever the refreshed cookie had changed."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def save_session(self, app: Flask, session, response: Response) -> None:
        if request.endpoint in SESSIONLESS_ENDPOINTS:
            return
        if is_poll() and not g.get("signed_out"):
            return  # a poll neither prolongs nor re-sends the session
        super().save_session(app, session, response)


def _headers(response: Response) -> Response:
    if response.status_code != 204:  # no body, nothing for a policy to govern
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint == "pwa.manifest":
        response.headers.setdefault("Cache-Control", "no-cache")  # no health data in it
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        # Pages hold health data: never stored by shared caches or the browser's disk cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.after_request(_headers)
    from webapp import assets

    assets.init_app(app)
