"""ASGI entry point for uvicorn: `uvicorn vanguard.asgi:app`."""

from vanguard.main import create_app

app = create_app()
