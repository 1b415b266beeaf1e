"""Shared fixtures: a migrated database per run, a clean one per test, a settable clock."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from tests.database import fresh_database, prepare_template
from webapp import create_app
from webapp.db import make_engine

# Sunday 22 November 2026, 10:00 in Copenhagen.
START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, at: datetime = START):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture(scope="session")
def template_url(tmp_path_factory) -> str:
    return prepare_template(tmp_path_factory.mktemp("db"))


@pytest.fixture
def database_url(template_url, tmp_path) -> str:
    return fresh_database(template_url, tmp_path, "test")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(database_url, clock, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "CLOCK": clock,
        }
    )
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def db(app):
    """A session for arranging data; commit to make it visible to requests."""
    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client) -> str:
    response = client.get("/login")
    if response.status_code == 302:  # signed in: the logout form carries one
        response = client.get("/")
        if response.status_code == 302:
            response = client.get(response.headers["Location"])
    match = CSRF.search(response.get_data(as_text=True))
    assert match, "the login page has a CSRF token"
    return match.group(1)


def login(client, username: str, password: str, **extra):
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token, **extra}
    )
