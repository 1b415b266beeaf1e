# ruff: noqa: F811  (the `helper` fixture is shared with test_auth)
"""A one-time password from an administrator is replaced at first sign-in (/adgangskode)."""

import re

import pytest
from sqlmodel import select

from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_membership, make_staff, make_team
from tests.integration.test_auth import helper  # noqa: F401 (the shared fixture)
from webapp.auth.passwords import password_problems
from webapp.models import LoginAttempt, Staff

NEW = "mine egne ord"


@pytest.fixture
def newcomer(db):
    team = make_team(db)
    person = make_staff(db, username="nina", must_change_password=True)
    make_membership(db, person, team=team)
    db.commit()
    return person


def _token(client) -> str:
    page = client.get("/adgangskode").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _change(client, password=NEW, again=None, **extra):
    data = {"password": password, "password_again": password if again is None else again}
    return client.post("/adgangskode", data={"csrf_token": _token(client), **data, **extra})


def _reload(db, person) -> Staff:
    db.expire_all()
    return db.exec(select(Staff).where(Staff.id == person.id)).one()


# The rules, as a pure function


def test_a_good_password_has_no_problems():
    assert password_problems(NEW, NEW, username="nina", same_as_old=False) == []


@pytest.mark.parametrize(
    ("new", "again", "same", "message"),
    [
        ("kort", "kort", False, "mindst 10 tegn"),
        ("x" * 201, "x" * 201, False, "højst være 200 tegn"),
        ("Nina.Hansen", "Nina.Hansen", False, "ikke være dit brugernavn"),
        (NEW, NEW, True, "ikke den du har nu"),
        (NEW, NEW + "!", False, "ikke ens"),
    ],
)
def test_each_rule_has_a_danish_message(new, again, same, message):
    problems = password_problems(new, again, username="nina.hansen", same_as_old=same)
    assert len(problems) == 1 and message in problems[0]


def test_two_hundred_characters_are_allowed():
    assert password_problems("x" * 200, "x" * 200, username="nina", same_as_old=False) == []


# Signing in with a one-time password


def test_sign_in_with_a_one_time_password_goes_to_the_password_page(client, newcomer):
    response = login(client, "nina", PASSWORD, next="/borgere/7")
    assert response.status_code == 302 and response.headers["Location"] == "/adgangskode"
    page = client.get("/adgangskode")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Vælg din egen adgangskode" in text
    assert 'autocomplete="new-password"' in text
    assert 'name="current"' not in text  # they have just typed it


@pytest.mark.parametrize("path", ["/", "/borgere/1", "/opfoelgninger/", "/henvendelser/", "/login"])
def test_every_page_leads_to_the_password_page(client, newcomer, path):
    login(client, "nina", PASSWORD)
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/adgangskode"
    assert response.status_code == 200


def test_a_page_is_a_303_to_the_password_page(client, newcomer):
    login(client, "nina", PASSWORD)
    response = client.get("/")
    assert response.status_code == 303 and response.headers["Location"] == "/adgangskode"


