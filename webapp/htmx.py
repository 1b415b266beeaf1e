"""One URL, two representations: an htmx request gets the fragment, anything else the page."""

import hashlib

from flask import Flask, Response, render_template, request


def is_htmx() -> bool:
    """True for htmx swaps of a part of the page; boosted navigation and history
    restores need the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


#: The query parameter a polling element sends: the version of what it shows now.
POLL_VERSION = "v"


def is_poll() -> bool:
    """A request the page makes on its own every few seconds (``every 10s`` with a
    version). The person did nothing: it must not keep the session alive, so the idle
    sign-out still works on a shared phone, and it sends no new session cookie."""
    return is_htmx() and POLL_VERSION in request.args


def wants_json() -> bool:
    """The phone's offline machinery (/offline/...) talks JSON, errors included."""
    return request.path.startswith("/offline/")


def current_path() -> str:
    """The page an htmx request came from (for ``next=`` after signing in again)."""
    url = request.headers.get("HX-Current-URL", "")
    path = url.split("://", 1)[-1].partition("/")[2]
    return "/" + path if path else "/"


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    return render_template(fragment if is_htmx() else page, **context)


#: Stands in for the version while a polled fragment is rendered (and hashed).
PLACEHOLDER = "~v~"


def _unchanged() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def render_polled(page: str, fragment: str, context: dict) -> Response:
    """A part of a page that polls itself (``hx-get`` with ``v=version``, ``every 10s``): its
    URL carries the version of what it shows (a hash of the fragment). While nothing changed
    the poll gets ``204 No Content`` (htmx swaps nothing) and no body; otherwise the fragment,
    or the whole page when opened directly. Templates put ``v=version`` in the polling URL.
    Nothing is kept in the browser's cache (pages are ``no-store``)."""
    body = render_template(fragment, version=PLACEHOLDER, **context)
    version = hashlib.blake2b(body.encode(), digest_size=8).hexdigest()
    if is_poll() and request.args.get(POLL_VERSION) == version:
        return _unchanged()
    if is_htmx():
        return Response(body.replace(PLACEHOLDER, version), mimetype="text/html")
    return Response(render_template(page, version=version, **context), mimetype="text/html")


def _vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_vary)
