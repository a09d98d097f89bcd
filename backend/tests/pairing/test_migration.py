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


def test_0011_goes_down_and_up_again(engine: Engine, db_url: str) -> None:
    """Cadre helpers, task closing, follow-up state and photos come and go with 0011."""
    migrate.downgrade(db_url, "0010")
    inspector = inspect(engine)
    assert "pairing_visit_photos" not in inspector.get_table_names()
    assert "helper_user_id" not in {c["name"] for c in inspector.get_columns("pairing_pairs")}
    migrate.upgrade(db_url)
    inspector = inspect(engine)
    assert "pairing_visit_photos" in inspector.get_table_names()
    indexes = {i["name"] for i in inspector.get_indexes("pairing_pairs")}
    assert {"uq_pairing_pairs_active_member_helper", "uq_pairing_pairs_active_user_helper"} <= indexes
