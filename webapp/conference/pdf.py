"""The forløbskonference's PDFs (DOMAIN §9), rendered with WeasyPrint from the print
templates (`templates/print/`) and `static/css/print.css`. No Flask app context needed.

`list_html` / `minutes_html` return the finished HTML (the bench times WeasyPrint alone on
it); `render_list` / `render_minutes` return the PDF bytes. WeasyPrint is imported on first
use: it takes about a second to import, which app start-up and most tests need not pay.
"""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from webapp.conference import sheet as fmt
from webapp.conference.sheet import ConferenceSheet

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"
#: WeasyPrint resolves `css/print.css` against this; the trailing slash matters.
BASE_URL = (ROOT / "static").as_uri() + "/"


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=fmt.day_text,
        full_day=fmt.full_day_text,
        long_day=fmt.long_day_text,
        weekday_day=fmt.weekday_day_text,
        clock=fmt.clock_text,
        moment=fmt.moment_text,
        full_moment=fmt.full_moment_text,
    )
    return env


def list_html(sheet: ConferenceSheet) -> str:
    """The konferenceliste as HTML, ready for WeasyPrint (with `BASE_URL`)."""
    return _env().get_template("print/conference_list.html").render(sheet=sheet)


def minutes_html(sheet: ConferenceSheet) -> str:
    """The referat as HTML, ready for WeasyPrint (with `BASE_URL`)."""
    return _env().get_template("print/conference_minutes.html").render(sheet=sheet)


def html_to_pdf(html: str) -> bytes:
    """Any HTML using `BASE_URL`-relative links. Only local files are fetched (the
    stylesheet): a PDF of health data makes no network requests."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file"})
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def render_list(sheet: ConferenceSheet) -> bytes:
    """The konferenceliste PDF (A4), printed before the meeting."""
    return html_to_pdf(list_html(sheet))


def render_minutes(sheet: ConferenceSheet) -> bytes:
    """The referat PDF (A4), printed after the meeting."""
    return html_to_pdf(minutes_html(sheet))
