"""0008's downgrade drops exactly the pairing tables (tests/test_migrations.py checks models == chain)."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from vanguard.core import migrate

TABLES = {"pairing_beneficiaries", "pairing_pairs", "pairing_visits", "pairing_visit_tasks"}


def test_the_downgrade_drops_the_pairing_tables(engine: Engine, db_url: str) -> None:
    assert set(inspect(engine).get_table_names()) >= TABLES
    migrate.downgrade(db_url, "0007")
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
