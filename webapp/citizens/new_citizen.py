"""The new-citizen form, shared by administration (/admin/borgere/ny) and the borgerkonsulent's
visitation (/visitation/ny): the team is chosen first, then its kontaktteam and people and the
referral that starts the pathway. Each screen passes the teams it may use and where to go."""

from flask import flash, redirect, render_template
from flask_login import current_user

from webapp import clock
from webapp.admin.organisation import open_units
from webapp.citizens import registry
from webapp.db import get_session
from webapp.domain.citizen_record import read_record, read_referral
from webapp.domain.citizens import PathwayType
from webapp.models import Kontaktteam, Team
from webapp.urls import parse_id


def open_teams(today) -> list[Team]:
    return open_units(get_session(), Team, today)


def kontaktteams_of(team_id: int | None, today) -> list[Kontaktteam]:
    if team_id is None:
        return []
    return open_units(get_session(), Kontaktteam, today, Kontaktteam.team_id == team_id)


def page(form, errors, status, *, teams: list[Team], action: str, back: str):
    """The form for a new citizen; the team is chosen first (from `teams`), then the rest."""
    today = clock.today()
    team_id = parse_id(str(form.get("team", ""))[:20])
    team = next((t for t in teams if t.id == team_id), None)
    if len(teams) == 1:
        team = teams[0]
    return render_template(
        "admin/citizen_new.html",
        form=form,
        errors=errors,
        teams=teams,
        team=team,
        kontaktteams=kontaktteams_of(team.id if team else None, today),
        candidates=registry.candidates(get_session(), team.id if team else None, today),
        pathway_types=list(PathwayType),
        today=today,
        action=action,
        back=back,
    ), status


def create(form, page, after):
    """Read the form and create the citizen, or `page` again with the errors."""
    now = clock.now()
    zone = clock.local_zone()
    record, errors = read_record(form, clock.today())
    referral, referral_errors = read_referral(form, now.astimezone(zone))
    errors |= referral_errors
    team_id = parse_id(str(form.get("team", ""))[:20])
    kt_id = parse_id(str(form.get("kontaktteam", ""))[:20])
    if errors or record is None or referral is None:
        return page(form, errors, 400)
    try:
        citizen = registry.create(
            get_session(),
            record,
            team_id,
            kt_id,
            registry.read_people(form),
            referral,
            confirmed_not_duplicate=form.get("anden_borger") == "ja",
            by=current_user.id,
            now=now,
            zone=zone,
        )
    except registry.Refused as refused:
        return page(form, refused.errors, refused.status)
    flash(
        f"{citizen.full_name} er oprettet med {referral.pathway.label.lower()}; "
        "milepælene er lagt i opfølgningerne.",
        "info",
    )
    return redirect(after(citizen), 303)
