"""An OA or hotline system talking to Vanguard: push complaints with a service token, receive signed webhooks.

Copy it and adapt it. It needs Python 3.11+ and two libraries:

    pip install httpx standardwebhooks

Push a complaint (retries are safe: the Idempotency-Key makes a second attempt return the first answer):

    VANGUARD_URL=https://vanguard.example.gov.cn VANGUARD_TOKEN=vgs_... \\
        python oa_integration.py push --category infrastructure --title "路灯不亮" --description "坏了一周"

Receive webhooks (subscribe this URL with POST /api/v1/webhooks; the secret comes back once):

    VANGUARD_WEBHOOK_SECRET=whsec_... python oa_integration.py listen --port 8080
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def push_complaint(
    base_url: str, token: str, complaint: dict[str, Any], *, key: str | None = None, attempts: int = 3
) -> dict[str, Any]:
    """POST one complaint; a network failure is retried with the same Idempotency-Key, so it lands once."""
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key or uuid.uuid4().hex}
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for attempt in range(1, attempts + 1):
            try:
                response = client.post(
                    "/api/v1/complaints", json={"channel": "oa", **complaint}, headers=headers
                )
            except httpx.TransportError:
                if attempt == attempts:
                    raise
                continue
            if response.status_code >= 400:
                problem = response.json()  # RFC 9457: a stable `code`, messages in zh-CN and en
                raise RuntimeError(
                    f"{response.status_code} {problem['code']}: {problem['messages']['zh-CN']}"
                )
            created: dict[str, Any] = response.json()
            return created
    raise AssertionError("unreachable")


def webhook_handler(secret: str, on_event: Callable[[dict[str, Any]], None]) -> type[BaseHTTPRequestHandler]:
    """An HTTP handler that verifies each delivery's signature and timestamp before trusting it."""
    verifier = Webhook(secret)
    seen: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event = verifier.verify(body, {k.lower(): v for k, v in self.headers.items()})
            except WebhookVerificationError:
                self.send_response(401)  # forged, tampered with, or replayed long after
                self.end_headers()
                return
            message_id = self.headers["webhook-id"]
            if message_id not in seen:  # a retry of something already handled: acknowledge, do nothing
                seen.add(message_id)
                on_event(event)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    push = sub.add_parser("push")
    push.add_argument("--category", required=True)
    push.add_argument("--title", required=True)
    push.add_argument("--description", required=True)
    listen = sub.add_parser("listen")
    listen.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if args.command == "push":
        created = push_complaint(
            os.environ["VANGUARD_URL"],
            os.environ["VANGUARD_TOKEN"],
            {"category": args.category, "title": args.title, "description": args.description},
        )
        print(
            json.dumps({"id": created["id"], "tracking_code": created["tracking_code"]}, ensure_ascii=False)
        )
        return 0
    handler = webhook_handler(
        os.environ["VANGUARD_WEBHOOK_SECRET"], lambda e: print(json.dumps(e, ensure_ascii=False))
    )
    ThreadingHTTPServer(("0.0.0.0", args.port), handler).serve_forever()  # noqa: S104 - a receiver listens
    return 0


if __name__ == "__main__":
    sys.exit(main())
