"""Serves the built dashboard, falling back to index.html so client-side routes survive a reload."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

_API_PREFIXES = ("api/", "open311/", "docs", "openapi.json", "redoc")


class SpaStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith(_API_PREFIXES):
                raise
            return await super().get_response("index.html", scope)
