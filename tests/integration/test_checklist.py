"""Observationspunkter: the admin edits the observation checklist; nobody else sees it."""

import re

import pytest
from sqlmodel import select

from tests.conftest import CSRF, csrf_token, login
from tests.factories import PASSWORD, make_membership, make_staff, make_team
from webapp.domain.roles import Role
from webapp.models import ObservationItem

URL = "/organisation/observationspunkter"
SEEDED = 17


@pytest.fixture
def admin(db):
    team = make_team(db)
    person = make_staff(db, {Role.ADMIN}, "admin")
    make_membership(db, person, team=team)
    db.commit()
    return person


@pytest.fixture
def admin_client(client, admin):
    assert login(client, "admin", PASSWORD).status_code == 302
    return client


def token(client) -> str:
    match = CSRF.search(client.get(URL).get_data(as_text=True))
    assert match
    return match.group(1)


def post(client, path: str = "", **data):
    return client.post(URL + path, data={"csrf_token": token(client), **data})


def items(db) -> list[ObservationItem]:
    db.expire_all()
    return list(db.exec(select(ObservationItem).order_by(ObservationItem.position)).all())


def by_label(db, label: str) -> ObservationItem:
    db.expire_all()
    return db.exec(select(ObservationItem).where(ObservationItem.label == label)).one()


def by_label_key(db, key: str) -> ObservationItem:
    db.expire_all()
    return db.exec(select(ObservationItem).where(ObservationItem.key == key)).one()


def active_labels(db) -> list[str]:
    return [i.label for i in items(db) if i.active]


def text(response) -> str:
    return response.get_data(as_text=True)


# --- Access ---------------------------------------------------------------------------------

ITEM_POSTS = [
    ("", {"label": "Nyt punkt"}),
    ("/1/tekst", {"label": "Nyt navn"}),
    ("/1/tobs", {"tobs": "nej"}),
    ("/1/flyt", {"direction": "ned"}),
    ("/1/brug", {"active": "nej"}),
]


@pytest.mark.parametrize("role", [Role.HELPER, Role.ASSISTANT, Role.NURSE, Role.LEADER])
def test_everyone_but_the_admin_gets_404(client, db, role):
    team = make_team(db)
    make_membership(db, make_staff(db, {role}, "someone"), team=team)
    db.commit()
    login(client, "someone", PASSWORD)
    csrf = csrf_token(client)
    assert client.get(URL).status_code == 404
    assert client.get(URL + "/1").status_code == 404
    for path, data in ITEM_POSTS:
        response = client.post(URL + path, data={"csrf_token": csrf, **data})
        assert response.status_code == 404, path
        assert "Siden findes ikke" in text(response)
    assert len(active_labels(db)) == SEEDED and by_label(db, "Mere træt eller sløv").position == 1


def test_signed_out_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_organisation_page_links_here(admin_client):
    assert f'href="{URL}"' in text(admin_client.get("/organisation/"))


def test_admin_sees_the_seeded_items_in_order(admin_client, db):
    page = text(admin_client.get(URL))
    labels = [i.label for i in items(db)]
    assert len(labels) == SEEDED
    positions = [page.index(f">{label}<") for label in labels]
    assert positions == sorted(positions)
    assert 'I brug <span class="count">(17)</span>' in page
    assert page.count(">Beder om TOBS<") == 4
    assert "Ikke i brug" not in page


def test_pages_have_no_inline_styles_or_scripts(admin_client):
    for path in ("", "/1"):
        html = text(admin_client.get(URL + path))
        assert "style=" not in html and "<style" not in html
        assert "<script>" not in html and "<script " not in html.replace("<script src=", "")


def test_unknown_item_is_404_for_the_admin(admin_client):
    assert admin_client.get(URL + "/999").status_code == 404
    assert post(admin_client, "/999/tekst", label="X").status_code == 404


# --- Add ------------------------------------------------------------------------------------


