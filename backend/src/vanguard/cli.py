"""`vanguard` command: migrate, seed-demo, create-user, import, export, backup, restore, audit
verify, openapi, serve.

Exit codes: 0 done; 1 done but something needs attention (a user existed, an import has bad rows);
2 refused (bad arguments, unknown org, unreadable file).
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vanguard.audit import hook
from vanguard.core import migrate
from vanguard.core.config import get_settings
from vanguard.core.db import get_sessionmaker
from vanguard.core.permissions import Permission, Principal, Role, Scope
from vanguard.core.security.passwords import hash_password
from vanguard.members.models import Member, Stage
from vanguard.orgs.models import Organisation
from vanguard.users.models import User


def _session(actor: str) -> Session:
    hook.install()
    session = get_sessionmaker()()
    session.info[hook.SYSTEM_ACTOR_KEY] = f"cli:{actor}"
    return session


def _ensure_user(
    session: Session,
    username: str,
    display_name: str,
    role: Role,
    org_id: int | None,
    password: str,
    member_id: int | None = None,
) -> bool:
    """Create the user unless the username exists; True when created."""
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        return False
    session.add(
        User(
            username=username,
            display_name=display_name,
            role=role,
            org_id=org_id,
            member_id=member_id,
            password_hash=hash_password(password),
        )
    )
    session.flush()
    return True


def cmd_migrate(_args: argparse.Namespace) -> int:
    migrate.upgrade(get_settings().database_url)
    print("database is at the latest migration")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from vanguard.demo.seed import seed_demo

    credentials_file = Path(args.credentials_file)
    with _session("seed-demo") as session, session.begin():
        summary = seed_demo(session, seed=args.seed)
        if summary is None:
            print("demo data already present; nothing loaded")
        else:
            password = os.environ.get("VANGUARD_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            branch = session.get(Organisation, summary.sample_branch_id)
            _ensure_user(session, "admin", "系统管理员", Role.ADMIN, None, password)
            _ensure_user(session, "zuzhibu", "县委组织部", Role.ORG_ADMIN, summary.county_id, password)
            _ensure_user(
                session,
                "shuji",
                f"{branch.name if branch else ''}书记",
                Role.SECRETARY,
                summary.sample_branch_id,
                password,
            )
            # A party member of the same branch whose account is linked to their record (self-service).
            member = session.scalars(
                select(Member)
                .where(Member.org_id == summary.sample_branch_id, Member.stage == Stage.FULL)
                .order_by(Member.id)
                .limit(1)
            ).one()
            _ensure_user(
                session, "dangyuan", member.name, Role.MEMBER, summary.sample_branch_id, password, member.id
            )
            _seed_demo_activity(session, summary.sample_branch_id)
            credentials_file.parent.mkdir(parents=True, exist_ok=True)
            credentials_file.write_text(
                "Demo accounts (password is the same for all four):\n"
                "  admin    (system administrator)\n"
                "  zuzhibu  (county organisation department)\n"
                f"  shuji    (secretary of {branch.name if branch else '?'})\n"
                f"  dangyuan (a party member of that branch: {member.name})\n"
                f"  password: {password}\n",
                encoding="utf-8",
            )
            credentials_file.chmod(0o600)
            print(f"loaded {summary.orgs} organisations and {summary.members} members")
    if summary is not None:
        from vanguard.audit.sealer import seal_pending

        # Sealed now, a server starting on the demo has no backlog to work through while people sign in.
        with get_sessionmaker()() as session:
            seal_pending(session)
    if credentials_file.is_file():
        print(credentials_file.read_text(encoding="utf-8"), end="")
    return 0


def _seed_demo_activity(session: Session, sample_branch_id: int) -> None:
    """A month of complaints, the pairing ledger, this year's 三会一课 in the sample town and its published
    scores, through the real services; scoring last, as it reads the others."""
    from vanguard.core.clock import local_today
    from vanguard.demo.complaints import seed_complaints
    from vanguard.demo.pairing import seed_pairing
    from vanguard.demo.scoring import seed_scoring
    from vanguard.demo.study import seed_study

    users = {
        u.username: u for u in session.scalars(select(User).where(User.username.in_(["zuzhibu", "shuji"])))
    }
    department, secretary = users["zuzhibu"], users["shuji"]
    now = datetime.now(UTC)
    seed_complaints(session, department=department, secretary=secretary, now=now)
    seed_pairing(session, secretary=secretary, today=local_today(now))
    seed_study(session, sample_branch_id=sample_branch_id, now=now)
    seed_scoring(
        session, department=department, secretary=secretary, sample_branch_id=sample_branch_id, now=now
    )


def cmd_create_user(args: argparse.Namespace) -> int:
    password = os.environ.get("VANGUARD_NEW_PASSWORD") or getpass.getpass("Password: ")
    with _session("create-user") as session, session.begin():
        org_id = None
        if args.org_code:
            org_id = session.scalar(select(Organisation.id).where(Organisation.code == args.org_code))
            if org_id is None:
                print(f"no organisation with code {args.org_code}", file=sys.stderr)
                return 2
        created = _ensure_user(
            session, args.username, args.display_name or args.username, Role(args.role), org_id, password
        )
    print("created" if created else f"user {args.username} exists already; unchanged")
    return 0 if created else 1


def cmd_import(args: argparse.Namespace) -> int:
    """Exit codes: see vanguard.imports.console (0 clean, 1 bad rows, 2 refused, 3 job failed, 130
    cancelled)."""
    from vanguard.core.errors import AppError
    from vanguard.imports import console
    from vanguard.imports import service as imports
    from vanguard.imports.schemas import ImportKind, ImportMode
    from vanguard.jobs.runner import get_runner
    from vanguard.remote import RemoteError, target_from_args

    try:
        target = target_from_args(args)
    except RemoteError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    if target is not None:
        return console.remote_import(target, args)

    # The CLI is the administrator at the console: the whole tree, every permission.
    caller = Principal("service", 0, "cli", Role.ADMIN, None, Scope.everything(), frozenset(Permission))
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    with _session("import") as session:
        with session.begin():
            org_id = None
            if args.org_code:
                org_id = session.scalar(select(Organisation.id).where(Organisation.code == args.org_code))
                if org_id is None:
                    print(f"no organisation with code {args.org_code}", file=sys.stderr)
                    return 2
            try:
                job = imports.start_import(
                    session,
                    caller,
                    ImportKind(args.kind),
                    path.name,
                    data,
                    org_id=org_id,
                    dry_run=not args.commit,
                    mode=ImportMode(args.mode),
                )
            except AppError as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                return 2
        job_id = job.id  # the commit handed the job to this process's runner
    print(f"job {job_id}: importing {path.name} ({'commit' if args.commit else 'dry run'})", file=sys.stderr)
    if not _follow(get_runner(), job_id, f"import {args.kind}"):
        return 130
    return _import_outcome(job_id)


def _follow(runner: Any, job_id: int, label: str) -> bool:
    """Draw the job's progress until it ends; Ctrl-C cancels it (False)."""
    from vanguard.jobs.progress import ProgressBar

    bar = ProgressBar(label)
    try:
        while True:
            try:
                runner.wait(job_id, timeout=0.25)
                break
            except TimeoutError:
                live = runner.live(job_id)
                if live is not None:
                    bar.update(live.done, live.failed, live.total)
    except KeyboardInterrupt:
        live = runner.live(job_id)
        if live is not None:
            live.cancel(by="cli")
        runner.wait(job_id)
        bar.close()
        print("cancelled: nothing written", file=sys.stderr)
        return False
    bar.close()
    return True


