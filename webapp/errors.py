"""Danish error pages; bad input is a 4xx with a clear message, never a 500."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

from webapp.htmx import wants_json

CSRF_JSON = "Sikkerhedsnøglen var udløbet. Telefonen henter en ny og sender igen."

MESSAGES = {
    400: ("Forkert forespørgsel", "Siden kunne ikke forstå det, der blev sendt."),
    403: ("Ingen adgang", "Du har ikke adgang til denne side."),
    404: ("Siden findes ikke", "Siden findes ikke, eller du har ikke adgang til den."),
    405: ("Ikke tilladt", "Den handling kan ikke bruges her."),
    413: ("For stor", "Det, der blev sendt, er for stort."),
    429: ("For mange forsøg", "Vent lidt, og prøv igen."),
    500: ("Der skete en fejl", "Prøv igen om lidt. Fejlen er registreret."),
}


def _page(status: int, detail: str | None = None):
    title, text = MESSAGES[status]
    return render_template("errors/error.html", title=title, text=detail or text), status


NUL_MESSAGE = "Det sendte indeholdt et ugyldigt tegn (NUL). Prøv igen uden det."


def _refuse_nul():
    """A NUL character can never be stored (PostgreSQL refuses it in text) and is never typed
    by a person: refuse it at the door, in the query string and in form fields alike."""
    values = [*request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        if wants_json():
            return jsonify(status="refused", message=NUL_MESSAGE), 400
        return _page(400, NUL_MESSAGE)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
    for status in MESSAGES:
        app.register_error_handler(status, lambda e, s=status: _page(s))

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        if wants_json():  # the phone fetches a fresh token and sends again
            return jsonify(status="csrf", message=CSRF_JSON), 400
        return _page(400, "Formularen var for gammel. Gå tilbage, genindlæs siden, og prøv igen.")
