"""Opspor: the application factory. Wiring only; every area lives in its own package."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from webapp import config, db, htmx, security
    from webapp.auth import init_app as init_auth
    from webapp.cli import init_app as init_cli
    from webapp.placement.services import init_app as init_placements
    from webapp.urls import IdConverter

    app.url_map.converters["int"] = IdConverter
    config.load(app, overrides or {})
    db.init_app(app)
    init_placements(app)
    security.init_app(app)
    init_auth(app)
    htmx.init_app(app)
    init_cli(app)
    _register_blueprints(app)
    _template_helpers(app)
    return app


def _template_helpers(app: Flask) -> None:
    from flask_login import current_user

    from webapp import clock
    from webapp.domain.roles import Role, sees_citizens

    app.jinja_env.globals["to_local"] = clock.to_local

    @app.context_processor
    def nav() -> dict:
        roles = current_user.role_set if current_user.is_authenticated else frozenset()
        return {
            "nav": {
                "is_admin": Role.ADMIN in roles,
                "sees_citizens": sees_citizens(roles),
                "without_tobs": bool(roles & {Role.NURSE, Role.ASSISTANT}),
                "is_consultant": Role.CITIZEN_CONSULTANT in roles,
            }
        }


def _register_blueprints(app: Flask) -> None:
    from webapp.access.views import bp as access_bp
    from webapp.admin.basisteam_views import bp as admin_basisteam_bp
    from webapp.admin.citizen_views import bp as admin_citizens_bp
    from webapp.admin.reorganisation_views import bp as admin_reorg_bp
    from webapp.admin.staff_views import bp as admin_staff_bp
    from webapp.admin.views import bp as admin_bp
    from webapp.auth.views import bp as auth_bp
    from webapp.board.views import bp as board_bp
    from webapp.checklist.views import bp as checklist_bp
    from webapp.citizens.registration_views import bp as registration_bp
    from webapp.citizens.views import bp as citizens_bp
    from webapp.conference.views import bp as conference_bp
    from webapp.errors import init_app as init_errors
    from webapp.escalations.views import bp as escalations_bp
    from webapp.followups.citizen_views import bp as citizen_followups_bp
    from webapp.followups.overview_views import bp as overview_bp
    from webapp.followups.views import bp as followups_bp
    from webapp.observations.views import bp as observations_bp
    from webapp.offline.views import bp as offline_bp
    from webapp.organisation.views import bp as organisation_bp
    from webapp.pwa.views import bp as pwa_bp
    from webapp.roster.views import bp as roster_bp
    from webapp.tobs.views import bp as tobs_bp
    from webapp.triage.views import bp as triage_bp

    blueprints = (
        auth_bp,
        citizens_bp,
        registration_bp,
        observations_bp,
        tobs_bp,
        triage_bp,
        followups_bp,
        overview_bp,
        citizen_followups_bp,
        escalations_bp,
        roster_bp,
        conference_bp,
        board_bp,
        access_bp,
        organisation_bp,
        checklist_bp,
        offline_bp,
        admin_bp,
        admin_staff_bp,
        admin_reorg_bp,
        admin_citizens_bp,
        admin_basisteam_bp,
        pwa_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)
    init_errors(app)
