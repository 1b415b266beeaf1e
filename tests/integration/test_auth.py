"""Sign-in, sign-out, the idle timeout, rate limiting and cookie flags."""

from datetime import date

import pytest
from sqlmodel import select

from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_membership, make_staff, make_team
from webapp.models import LoginAttempt


@pytest.fixture
def helper(db):
    team = make_team(db)
    person = make_staff(db, username="hanne")
    make_membership(db, person, team=team)
    db.commit()
    return person


def test_login_page_is_danish(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Log ind" in page and "Brugernavn" in page and "Adgangskode" in page
    assert 'lang="da"' in page


def test_sign_in_and_out(client, helper):
    response = login(client, "hanne", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    token = csrf_token(client)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_username_is_case_and_space_insensitive(client, helper):
    assert login(client, "  Hanne ", PASSWORD).status_code == 302


@pytest.mark.parametrize(("username", "password"), [("hanne", "forkert"), ("ukendt", PASSWORD)])
def test_wrong_credentials_get_one_danish_message(client, helper, username, password):
    response = login(client, username, password)
    assert response.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in response.get_data(as_text=True)


def test_empty_fields_are_a_400_with_a_message(client, helper):
    response = login(client, "", "")
    assert response.status_code == 400
    assert "Skriv dit brugernavn og din adgangskode." in response.get_data(as_text=True)


def test_inactive_staff_cannot_sign_in(client, db, helper):
    helper.active = False
    db.add(helper)
    db.commit()
    assert login(client, "hanne", PASSWORD).status_code == 401


def test_no_valid_membership_today_cannot_sign_in(client, db):
    team = make_team(db)
    temp = make_staff(db, username="vikar")
    make_membership(db, temp, team=team, valid_from=date(2026, 1, 1), valid_to=date(2026, 11, 21))
    db.commit()
    response = login(client, "vikar", PASSWORD)
    assert response.status_code == 403
    assert "ikke tilknyttet et team i dag" in response.get_data(as_text=True)


def test_membership_ending_today_still_signs_in(client, db):
    team = make_team(db)
    temp = make_staff(db, username="elev")
    make_membership(db, temp, team=team, valid_from=date(2026, 1, 1), valid_to=date(2026, 11, 22))
    db.commit()
    assert login(client, "elev", PASSWORD).status_code == 302


def test_login_without_csrf_token_is_refused(client, helper):
    response = client.post("/login", data={"username": "hanne", "password": PASSWORD})
    assert response.status_code == 400
    assert "Formularen var for gammel" in response.get_data(as_text=True)


def test_logout_needs_csrf(client, helper):
    login(client, "hanne", PASSWORD)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_rate_limit_per_account(client, helper, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert login(client, "hanne", "forkert").status_code == 401
    response = login(client, "hanne", PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert "For mange forsøg" in response.get_data(as_text=True)


def test_rate_limit_expires_after_the_window(client, helper, app, clock):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, "hanne", "forkert")
    clock.advance(minutes=app.config["LOGIN_WINDOW_MINUTES"] + 1)
    assert login(client, "hanne", PASSWORD).status_code == 302


def test_rate_limit_per_address(client, db, app):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):
        login(client, f"ukendt{n}", "forkert")
    team = make_team(db)
    make_membership(db, make_staff(db, username="other"), team=team)
    db.commit()
    assert login(client, "other", PASSWORD).status_code == 429


def test_attempts_are_recorded(client, db, helper):
    login(client, "hanne", "forkert")
    login(client, "hanne", PASSWORD)
    attempts = db.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [a.succeeded for a in attempts] == [False, True]
    assert attempts[0].username == "hanne"


def test_idle_timeout_signs_out(client, helper, app, clock):
    login(client, "hanne", PASSWORD)
    clock.advance(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
    assert client.get("/").status_code == 200  # activity resets the timer
    clock.advance(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
    assert client.get("/").status_code == 200
    clock.advance(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1)
    response = client.get("/borgere/1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/borgere/1")
    assert client.get("/").status_code == 302  # the session is gone


def test_idle_timeout_is_configurable(db, database_url, clock):
    from webapp import create_app

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "x", "CLOCK": clock, "IDLE_TIMEOUT_MINUTES": 5}
    )
    team = make_team(db)
    make_membership(db, make_staff(db, username="kort"), team=team)
    db.commit()
    client = app.test_client()
    login(client, "kort", PASSWORD)
    clock.advance(minutes=6)
    assert client.get("/").status_code == 302
    app.extensions["engine"].dispose()


def test_next_is_followed_only_when_local(client, helper):
    response = login(client, "hanne", PASSWORD, next="/borgere/7")
    assert response.headers["Location"] == "/borgere/7"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_next_to_another_site_is_ignored(client, helper, target):
    response = login(client, "hanne", PASSWORD, next=target)
    assert response.headers["Location"] == "/"


def test_session_cookie_flags(client, helper):
    response = login(client, "hanne", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in tests


def test_session_cookie_is_secure_over_https(client, helper):
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"username": "hanne", "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
