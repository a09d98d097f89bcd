"""ETag / If-Match for optimistic locking: the ETag is the row's version."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Response
from pydantic import BaseModel

from vanguard.core.errors import PreconditionFailed

V = TypeVar("V", bound=BaseModel)


def etag_for(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int) -> None:
    """Refuse (412) a write whose If-Match names a version other than the current one.

    Without If-Match the write proceeds (last-writer-wins is the caller's explicit choice).
    """
    if if_match is None or if_match.strip() == "*":
        return
    offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if etag_for(version) not in offered:
        raise PreconditionFailed()


def with_etag(read: V, response: Response) -> V:
    """Set the response's ETag from a read model that carries a `version`."""
    version: int = getattr(read, "version")  # noqa: B009 - V is any versioned read model
    response.headers["ETag"] = etag_for(version)
    return read