def test_a_form_post_elsewhere_is_a_303_too(client, newcomer):
    login(client, "nina", PASSWORD)
    token = _token(client)
    response = client.post("/borgere/1/observation", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/adgangskode"


def test_htmx_leaves_the_page_for_the_password_page(client, newcomer):
    login(client, "nina", PASSWORD)
    response = client.get(
        "/", headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/borgere/1"}
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/adgangskode"


def test_polls_on_the_password_page_itself_do_not_reload_it(client, newcomer):
    """The menu's badge polls on every page; sending the password page to itself would
    reload it in a loop (and wipe what the person types)."""
    login(client, "nina", PASSWORD)
    response = client.get(
        "/henvendelser/antal?v=",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/adgangskode"},
    )
    assert response.status_code == 204
    assert "HX-Redirect" not in response.headers


def test_the_offline_copy_and_app_shell_are_not_held_back(client, newcomer):
    login(client, "nina", PASSWORD)
    assert client.get("/offline/token").status_code == 200
    assert client.get("/koe").status_code == 200
    assert client.get("/offline").status_code == 200
    assert client.get("/sw.js").status_code == 200
    assert client.get("/manifest.webmanifest").status_code == 200


def test_logout_still_works(client, newcomer):
    login(client, "nina", PASSWORD)
    response = client.post("/logout", data={"csrf_token": _token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/adgangskode").status_code == 302  # signed out: to the sign-in
    assert client.get("/").headers["Location"].startswith("/login")


def test_the_sign_in_page_is_the_same_when_signed_out(client, newcomer):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Vælg din egen adgangskode" not in response.get_data(as_text=True)
    response = login(client, "nina", "forkert")
    assert response.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("kort", "kort", "Adgangskoden skal være mindst 10 tegn."),
        ("x" * 201, "x" * 201, "Adgangskoden må højst være 200 tegn."),
        ("nina", "nina", "Adgangskoden må ikke være dit brugernavn."),
        ("ninaninanina", "ninaninanina", None),
        (PASSWORD, PASSWORD, "Vælg en ny adgangskode, ikke den du har nu."),
        (NEW, "noget helt andet", "De to adgangskoder er ikke ens."),
        ("", "", "Adgangskoden skal være mindst 10 tegn."),
    ],
)
def test_each_rule_refuses_with_400(client, db, newcomer, password, again, message):
    login(client, "nina", PASSWORD)
    response = _change(client, password, again)
    if message is None:  # only the username itself is refused, not a longer password with it
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _reload(db, newcomer).must_change_password
    assert client.get("/").status_code == 303  # still held at the password page


def test_the_username_rule_ignores_case(client, newcomer, db):
    person = make_staff(db, username="langtnavn12", must_change_password=True)
    make_membership(db, person, team=make_team(db))
    db.commit()
    login(client, "langtnavn12", PASSWORD)
    response = _change(client, "LangtNavn12")
    assert response.status_code == 400
    assert "ikke være dit brugernavn" in response.get_data(as_text=True)


def test_the_form_needs_csrf(client, newcomer):
    login(client, "nina", PASSWORD)
    response = client.post("/adgangskode", data={"password": NEW, "password_again": NEW})
    assert response.status_code == 400
    assert "Formularen var for gammel" in response.get_data(as_text=True)


def test_success_clears_the_flag_and_the_new_password_works(client, db, newcomer):
    login(client, "nina", PASSWORD)
    response = _change(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "Din adgangskode er skiftet." in page.get_data(as_text=True)
    assert not _reload(db, newcomer).must_change_password
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert login(client, "nina", PASSWORD).status_code == 401
    response = login(client, "nina", NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


# Without a one-time password


def test_nothing_changes_without_the_flag(client, helper):
    response = login(client, "hanne", PASSWORD)
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    response = client.get("/", headers={"HX-Request": "true"})
    assert "HX-Redirect" not in response.headers


def test_a_voluntary_change_asks_for_the_current_password(client, db, helper):
    login(client, "hanne", PASSWORD)
    page = client.get("/adgangskode").get_data(as_text=True)
    assert 'name="current"' in page and 'autocomplete="current-password"' in page
    response = _change(client)
    assert response.status_code == 400
    assert "Skriv din nuværende adgangskode." in response.get_data(as_text=True)
    response = _change(client, current="forkert")
    assert response.status_code == 400
    assert "Din nuværende adgangskode er forkert." in response.get_data(as_text=True)
    response = _change(client, PASSWORD, current=PASSWORD)
    assert response.status_code == 400
    assert "ikke den du har nu" in response.get_data(as_text=True)
    response = _change(client, current=PASSWORD)
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert login(client, "hanne", PASSWORD).status_code == 401
    assert login(client, "hanne", NEW).status_code == 302


def test_a_wrong_current_password_says_nothing_about_the_new_one(client, helper):
    """Otherwise the form would tell whether a guess is the password, without a rate limit."""
    login(client, "hanne", PASSWORD)
    response = _change(client, PASSWORD, current="forkert")
    text = response.get_data(as_text=True)
    assert "forkert" in text and "ikke den du har nu" not in text


def test_guessing_the_current_password_is_rate_limited(client, db, helper, app):
    login(client, "hanne", PASSWORD)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert _change(client, current="forkert").status_code == 400
    response = _change(client, current=PASSWORD)  # even the right one waits
    assert response.status_code == 429
    assert "For mange forsøg" in response.get_data(as_text=True)
    attempts = db.exec(select(LoginAttempt).where(LoginAttempt.succeeded.is_(False))).all()
    assert len(attempts) == app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
