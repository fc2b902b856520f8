"""An oversized body gets a 413 JSON error that every common Python client can read, against a real server.

urllib, requests and httpx all write the whole body before reading the answer. A server that answers and closes
with the body unread makes the kernel reset the connection, and those clients report "connection reset by peer"
instead of the 413; the body-size middleware drains the body (up to a bound) before it answers.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import httpx
import pytest
import requests

from tests.support.server_process import ServerProcess

BODY_LIMIT = 1_000_000
BODY = json.dumps({"text": "Meta invested $14 billion in Scale AI. " * 290_000}).encode()  # 11 MB


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"FACTCHECK_MAX_BODY_BYTES": str(BODY_LIMIT), "FACTCHECK_MAX_TEXT_BYTES": "100000",
           "FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}
    with ServerProcess(tmp_path_factory.mktemp("413") / "data", env=env) as s:
        yield s


def assert_413(status: int, body: bytes) -> None:
    assert status == 413
    assert json.loads(body)["error"]["code"] == "payload_too_large"


def test_body_is_11_mb():
    assert 11_000_000 < len(BODY) < 12_000_000


def test_urllib_reads_the_413(server):
    request = urllib.request.Request(f"{server.base_url}/v1/documents", data=BODY,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=120)
    assert_413(caught.value.code, caught.value.read())


def test_requests_reads_the_413(server):
    r = requests.post(f"{server.base_url}/v1/documents", data=BODY, headers={"Content-Type": "application/json"},
                      timeout=120)
    assert_413(r.status_code, r.content)


def test_httpx_reads_the_413(server):
    r = httpx.post(f"{server.base_url}/v1/documents", content=BODY, headers={"Content-Type": "application/json"},
                   timeout=120)
    assert_413(r.status_code, r.content)


def test_httpx_chunked_body_without_length_reads_the_413(server):
    def chunks():
        for i in range(0, len(BODY), 65536):
            yield BODY[i : i + 65536]

    r = httpx.post(f"{server.base_url}/v1/check", content=chunks(), headers={"Content-Type": "application/json"},
                   timeout=120)
    assert_413(r.status_code, r.content)


def test_raw_socket_reads_the_413_after_writing_everything(server):
    """The plainest client: write the request whole, then read."""
    host, port = "127.0.0.1", server.port
    head = (f"POST /v1/documents HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n").encode()
    with socket.create_connection((host, port), timeout=120) as sock:
        sock.sendall(head + BODY)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert b" 413 " in status_line
    assert_413(413, rest.split(b"\r\n\r\n", 1)[1])


def test_a_client_waiting_for_100_continue_gets_the_413_without_sending_the_body(server):
    head = (f"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\nExpect: 100-continue\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(head)  # and nothing more: curl waits for "100 Continue" before sending a large body
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 ") and b"payload_too_large" in answer


def test_server_still_serves_after_the_413s(server):
    assert httpx.get(f"{server.base_url}/v1/documents", timeout=30).status_code == 200
