"""`vanguard export KIND [--org CODE] [--format csv|xlsx] [-o FILE] [FILTER=VALUE …]`.

KIND is any list the API exports (`vanguard export --help` lists them); FILTER=VALUE are that list's own
query parameters (`stage=full`, `status=active`, `activity_id=12` for a path's id …), checked as the API
checks them. Locally the command reads the configured database as the administrator at the console (the
whole tree); with `--server URL --token T` (or VANGUARD_SERVER / VANGUARD_TOKEN) it downloads the same
export from a server, as the token's owner, within their scope.

Exit codes: 0 written; 2 refused (unknown kind, filter or org code, a value the list refuses, no
permission, server unreachable) — nothing is left behind at `-o FILE` then.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from fastapi import Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from vanguard import remote
from vanguard.audit import hook
from vanguard.core.clock import SYSTEM_CLOCK, Clock, local_today
from vanguard.core.db import get_sessionmaker
from vanguard.core.errors import AppError
from vanguard.core.exports import EXPORTS, ExportFormat, ExportSpec, audit_export, base_type, stream_export
from vanguard.core.permissions import Permission, Principal, Role, Scope
from vanguard.orgs.models import Organisation

EXIT_OK, EXIT_REFUSED = remote.EXIT_OK, remote.EXIT_REFUSED
_NOT_DEPENDENCIES = frozenset({"return", "cursor", "limit"})


class Refused(Exception):
    """A usage error: printed, exit code 2."""


class _Intermixed(argparse.ArgumentParser):
    """Takes FILTER=VALUE words after options too (`export members --org C stage=full`)."""

    _inside = False

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._inside:  # parse_known_intermixed_args calls back in here
            return super().parse_known_args(args, namespace)
        self._inside = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False


def add_parser(sub: Any) -> None:
    parser_class, sub._parser_class = sub._parser_class, _Intermixed
    try:
        parser = sub.add_parser(
            "export",
            help="export a list (members, orgs, complaints …) as CSV or XLSX",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    finally:
        sub._parser_class = parser_class
    parser.add_argument("kind", help="what to export; `vanguard export list` shows the kinds and filters")
    parser.add_argument("filters", nargs="*", metavar="FILTER=VALUE", help="the list's own query parameters")
    parser.add_argument("--org", help="code of the org whose subtree to export (the list's org filter)")
    parser.add_argument("--format", choices=[f.value for f in ExportFormat], default=ExportFormat.CSV.value)
    parser.add_argument(
        "-o", "--output", help="file to write (default: the export's name here; - for stdout)"
    )
    remote.add_remote_arguments(parser)
    parser.set_defaults(run=run)


def _kinds() -> dict[str, ExportSpec]:
    import vanguard.main  # noqa: F401 - importing the app's routers registers every export

    return EXPORTS


def describe() -> str:
    lines = []
    for kind, spec in sorted(_kinds().items()):
        names = [*spec.path_params, *(a for a, n in spec.aliases.items() if n not in spec.path_params)]
        org = f" (--org → {spec.org_param})" if spec.org_param else ""
        lines.append(f"{kind:<18} {spec.title}{org}: {', '.join(names) or '-'}")
    return "\n".join(lines)


def parse_filters(spec: ExportSpec, pairs: list[str]) -> dict[str, str]:
    """FILTER=VALUE words → {query name: text}; unknown names are refused with the known ones."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise Refused(f"filters are NAME=VALUE, not {pair!r}")
        if name not in spec.aliases:
            raise Refused(
                f"{spec.kind} has no filter {name!r}; it takes: {', '.join(spec.aliases) or 'none'}"
            )
        out[name] = value
    missing = [p for p in spec.path_params if p not in out]
    if missing:
        raise Refused(f"{spec.kind} needs {', '.join(f'{p}=…' for p in missing)}")
    return out


def local_arguments(spec: ExportSpec, filters: dict[str, str]) -> dict[str, Any]:
    """Typed keyword arguments of the list function, validated as the API validates its query."""
    arguments: dict[str, Any] = {}
    for query_name, text in filters.items():
        name = spec.aliases[query_name]
        try:
            arguments[name] = TypeAdapter(spec.hints[name]).validate_python(text)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            raise Refused(f"{query_name}={text!r}: {reason}") from exc
    return arguments


