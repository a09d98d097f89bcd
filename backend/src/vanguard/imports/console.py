"""`vanguard import` on the console: the report printed the same way for a local run and a remote one
(`--server URL --token T`: upload, poll /jobs/{id} with the same progress bar, same exit codes).

Exit codes: 0 every row good (and written, unless a dry run); 1 the import ran but has bad rows (under
all_or_nothing nothing was written); 2 refused (bad arguments, unknown org code, unreadable file, the
server refused or could not be reached); 3 the job failed (crashed, interrupted); 130 cancelled with
Ctrl-C (nothing written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vanguard.jobs.progress import ProgressBar
from vanguard.remote import RemoteClient, RemoteError, RemoteTarget

EXIT_FAILED = 3
EXIT_CANCELLED = 130
_FINISHED = ("succeeded", "failed", "cancelled")


def print_outcome(state: str, error: dict[str, Any] | None, result: dict[str, Any] | None) -> int:
    """Every bad row, then one summary line; the exit code."""
    if state != "succeeded" or result is None:
        reason = (error or {}).get("messages", {}).get("zh-CN", state)
        print(f"import {state}: {reason}", file=sys.stderr)
        return EXIT_CANCELLED if state == "cancelled" else EXIT_FAILED
    errors = result["errors"]
    for e in errors:
        print(f"row {e['row']:>6}  {e['column'] or '':<12} {e['code']:<28} {e['messages']['zh-CN']}")
    done = (
        "written"
        if result["committed"]
        else "dry run — nothing written"
        if result["dry_run"]
        else "NOTHING written"
    )
    print(
        f"{result['total_rows']} rows: {result['created']} new, {result['updated']} updated, "
        f"{result['unchanged']} unchanged, {len({e['row'] for e in errors})} with errors ({done})"
    )
    return 1 if errors else 0


def _client(target: RemoteTarget) -> RemoteClient:
    return RemoteClient.from_target(target)


def remote_import(target: RemoteTarget, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    try:
        with _client(target) as client:
            org_id = None
            if args.org_code:
                page = client.get_json("/orgs", params={"q": args.org_code, "limit": 100})
                match = [o["id"] for o in page["items"] if o["code"] == args.org_code]
                if not match:
                    print(f"no organisation with code {args.org_code}", file=sys.stderr)
                    return 2
                org_id = match[0]
            job = client.upload(
                f"/imports/{args.kind}",
                filename=path.name,
                content=data,
                data={"org_id": org_id, "dry_run": not args.commit, "mode": args.mode},
            )
            print(f"job {job['id']}: importing {path.name} on {client.base_url}", file=sys.stderr)
            job = _follow(client, job["id"], f"import {args.kind}")
    except RemoteError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    return print_outcome(job["state"], job.get("error"), job.get("result"))


def _follow(client: RemoteClient, job_id: int, label: str) -> Any:
    bar = ProgressBar(label)
    path = f"/jobs/{job_id}"

    def finished(body: Any) -> bool:
        return body["state"] in _FINISHED

    try:
        return client.poll(
            path, finished=finished, on_update=lambda b: bar.update(b["done"], b["failed"], b["total"])
        )
    except KeyboardInterrupt:
        client.post_json(f"{path}/cancel")
        return client.poll(path, finished=finished)
    finally:
        bar.close()
