"""Imports every feature's models so the metadata is complete (for Alembic and the app)."""

from __future__ import annotations

import importlib

FEATURES_WITH_MODELS = (
    "audit",
    "orgs",
    "members",
    "users",
    "development",
    "transfers",
    "dues",
    "posts",
    "study",
    "pairing",
    "complaints",
    "attachments",
    "webhooks",
    "idempotency",
    "scoring",
    "jobs",
    "imports",
    "publicity",
    "petitions",
    "alerts",
)


def load_all() -> None:
    for feature in FEATURES_WITH_MODELS:
        importlib.import_module(f"vanguard.{feature}.models")
