"""The remote client every `--server` command shares: problem+json → RemoteError with exit code 2,
transport failures too, the base URL in any usual spelling, streamed downloads and polling."""

from __future__ import annotations

import argparse
import io
from typing import Any

import httpx
import pytest

from vanguard import remote
from vanguard.remote import RemoteClient, RemoteError

PROBLEM = {
    "type": "urn:vanguard:problem:validation_failed",
    "title": "Invalid input",
    "status": 422,
    "detail": "输入数据有误",
    "code": "validation_failed",
    "messages": {"zh-CN": "输入数据有误", "en": "Invalid input"},
    "request_id": "req-1",
    "errors": [{"field": "query.limit", "code": "less_than_equal", "message": "too large"}],
}


def _client(handler: Any, server: str = "https://vg.example.org") -> RemoteClient:
    return RemoteClient(server, "vgs_secret", transport=httpx.MockTransport(handler))


def test_requests_carry_the_token_under_api_v1_and_drop_unset_params() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    for server in ("https://vg.example.org", "https://vg.example.org/", "https://vg.example.org/api/v1/"):
        with _client(handler, server) as client:
            assert client.get_json(
                "members", params={"stage": "full", "org_id": None, "descending": True}
            ) == {"ok": True}
    assert {str(r.url) for r in seen} == {"https://vg.example.org/api/v1/members?stage=full&descending=true"}
    assert seen[0].headers["authorization"] == "Bearer vgs_secret"


def test_a_problem_answer_becomes_a_remote_error_with_exit_code_2() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json=PROBLEM, headers={"content-type": "application/problem+json"})

    with _client(handler) as client, pytest.raises(RemoteError) as caught:
        client.get_json("/members")
    error = caught.value
    assert (error.status, error.code, error.exit_code) == (422, "validation_failed", 2)
    assert str(error).splitlines() == [
        "HTTP 422 validation_failed: 输入数据有误 / Invalid input",
        "  query.limit: too large",
        "  request id: req-1",
    ]


def test_an_answer_that_is_not_a_problem_keeps_its_status_and_text() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"})

    with _client(handler) as client, pytest.raises(RemoteError) as caught:
        client.post_json("/complaints", {"title": "x"})
    assert (caught.value.status, caught.value.code, caught.value.exit_code) == (502, "http_error", 2)
    assert "Bad Gateway" in str(caught.value)


def test_errors_of_a_streamed_download_raise_before_anything_is_written() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("format") == "xlsx":
            return httpx.Response(
                404,
                json={**PROBLEM, "status": 404, "code": "org_not_found"},
                headers={"content-type": "application/problem+json"},
            )
        return httpx.Response(200, content=b"x" * 200_000)

    out = io.BytesIO()
    sizes: list[int] = []
    with _client(handler) as client:
        assert (
            client.download("/members/export", out, params={"format": "csv"}, on_chunk=sizes.append)
            == 200_000
        )
        assert out.getvalue() == b"x" * 200_000
        assert sizes[-1] == 200_000
        out = io.BytesIO()
        with pytest.raises(RemoteError) as caught:
            client.download("/members/export", out, params={"format": "xlsx"})
    assert caught.value.code == "org_not_found"
    assert out.getvalue() == b""


def test_connection_failures_are_exit_code_2() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with _client(handler) as client, pytest.raises(RemoteError) as caught:
        client.get_json("/orgs/roots")
    assert (caught.value.status, caught.value.code, caught.value.exit_code) == (None, "connection_failed", 2)


def test_upload_sends_multipart_with_form_fields() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"id": 7})

    with _client(handler) as client:
        body = client.upload(
            "/imports/members",
            filename="名册.csv",
            content=b"a,b\n",
            data={"dry_run": True, "org_id": 3, "mode": None},
        )
    assert body == {"id": 7}
    sent = seen[0].read().decode()
    assert 'name="dry_run"\r\n\r\ntrue' in sent
    assert 'name="org_id"\r\n\r\n3' in sent
    assert 'name="mode"' not in sent
    assert "a,b\n" in sent


def test_poll_until_finished_reports_each_read() -> None:
    states = iter(["queued", "running", "succeeded"])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"state": next(states)})

    updates: list[str] = []
    with _client(handler) as client:
        final = client.poll(
            "/jobs/1",
            finished=lambda b: b["state"] == "succeeded",
            on_update=lambda b: updates.append(b["state"]),
            interval=0,
        )
    assert final == {"state": "succeeded"}
    assert updates == ["queued", "running", "succeeded"]


def test_remote_arguments_default_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANGUARD_SERVER", "http://127.0.0.1:8000")
    monkeypatch.setenv("VANGUARD_TOKEN", "vgs_env")
    parser = argparse.ArgumentParser()
    remote.add_remote_arguments(parser)
    target = remote.target_from_args(parser.parse_args([]))
    assert target == remote.RemoteTarget("http://127.0.0.1:8000", "vgs_env")
    assert remote.target_from_args(parser.parse_args(["--token", "vgs_flag"])) == remote.RemoteTarget(
        "http://127.0.0.1:8000", "vgs_flag"
    )
    monkeypatch.delenv("VANGUARD_SERVER")
    monkeypatch.delenv("VANGUARD_TOKEN")
    parser = argparse.ArgumentParser()
    remote.add_remote_arguments(parser)
    assert remote.target_from_args(parser.parse_args([])) is None
    with pytest.raises(RemoteError) as caught:
        remote.target_from_args(parser.parse_args(["--token", "t"]))
    assert (caught.value.code, caught.value.exit_code) == ("usage", 2)
    with pytest.raises(RemoteError):
        RemoteClient("ftp://example.org", "t")
