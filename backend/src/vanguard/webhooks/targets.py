"""Where webhooks may be sent (server-side request forgery, OWASP API7).

A subscription names a URL and the server then POSTs signed personal data to it: in production the URL
must not lead the server into its own network (the database host, a cloud metadata service at
169.254.169.254, an admin port on loopback). Only globally routable addresses are allowed, plus the
networks an operator lists in VANGUARD_WEBHOOK_ALLOWED_NETWORKS (a county's OA system on its intranet).
Checked when a subscription is saved and again, on the addresses the name resolves to then, before each
delivery (a DNS answer can change after the check).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import httpx

from vanguard.core.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], list[IPAddress]]


def resolve(host: str) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def _allowed(address: IPAddress, networks: Sequence[IPNetwork]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    public = address.is_global and not address.is_multicast  # 224.0.0.0/4 counts as global
    return public or any(address in network for network in networks)


def refusal(url: str, settings: Settings, resolver: Resolver = resolve) -> str | None:
    """Why the server may not send to `url` (in English, for logs and a delivery's error), or None."""
    if settings.environment != "production":
        return None  # a developer's receiver on loopback, the tests' own
    host = urlsplit(url).hostname
    if not host:
        return "the URL has no host"
    try:
        addresses = resolver(host)
    except (OSError, UnicodeError) as exc:
        return f"{host} does not resolve ({exc})"
    refused = [str(a) for a in addresses if not _allowed(a, settings.webhook_allowed_networks)]
    if refused:
        where = ", ".join(refused)
        return f"{host} resolves to {where}: not public, not in VANGUARD_WEBHOOK_ALLOWED_NETWORKS"
    return None


class GuardedTransport(httpx.BaseTransport):
    """Refuses, before connecting, a request whose host resolves to an address webhooks may not reach."""

    def __init__(self, settings: Callable[[], Settings], inner: httpx.BaseTransport | None = None) -> None:
        self._settings = settings
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        refused = refusal(str(request.url), self._settings())
        if refused is not None:
            raise httpx.ConnectError(f"refused: {refused}", request=request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
