"""Response headers for files handed to a browser or script (exports, attachments)."""

from __future__ import annotations

from urllib.parse import quote


def content_disposition(filename: str, *, fallback: str | None = None, inline: bool = False) -> str:
    """RFC 6266 with an RFC 5987 UTF-8 name so Chinese names survive, and an ASCII one for old clients
    (`fallback`, or the name with its other characters replaced)."""
    plain = fallback if fallback is not None else filename
    fallback = plain.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
