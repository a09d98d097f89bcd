"""EXPLAIN (ANALYZE, BUFFERS) of the SQL an API request really sends, kept in bench/plans/.

The benches call `explain_request` on their loaded databases: the request runs once with every statement
captured, then each SELECT is explained with its own parameters and the plans are written to
`bench/plans/<name>.txt` (committed: the evidence behind each index, and a diff when a plan changes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

PLANS = Path(__file__).with_name("plans")


def explain_request(engine: Engine, name: str, request: str, call: Callable[[], Any], **size: Any) -> Path:
    """Run `call` (one API request described by `request`), then write the plans of its SELECTs."""
    statements: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    sizes = ", ".join(
        f"{key} {value:,}" if isinstance(value, int) else f"{key} {value}" for key, value in size.items()
    )
    lines = [f"-- {request}", f"-- {sizes}; measured {time.strftime('%Y-%m-%d', time.gmtime())}", ""]
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for number, (statement, parameters) in enumerate(statements, 1):
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON) {statement}", parameters)
            lines += [
                f"-- statement {number} of {len(statements)}",
                statement.strip(),
                f"-- {parameters}",
                "",
            ]
            lines += [row[0] for row in cursor.fetchall()] + [""]
        connection.rollback()
    finally:
        connection.close()
    PLANS.mkdir(exist_ok=True)
    path = PLANS / f"{name}.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
