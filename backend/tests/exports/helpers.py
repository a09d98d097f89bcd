"""Reading exports back the way a spreadsheet would, and walking the JSON list they must match."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import load_workbook

from tests.world import World

API = "/api/v1"
BOM = b"\xef\xbb\xbf"


def read_csv(response: Response) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV export; asserts the BOM, the media type and a download name."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def read_xlsx(response: Response) -> tuple[list[str], list[list[Any]]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return [str(h) for h in rows[0]], rows[1:]


def export(
    client: TestClient, world: World, user: str, path: str, fmt: str = "csv", **params: Any
) -> Response:
    return client.get(f"{API}{path}/export", params={**params, "format": fmt}, headers=world.auth(user))


def list_all(client: TestClient, world: World, user: str, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a JSON list, following its cursors with small pages."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        r = client.get(f"{API}{path}", params=query, headers=world.auth(user))
        assert r.status_code == 200, r.text
        body = r.json()
        if isinstance(body, list):
            return body
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def column(header: list[str], rows: list[list[Any]], name: str) -> list[Any]:
    index = header.index(name)
    return [row[index] for row in rows]


def ids(header: list[str], rows: list[list[Any]], name: str = "编号") -> list[int]:
    return [int(v) for v in column(header, rows, name)]
