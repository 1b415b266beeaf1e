"""One URL, two representations: an htmx request gets the fragment, anything else the page."""

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


def current_path() -> str:
    """The page an htmx request came from (for ``next=`` after signing in again)."""
    url = request.headers.get("HX-Current-URL", "")
    path = url.split("://", 1)[-1].partition("/")[2]
    return "/" + path if path else "/"


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    return render_template(fragment if is_htmx() else page, **context)


def _vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_vary)