def test_add_puts_the_item_last_with_a_key_from_the_label(admin_client, db):
    response = post(admin_client, label="  Hævede   ben ")
    assert response.status_code == 303 and response.headers["Location"] == URL
    item = items(db)[-1]
    assert (item.label, item.key, item.position) == ("Hævede ben", "haevede_ben", SEEDED + 1)
    assert item.active and not item.triggers_tobs
    page = text(admin_client.get(URL))
    assert "»Hævede ben« er tilføjet nederst på listen." in page
    last_seeded = ">Borger eller pårørende siger, at noget er galt<"
    assert page.index(">Hævede ben<") > page.index(last_seeded)


def test_a_taken_key_gets_a_suffix(admin_client, db):
    assert post(admin_client, label="Svimmel!").status_code == 303
    assert by_label(db, "Svimmel!").key == "svimmel_2"
    assert by_label(db, "Svimmel").key == "svimmel"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "Skriv teksten til punktet."),
        ("   ", "Skriv teksten til punktet."),
        ("x" * 121, "Teksten må højst være 120 tegn."),
        ("svimmel", "Der er allerede et punkt i brug med den tekst."),
        ("  SPISER   mindre ", "Der er allerede et punkt i brug med den tekst."),
    ],
)
def test_bad_label_is_a_400_with_the_form_refilled(admin_client, db, label, message):
    response = post(admin_client, label=label)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert f'value="{label}"' in page  # what the admin typed is not lost
    assert 'aria-invalid="true"' in page
    assert len(items(db)) == SEEDED


def test_label_of_120_characters_is_fine(admin_client, db):
    assert post(admin_client, label="æ" * 120).status_code == 303
    assert items(db)[-1].key == "ae" * 20


def test_a_retired_label_may_be_used_again(admin_client, db):
    old = by_label(db, "Svimmel")
    post(admin_client, f"/{old.id}/brug", active="nej")
    assert post(admin_client, label="Svimmel").status_code == 303
    new = [i for i in items(db) if i.label == "Svimmel" and i.active]
    assert len(new) == 1 and new[0].key == "svimmel_2"
    assert by_label_key(db, "svimmel").active is False


# --- Rename, TOBS ---------------------------------------------------------------------------


def test_rename_keeps_the_key(admin_client, db):
    item = by_label(db, "Svimmel")
    page = text(admin_client.get(f"{URL}/{item.id}"))
    assert 'value="Svimmel"' in page and "svimmel" in page
    response = post(admin_client, f"/{item.id}/tekst", label="Svimmel eller ustabil")
    assert response.status_code == 303
    db.refresh(item)
    assert (item.label, item.key, item.active) == ("Svimmel eller ustabil", "svimmel", True)
    assert "Teksten er nu »Svimmel eller ustabil«." in text(admin_client.get(URL))


def test_rename_may_change_only_the_case(admin_client, db):
    item = by_label(db, "Svimmel")
    assert post(admin_client, f"/{item.id}/tekst", label="SVIMMEL").status_code == 303
    db.refresh(item)
    assert item.label == "SVIMMEL"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("Spiser mindre", "Der er allerede et punkt i brug med den tekst."),
        ("", "Skriv teksten til punktet."),
        ("y" * 121, "Teksten må højst være 120 tegn."),
    ],
)
def test_bad_rename_is_a_400_and_changes_nothing(admin_client, db, label, message):
    item = by_label(db, "Svimmel")
    response = post(admin_client, f"/{item.id}/tekst", label=label)
    assert response.status_code == 400
    assert message in text(response) and f'value="{label}"' in text(response)
    db.refresh(item)
    assert item.label == "Svimmel"


def test_toggle_beder_om_tobs(admin_client, db):
    item = by_label(db, "Svimmel")
    assert not item.triggers_tobs
    assert post(admin_client, f"/{item.id}/tobs", tobs="ja").status_code == 303
    db.refresh(item)
    assert item.triggers_tobs
    assert "»Svimmel« beder nu om TOBS." in text(admin_client.get(URL))
    assert post(admin_client, f"/{item.id}/tobs", tobs="nej").status_code == 303
    db.refresh(item)
    assert not item.triggers_tobs