def _import_outcome(job_id: int) -> int:
    from vanguard.imports.console import print_outcome
    from vanguard.jobs.models import Job

    with _session("import") as session:
        job = session.get(Job, job_id)
        assert job is not None
        return print_outcome(job.state.value, job.error, job.result)


def cmd_openapi(args: argparse.Namespace) -> int:
    from vanguard.core import openapi
    from vanguard.main import create_app

    if args.check:
        current = openapi.render(create_app())
        committed = (
            openapi.CONTRACT_PATH.read_text(encoding="utf-8") if openapi.CONTRACT_PATH.exists() else ""
        )
        if current != committed:
            print("openapi/openapi.json is stale: run `make openapi`", file=sys.stderr)
            return 1
        print("openapi/openapi.json is up to date")
        return 0
    print(f"wrote {openapi.write(create_app())}")
    return 0


def cmd_audit_verify(_args: argparse.Namespace) -> int:
    """Exit 0 when the audit hash chain is intact, 1 naming the first broken event."""
    from vanguard.audit import chain
    from vanguard.core.db import get_engine

    with get_engine().connect() as connection:
        verdict = chain.verify(connection)
    print(chain.describe(verdict), file=sys.stdout if verdict.broken is None else sys.stderr)
    return 0 if verdict.broken is None else 1


