"""`vanguard backup OUT [--force]` and `vanguard restore IN [--force]` for the database at DATABASE_URL.

Exit codes: 0 done; 1 restored, but it needs attention (the schema is behind this release: run `vanguard
migrate`; or row counts differ from the backup's manifest); 2 refused, nothing written (OUT exists, the
target is not empty, not a backup of this kind of database, pg_dump/pg_restore missing or too old);
3 pg_dump/pg_restore failed (no backup file is left; the restore's transaction is rolled back).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vanguard.core.config import get_settings
from vanguard.core.errors import AppError
from vanguard.ops import service

EXIT_OK, EXIT_ATTENTION, EXIT_REFUSED, EXIT_FAILED = 0, 1, 2, 3


def _print_counts(tables: dict[str, int]) -> None:
    width = max((len(name) for name in tables), default=0)
    for name, count in tables.items():
        print(f"  {name:<{width}}  {count:>9}")
    print(f"  {'(total)':<{width}}  {sum(tables.values()):>9}")


def _failed(exc: AppError) -> int:
    print(str(exc), file=sys.stderr)
    return EXIT_FAILED if isinstance(exc, service.ToolFailed) else EXIT_REFUSED


def cmd_backup(args: argparse.Namespace) -> int:
    out = Path(args.out)
    try:
        manifest = service.backup(get_settings().database_url, out, force=args.force)
    except AppError as exc:
        return _failed(exc)
    print(f"backed up the {manifest.backend} database (revision {manifest.revision}) to {out}")
    _print_counts(manifest.tables)
    print(f"manifest: {service.manifest_path(out)}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        restored = service.restore(get_settings().database_url, Path(args.source), force=args.force)
    except AppError as exc:
        return _failed(exc)
    print(f"restored {args.source} (revision {restored.revision})")
    _print_counts(restored.tables)
    code = EXIT_OK
    if restored.mismatched:
        print(f"row counts differ from the manifest: {', '.join(restored.mismatched)}", file=sys.stderr)
        code = EXIT_ATTENTION
    if restored.revision != restored.expected_revision:
        print(
            f"the schema is at {restored.revision}; this release needs {restored.expected_revision}: "
            "run `vanguard migrate`",
            file=sys.stderr,
        )
        code = EXIT_ATTENTION
    return code


def add_parsers(sub: Any) -> None:
    backup = sub.add_parser(
        "backup",
        help="back up the database to OUT (PostgreSQL: pg_dump custom format; SQLite: online backup), "
        "with OUT.manifest.json (revision, row counts, sha256)",
    )
    backup.add_argument("out", metavar="OUT")
    backup.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    backup.set_defaults(run=cmd_backup)

    restore = sub.add_parser(
        "restore", help="restore a backup made by `vanguard backup` into an empty database (a new one)"
    )
    restore.add_argument("source", metavar="IN")
    restore.add_argument(
        "--force", action="store_true", help="restore over a database that is not empty (replaces it)"
    )
    restore.set_defaults(run=cmd_restore)