@pytest.mark.parametrize(("path", "data"), [("/tobs", {"tobs": "måske"}), ("/flyt", {})])
def test_tampered_values_are_a_400(admin_client, db, path, data):
    response = post(admin_client, "/1" + path, **data)
    assert response.status_code == 400 and "Forkert forespørgsel" in text(response)


# --- Order ----------------------------------------------------------------------------------


def test_move_up_and_down(admin_client, db):
    first, second, third = active_labels(db)[:3]
    item = by_label(db, second)
    response = post(admin_client, f"/{item.id}/flyt", direction="op")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{URL}#punkt-{item.id}"
    assert active_labels(db)[:3] == [second, first, third]
    post(admin_client, f"/{item.id}/flyt", direction="ned")
    post(admin_client, f"/{item.id}/flyt", direction="ned")
    assert active_labels(db)[:3] == [first, third, second]
    assert [i.position for i in items(db)] == list(range(1, SEEDED + 1))


def test_moving_past_either_end_changes_nothing(admin_client, db):
    before = active_labels(db)
    post(admin_client, f"/{by_label(db, before[0]).id}/flyt", direction="op")
    post(admin_client, f"/{by_label(db, before[-1]).id}/flyt", direction="ned")
    assert active_labels(db) == before


def test_first_and_last_have_disabled_arrows(admin_client):
    page = text(admin_client.get(URL))
    assert len(re.findall(r"<button[^>]*\bdisabled\b", page)) == 2


# --- Retire, re-activate --------------------------------------------------------------------


def test_retire_keeps_the_item_and_reactivate_puts_it_last(admin_client, db):
    item = by_label(db, "Drikker mindre")
    assert post(admin_client, f"/{item.id}/brug", active="nej").status_code == 303
    db.refresh(item)
    assert not item.active and item.key == "drikker_mindre"
    assert len(items(db)) == SEEDED  # never deleted
    assert "Drikker mindre" not in active_labels(db)
    page = text(admin_client.get(URL))
    assert 'Ikke i brug <span class="count">(1)</span>' in page
    assert page.index(">Drikker mindre<") > page.index("Ikke i brug <span")
    assert post(admin_client, f"/{item.id}/flyt", direction="op").status_code == 400

    assert post(admin_client, f"/{item.id}/brug", active="ja").status_code == 303
    db.refresh(item)
    assert item.active and active_labels(db)[-1] == "Drikker mindre"
    assert "»Drikker mindre« er i brug igen, nederst på listen." in text(admin_client.get(URL))


def test_reactivating_a_duplicate_label_is_a_400(admin_client, db):
    old = by_label(db, "Svimmel")
    post(admin_client, f"/{old.id}/brug", active="nej")
    post(admin_client, label="svimmel")
    response = post(admin_client, f"/{old.id}/brug", active="ja")
    assert response.status_code == 400
    assert "Giv punktet en anden tekst først." in text(response)
    db.refresh(old)
    assert not old.active


def test_retired_item_can_be_renamed_and_then_reactivated(admin_client, db):
    old = by_label(db, "Svimmel")
    post(admin_client, f"/{old.id}/brug", active="nej")
    post(admin_client, label="Svimmel")
    assert post(admin_client, f"/{old.id}/tekst", label="Svimmel (gammel)").status_code == 303
    assert post(admin_client, f"/{old.id}/brug", active="ja").status_code == 303
    assert active_labels(db)[-2:] == ["Svimmel", "Svimmel (gammel)"]


# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "data"), ITEM_POSTS)
def test_post_without_csrf_token_is_refused(admin_client, db, path, data):
    response = admin_client.post(URL + path, data=data)
    assert response.status_code == 400
    assert "Formularen var for gammel" in text(response)
    assert len(items(db)) == SEEDED
    assert by_label(db, "Mere træt eller sløv").position == 1