def cmd_audit_seal(_args: argparse.Namespace) -> int:
    """Seal the committed audit events a running server has not sealed yet (or when none runs)."""
    from vanguard.audit.sealer import seal_pending

    with get_sessionmaker()() as session:
        print(f"sealed {seal_pending(session)} events")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from vanguard.core.db import connection_budget_warning

    workers = args.workers or get_settings().workers
    warning = connection_budget_warning(get_settings(), workers)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    uvicorn.run("vanguard.asgi:app", host=args.host, port=args.port, workers=workers, proxy_headers=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vanguard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply every database migration").set_defaults(run=cmd_migrate)

    seed = sub.add_parser("seed-demo", help="load the demo county (only into an empty database)")
    seed.add_argument("--seed", type=int, default=20260701)
    seed.add_argument("--credentials-file", default="data/demo-credentials.txt")
    seed.set_defaults(run=cmd_seed_demo)

    user = sub.add_parser("create-user", help="create a user (password from VANGUARD_NEW_PASSWORD or prompt)")
    user.add_argument("--username", required=True)
    user.add_argument("--display-name")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--org-code", help="code of the org at the root of the user's scope (omit for admin)")
    user.set_defaults(run=cmd_create_user)

    from vanguard.imports.schemas import ImportKind

    load = sub.add_parser(
        "import", help="import a spreadsheet (.xlsx/.csv) as a job with a progress bar; a dry run by default"
    )
    load.add_argument("kind", choices=[k.value for k in ImportKind])
    load.add_argument("file")
    load.add_argument("--org-code", help="org for rows that leave the org column empty")
    run_as = load.add_mutually_exclusive_group()
    run_as.add_argument("--dry-run", action="store_true", help="check every row, write nothing (the default)")
    run_as.add_argument("--commit", action="store_true", help="write the rows")
    load.add_argument("--mode", choices=["all_or_nothing", "valid_rows"], default="all_or_nothing")
    from vanguard.remote import add_remote_arguments

    add_remote_arguments(load)
    load.set_defaults(run=cmd_import)

    from vanguard import export_cli

    export_cli.add_parser(sub)  # `export KIND …`, locally or with --server/--token (see export_cli)

    from vanguard.ops import cli as ops_cli

    ops_cli.add_parsers(sub)  # `backup OUT`, `restore IN` (exit codes: see vanguard.ops.cli)

    spec = sub.add_parser("openapi", help="write openapi/openapi.json (or --check that it is current)")
    spec.add_argument("--check", action="store_true")
    spec.set_defaults(run=cmd_openapi)

    audit = sub.add_parser("audit", help="audit log tools").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser(
        "verify", help="check the audit log's hash chain (exit 1 naming the first broken event)"
    ).set_defaults(run=cmd_audit_verify)
    audit.add_parser(
        "seal", help="seal committed audit events into the chain now (a running server does it by itself)"
    ).set_defaults(run=cmd_audit_seal)

    serve = sub.add_parser("serve", help="serve API and dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, help="server processes (default: VANGUARD_WORKERS, 1)")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
