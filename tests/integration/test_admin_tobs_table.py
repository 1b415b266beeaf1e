# ruff: noqa: F811  (the `org` fixture is shared with test_admin_import)
"""The TOBS action table as versions: a new version with its approver and date, the old ones
readable, a saved TOBS keeps the version it was judged by, admin only, Danish refusals."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import START, csrf_token
from tests.integration.test_admin_import import org, signed_in  # noqa: F401 (fixture)
from webapp.domain.tobs_actions import DEFAULT_ACTION_ROWS
from webapp.models import AuditLog, TobsActionRow, TobsActionVersion

TODAY = START.date()  # Sunday 22 November 2026


def form_for(rows, approver="Overlæge Eva Holm", effective=None, **extra) -> dict:
    when = effective if isinstance(effective, str) else (effective or TODAY).isoformat()
    data = {"approver": approver, "effective": when, "note": ""}
    for i, r in enumerate(rows):
        data[f"r{i}_min"] = "" if r.min_score is None else str(r.min_score)
        data[f"r{i}_max"] = "" if r.max_score is None else str(r.max_score)
        data[f"r{i}_hast"] = r.urgency.value
        data[f"r{i}_tekst"] = r.text
        if r.any_parameter_three:
            data[f"r{i}_tre"] = "1"
        if r.escalate:
            data[f"r{i}_eskaler"] = "1"
    return {**data, **extra}


def post(c, data):
    return c.post("/admin/tobs/ny", data={"csrf_token": csrf_token(c), **data})


def test_the_form_starts_from_the_version_in_force(app, org):
    page = signed_in(app, "admin").get("/admin/tobs/ny").get_data(as_text=True)
    for row in DEFAULT_ACTION_ROWS:
        assert row.text in page
    assert 'name="r6_tekst"' in page  # two spare rows


def test_a_new_version_is_saved_logged_and_takes_effect_on_its_date(app, org, db):
    c = signed_in(app, "admin")
    later = TODAY + timedelta(days=10)
    rows = list(DEFAULT_ACTION_ROWS)
    data = form_for(rows, effective=later, r1_tekst="Mål igen tre gange i døgnet.")
    response = post(c, data)
    assert response.status_code == 303
    db.expire_all()
    version = db.exec(select(TobsActionVersion).order_by(TobsActionVersion.version.desc())).first()
    assert (version.version, version.approver, version.effective_from) == (
        2,
        "Overlæge Eva Holm",
        later,
    )
    assert version.locally_approved
    texts = db.exec(select(TobsActionRow.text).where(TobsActionRow.version_id == version.id)).all()
    assert "Mål igen tre gange i døgnet." in texts
    listing = c.get("/admin/tobs/").get_data(as_text=True)
    assert "Kommende" in listing and "I kraft" in listing
    entry = db.exec(select(AuditLog).where(AuditLog.entity == "tobs_handlingsanvisning")).one()
    assert "version 2" in entry.summary and "Mål igen tre gange" in entry.after
    assert "Mål TOBS igen 3 gange" in entry.before
    # The old version stays readable.
    assert "standard – skal godkendes lokalt" in c.get("/admin/tobs/1").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"approver": ""}, "Skriv hvem der har godkendt"),
        ({"effective": "2026-11-01"}, "tidligst gælde fra i dag"),
        ({"effective": "31.02.2027"}, "findes ikke"),
        ({"effective": "i morgen"}, "skal skrives som"),
        ({"r0_min": "x"}, "Fra-score skal være et helt tal"),
        ({"r3_min": "4"}, "Flere rækker dækker score 4"),
        ({"r3_min": "6"}, "Ingen række dækker score 5"),
        ({"r4_tre": ""}, "mangler en række for, når en enkelt måling giver 3"),
        ({"r2_hast": "straks"}, "Vælg hvor meget det haster"),
        ({"r1_tekst": ""}, "Skriv hvad man skal gøre"),
    ],
)
def test_a_bad_table_is_a_400_in_danish_and_saves_nothing(app, org, db, change, message):
    c = signed_in(app, "admin")
    response = post(c, form_for(DEFAULT_ACTION_ROWS, **change))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.expire_all()
    assert len(db.exec(select(TobsActionVersion)).all()) == 1


def test_garbage_never_500(app, org):
    c = signed_in(app, "admin")
    for value in ("", "-1", "9" * 50, "ø" * 2000, "<b>", "1.5"):
        data = {
            f"r{i}_{f}": value for i in range(14) for f in ("min", "max", "hast", "tekst", "tre")
        }
        assert post(c, {**data, "approver": value, "effective": value}).status_code == 400
    assert c.get("/admin/tobs/999999").status_code == 404


@pytest.mark.parametrize("path", ["/admin/tobs/", "/admin/tobs/ny", "/admin/tobs/1"])
def test_only_admin(app, org, path):
    assert signed_in(app, "hjaelper").get(path).status_code == 404
    assert signed_in(app, "admin").get(path).status_code == 200


def test_the_version_in_force_judges_new_measurements(app, org, db):
    """Effective today: the next TOBS is judged by it (the service picks the newest in force)."""
    from webapp.tobs.services import action_table_in_force

    c = signed_in(app, "admin")
    assert post(c, form_for(DEFAULT_ACTION_ROWS, r0_tekst="Ingen handling nu.")).status_code == 303
    db.expire_all()
    table = action_table_in_force(db, TODAY)
    assert table.version.version == 2 and table.rows[0].text == "Ingen handling nu."
    assert action_table_in_force(db, TODAY - timedelta(days=1)).version.version == 1
    assert re.search("Version 2", c.get("/admin/tobs/").get_data(as_text=True))
