"""PWA: the manifest, the service worker (served from / so its scope is the whole app)
and the offline page."""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template

from webapp.assets import file_hash, path_hash, static_url

bp = Blueprint("pwa", __name__)

#: The app shell the service worker keeps: every static file a page needs.
SHELL_FILES = (
    "css/app.css",
    "js/app.js",
    "js/store.js",
    "js/sync.js",
    "js/tobs.js",
    "js/offline.js",
    "vendor/htmx-2.0.11.min.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
#: What the service worker itself runs: the queue on the phone and sending it.
SW_SCRIPTS = ("js/store.js", "js/sync.js")
THEME_COLOUR = "#0b5d67"


@bp.get("/manifest.webmanifest")
def manifest():
    body = {
        "name": "Opspor",
        "short_name": "Opspor",
        "description": "Tidlig opsporing og koordinering i hjemmeplejen",
        "lang": "da",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static_url("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static_url("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


def shell_version() -> str:
    """Changes whenever a shell file or the offline page changes."""
    offline = Path(current_app.template_folder or "") / "pwa" / "offline.html"
    parts = [file_hash(name) for name in SHELL_FILES] + [path_hash(offline)]
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    body = render_template(
        "pwa/sw.js",
        version=shell_version(),
        shell=[static_url(name) for name in SHELL_FILES],
        scripts=[static_url(name) for name in SW_SCRIPTS],
    )
    response = Response(body, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    response = Response(render_template("pwa/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response
