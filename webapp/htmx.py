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


def render_page_or_fragment(page: str, fragment: str, **context) -> str:
    return render_template(fragment if is_htmx() else page, **context)


def _vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_vary)
