"""Security headers, errors, PWA files, static caching and compression."""

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import login
from tests.factories import PASSWORD, make_membership, make_staff, make_team
from webapp import create_app
from webapp.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]
HTMX = ROOT / "static" / "vendor" / "htmx-2.0.11.min.js"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_is_the_pinned_release():
    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256
    assert (HTMX.parent / "htmx-2.0.11.LICENSE").exists()


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_no_inline_scripts_or_styles_in_pages(client, db):
    team = make_team(db)
    make_membership(db, make_staff(db, username="h"), team=team)
    db.commit()
    pages = [client.get("/login").get_data(as_text=True)]
    login(client, "h", PASSWORD)
    pages.append(client.get("/").get_data(as_text=True))
    for html in pages:
        assert "<script>" not in html and "<script " not in html.replace("<script src=", "")
        assert "style=" not in html and "<style" not in html


def test_unknown_page_is_a_danish_404(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404 and "Siden findes ikke" in response.get_data(as_text=True)


def test_wrong_method_is_405(client):
    assert client.delete("/login").status_code == 405


def test_manifest(client):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.get_data(as_text=True))
    assert response.mimetype == "application/manifest+json"
    assert manifest["display"] == "standalone" and manifest["theme_color"]
    assert manifest["lang"] == "da"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_versioned_and_lists_the_shell(client):
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert 'const CACHE = "opspor-shell-' in body and "/offline" in body
    assert "/static/vendor/htmx-2.0.11.min.js?v=" in body


def test_offline_page_is_danish(client):
    html = client.get("/offline").get_data(as_text=True)
    assert "Ingen forbindelse" in html and "ring 112" in html


def test_versioned_static_files_are_immutable_and_compressed(client):
    html = client.get("/login").get_data(as_text=True)
    href = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert "?v=" in href
    response = client.get(href, headers={"Accept-Encoding": "gzip"})
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Opspor" in gzip.decompress(response.get_data())


def test_pages_are_compressed_when_asked(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Log ind" in gzip.decompress(response.get_data()).decode()


def test_production_refuses_to_start_without_a_secret(database_url):
    with pytest.raises(ConfigError):
        create_app({"ENV": "production", "DATABASE_URL": database_url})


def test_production_refuses_demo_data(database_url):
    app = create_app({"ENV": "production", "DATABASE_URL": database_url, "SECRET_KEY": "s"})
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0 and "production" in result.output
    app.extensions["engine"].dispose()


def test_public_files_never_carry_the_session_cookie(client, db):
    """A file cached for a year must not set (or vary on) the signed-in person's cookie."""
    team = make_team(db)
    make_membership(db, make_staff(db, username="h"), team=team)
    db.commit()
    login(client, "h", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    href = html.split('rel="stylesheet" href="')[1].split('"')[0]
    for url in (href, "/manifest.webmanifest", "/sw.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
    assert client.get("/manifest.webmanifest").headers["Cache-Control"] == "no-cache"
    assert "Set-Cookie" in client.get("/").headers  # pages still refresh the idle timeout
