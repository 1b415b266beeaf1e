"""The schema comes from Alembic, and the models do not drift from it."""

from alembic import command
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect

from tests.database import alembic_config, postgres_url, reset_postgres_schema


def _empty_database(tmp_path) -> str:
    url = postgres_url()
    if url:
        reset_postgres_schema(url)
        return url
    return f"sqlite:///{tmp_path / 'empty.db'}"


def test_upgrade_head_on_an_empty_database_then_no_drift(tmp_path):
    url = _empty_database(tmp_path)
    config = alembic_config(url)
    command.upgrade(config, "head")
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"citizen", "membership", "access_log", "access_log_citizen", "triage_change"} <= tables
    try:
        command.check(config)  # raises when autogenerate would find a difference
    except CommandError as error:  # pragma: no cover - the message is the useful part
        raise AssertionError(f"models and migrations differ: {error}") from error


def test_downgrade_to_base_and_up_again(tmp_path):
    url = _empty_database(tmp_path)
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
