"""Test databases: SQLite by default; PostgreSQL when TEST_DATABASE_URL names one.

The schema always comes from the Alembic migrations (never create_all), once per run.
Each test then gets a clean database: a copy of the migrated SQLite file, or TRUNCATE on
PostgreSQL (which, unlike DELETE, passes the access log's append-only triggers) followed by
the rows the migrations seed, as they were right after migrating.
"""

import os
import shutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, insert, select, text
from sqlmodel import SQLModel

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["database_url"] = url
    return config


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


#: Tables the migrations fill with reference data (checklist items, the TOBS action table).
SEEDED_TABLES = ("observation_item", "tobs_action_version", "tobs_action_row")
_seeded_rows: dict[str, list[dict]] = {}


def migrate(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_template(tmp_dir: Path) -> str:
    """Migrate once; returns the URL of the migrated database (the template)."""
    url = postgres_url()
    if url:
        reset_postgres_schema(url)
        migrate(url)
        _remember_seeded_rows(url)
        return url
    template = tmp_dir / "template.db"
    url = f"sqlite:///{template}"
    migrate(url)
    return url


def fresh_database(template_url: str, tmp_dir: Path, name: str) -> str:
    if template_url.startswith("sqlite"):
        source = Path(template_url.removeprefix("sqlite:///"))
        target = tmp_dir / f"{name}.db"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    truncate_all(template_url)
    return template_url


def _remember_seeded_rows(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        for name in SEEDED_TABLES:
            table = SQLModel.metadata.tables[name]
            _seeded_rows[name] = [dict(r._mapping) for r in conn.execute(select(table))]
    engine.dispose()


def truncate_all(url: str) -> None:
    """Empty every table, then put the migrations' seed rows back (ids included)."""
    if not _seeded_rows:
        _remember_seeded_rows(url)  # a process that did not migrate: the rows are untouched
    engine = create_engine(url)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        for name in SEEDED_TABLES:
            table = SQLModel.metadata.tables[name]
            if _seeded_rows[name]:
                conn.execute(insert(table), _seeded_rows[name])
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
                )
            )
    engine.dispose()