@contextlib.contextmanager
def _output(path: str | None, default_name: str) -> Iterator[tuple[IO[bytes], str]]:
    """The binary stream to write to; a file is removed again when the export fails."""
    if path == "-":
        yield sys.stdout.buffer, "stdout"
        return
    target = Path(path or default_name)
    try:
        with target.open("wb") as out:
            yield out, str(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _progress(label: str) -> Any:
    interactive = sys.stderr.isatty()

    def show(done: int) -> None:
        if interactive:
            print(f"\r{label}: {done:,}", end="", file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    if args.kind == "list":
        print(describe())
        return EXIT_OK
    try:
        kinds = _kinds()
        if args.kind not in kinds:
            raise Refused(f"unknown kind {args.kind!r}; one of: {', '.join(sorted(kinds))}")
        spec = kinds[args.kind]
        if args.org and not spec.org_param:
            raise Refused(f"{spec.kind} takes no --org")
        filters = parse_filters(spec, args.filters)
        fmt = ExportFormat(args.format)
        target = remote.target_from_args(args)
        if target is not None:
            return _run_remote(spec, target, filters, fmt, args)
        return _run_local(spec, filters, fmt, args)
    except Refused as exc:
        print(f"vanguard export: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except remote.RemoteError as exc:
        print(f"vanguard export: {exc}", file=sys.stderr)
        return exc.exit_code
    except AppError as exc:
        print(f"vanguard export: {exc.problem_code}: {exc.zh} / {exc.en}", file=sys.stderr)
        return EXIT_REFUSED


def _run_local(spec: ExportSpec, filters: dict[str, str], fmt: ExportFormat, args: argparse.Namespace) -> int:
    hook.install()
    make_session = get_sessionmaker()
    arguments = local_arguments(spec, filters)
    # The CLI is the administrator at the console: the whole tree, every permission (as `import`).
    caller = Principal("service", 0, "cli", Role.ADMIN, None, Scope.everything(), frozenset(Permission))
    with make_session() as session:
        session.info[hook.SYSTEM_ACTOR_KEY] = "cli:export"
        if args.org:
            org_id = session.scalar(select(Organisation.id).where(Organisation.code == args.org))
            if org_id is None:
                raise Refused(f"no organisation with code {args.org}")
            assert spec.org_param is not None
            arguments[spec.org_param] = org_id
        for name, hint in spec.hints.items():
            if (
                name in arguments
                or name in spec.filters
                or name in _NOT_DEPENDENCIES
                or name == spec.session_param
            ):
                continue
            arguments[name] = _dependency_value(name, hint, caller)
        rows = 0

        def count(done: int) -> None:
            nonlocal rows
            rows = done
            show(done)

        show = _progress(f"{spec.kind} rows")
        body = stream_export(spec, make_session(), arguments, fmt, progress=count)
        audit_export(session, spec, caller, arguments, fmt)
        session.commit()
        with _output(args.output, spec.filename(fmt, local_today())) as (out, name):
            written = 0
            for piece in body:
                out.write(piece)
                written += len(piece)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"{rows} rows, {written:,} bytes → {name}", file=sys.stderr)
    return EXIT_OK


def _dependency_value(name: str, hint: Any, caller: Principal) -> Any:
    kind = base_type(hint)
    if kind is Principal:
        return caller
    if kind is Clock:
        return SYSTEM_CLOCK
    if kind is Response:
        return Response()
    raise Refused(f"{name}: this export cannot run locally ({kind!r})")


def _run_remote(
    spec: ExportSpec,
    target: remote.RemoteTarget,
    filters: dict[str, str],
    fmt: ExportFormat,
    args: argparse.Namespace,
) -> int:
    params: dict[str, Any] = {k: v for k, v in filters.items() if k not in spec.path_params}
    path = spec.path.format(**{p: filters[p] for p in spec.path_params})
    with remote.RemoteClient.from_target(target) as client:
        if args.org:
            query_name = next(a for a, n in spec.aliases.items() if n == spec.org_param)
            params[query_name] = _remote_org_id(client, args.org)
        params["format"] = fmt.value
        show = _progress(f"{spec.kind} bytes")
        with _output(args.output, spec.filename(fmt, local_today())) as (out, name):
            written = client.download(path, out, params=params, on_chunk=show)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"{written:,} bytes → {name}", file=sys.stderr)
    return EXIT_OK


def _remote_org_id(client: remote.RemoteClient, code: str) -> int:
    """The id of the org with exactly this code among those the token may see."""
    cursor = None
    while True:
        page = client.get_json("/orgs", params={"q": code, "limit": 500, "cursor": cursor})
        for org in page["items"]:
            if org.get("code") == code:
                return int(org["id"])
        cursor = page.get("next_cursor")
        if not cursor:
            raise Refused(f"no organisation with code {code} within the token's scope")
