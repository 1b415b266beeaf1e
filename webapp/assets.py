"""Static files: content-hashed URLs cached for a year, and gzip for text responses."""

import gzip
import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
)
MIN_GZIP_BYTES = 512


@cache
def _file_hash(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def path_hash(path: Path) -> str:
    """A short content hash, recomputed only when the file's mtime changes."""
    return _file_hash(str(path), path.stat().st_mtime)


def file_hash(filename: str) -> str:
    return path_hash(Path(current_app.static_folder or "") / filename)


def static_url(filename: str) -> str:
    """A URL that changes when the file does, so it can be cached as immutable."""
    return url_for("static", filename=filename, v=file_hash(filename))


def _cache_static(response: Response) -> Response:
    if request.endpoint == "static" and response.status_code == 200:
        if request.args.get("v"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
    return response


def _gzip(response: Response) -> Response:
    if (
        "gzip" not in request.headers.get("Accept-Encoding", "")
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or not response.mimetype.startswith(COMPRESSIBLE)
        or response.is_streamed
        and not response.direct_passthrough
    ):
        return response
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_GZIP_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_cache_static)
    app.after_request(_gzip)
    app.jinja_env.globals["static_url"] = static_url
