"""The committed contract (`openapi/openapi.json`) is rendered here, deterministically."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI

CONTRACT_PATH = Path(__file__).resolve().parents[4] / "openapi" / "openapi.json"


def render(app: FastAPI) -> str:
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(app: FastAPI, path: Path = CONTRACT_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(app), encoding="utf-8")
    return path
