"""Commands: `flask --app webapp demo-data`."""

import click
from flask import Flask
from sqlmodel import Session

from webapp import clock, demo
from webapp.config import is_production
from webapp.db import engine


def init_app(app: Flask) -> None:
    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True, help="Gør intet, hvis databasen allerede har data.")
    def demo_data(if_empty: bool) -> None:
        """Load the fictitious demo organisation, staff and citizens."""
        if is_production(app):
            raise click.ClickException("Demodata må ikke indlæses, når WEBAPP_ENV=production.")
        with Session(engine()) as session:
            if demo.has_data(session):
                if if_empty:
                    click.echo("Databasen har allerede data; demodata springes over.")
                    return
                raise click.ClickException("Databasen har allerede data.")
            built = demo.load(session, clock.today())
            session.commit()
        click.echo(
            f"Demodata indlæst: {built.teams} teams, {built.staff} medarbejdere, "
            f"{built.citizens} borgere. Log ind med fx hjaelper / {demo.DEMO_PASSWORD}."
        )

    @app.cli.command("reroute-escalations")
    def reroute_escalations() -> None:
        """Move every escalation past its deadline to the next in line (run every minute
        from a timer; the inbox polls do the same whenever someone has the app open)."""
        from webapp.escalations.services import reroute_due, settings_from

        with Session(engine()) as session:
            moved = reroute_due(session, clock.now(), settings_from(app.config, clock.local_zone()))
            session.commit()
        click.echo(f"Flyttet til den næste i rækken: {moved}.")

    @app.cli.command("placements")
    def placements() -> None:
        """Bring planned moves of citizens into force today (the app does this itself on the
        first request of each day; a timer at midnight makes it independent of traffic)."""
        from webapp.placement.services import apply_due

        with Session(engine()) as session:
            moved = apply_due(session, clock.today())
            session.commit()
        click.echo(f"Borgere flyttet i dag: {moved}.")
