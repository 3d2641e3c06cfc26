"""Transfer codings the server does not know are the client's error, never the server's (issue 19,
finding 23: `Transfer-Encoding: xchunked` answered 500).

RFC 9112 §6.1: a request whose Transfer-Encoding the server does not understand gets 501, and one
whose final coding is not `chunked` has no length the server can trust: 400, then the connection
is closed. So each request below, sent on a raw socket to the API's sign-in and to the sign-in
form, must be answered 400 or 501 (never 500 or another 5xx), the server must then close the
connection (its framing is lost: reading what follows as a new request would let a client smuggle
one), and the next client must be served. The same holds for a `chunked` body that is not chunks
(not in the finding, but the same failure: the body read threw NIO's parser error, which was
answered 500 until ErrorMiddleware took it for the client's error).
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from mandate_testkit import Client

# Bounds, not waits: a server that answers at once is read at once.
ANSWER_TIMEOUT = 30.0

JSON_BODY = b'{"email":"te@example.vn","password":"wrong-password-123"}'
FORM_BODY = b"email=te%40example.vn&password=wrong-password-123&_csrf=x"

TARGETS = [
    ("/api/v1/session", "application/json", JSON_BODY),
    ("/login", "application/x-www-form-urlencoded", FORM_BODY),
]

def chunked(body: bytes) -> bytes:
    return f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"


def exchange(base_url: str, raw: bytes) -> tuple[bytes, bool]:
    """Sends `raw` on a new connection and reads until the server closes it. Returns what was
    read and whether the server closed the connection within the bound (False: it hung)."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=ANSWER_TIMEOUT) as s:
        s.sendall(raw)
        got = b""
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    return got, True
                got += data
        except socket.timeout:
            return got, False
        except ConnectionResetError:
            return got, True


def status_of(answer: bytes) -> int | None:
    line = answer.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) >= 2 and line[0].startswith(b"HTTP/1.") and line[1].isdigit() else None


def post(path: str, content_type: str, transfer_encoding: str, body: bytes) -> bytes:
    # No `Connection: close`: the server itself must end a connection whose framing it lost.
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Transfer-Encoding: {transfer_encoding}\r\n\r\n"
    )
    return head.encode() + body


def assert_refused_and_served(server: str, raw: bytes, what: str) -> None:
    answer, closed = exchange(server, raw)
    status = status_of(answer)
    assert closed, (
        f"{what}: the server did not close the connection within {ANSWER_TIMEOUT:.0f}s; "
        f"read {answer[:300]!r}"
    )
    assert status in (400, 501), (
        f"{what}: answered {status}, not 400 or 501:\n{answer[:800].decode(errors='replace')}"
    )
    r = Client(server).get("/healthz")
    assert r.status == 200, f"after {what}: {r.describe()}"


def unknown_coding_cases():
    for path, content_type, body in TARGETS:
        for coding in ("xchunked", "gzip", "chunked, xchunked"):
            for framing, sent in (("plain body", body), ("chunk-framed body", chunked(body))):
                yield pytest.param(path, content_type, coding, sent, id=f"{path}-{coding}-{framing}")


@pytest.mark.parametrize("path,content_type,coding,body", list(unknown_coding_cases()))
def test_an_unknown_transfer_coding_is_refused_as_the_clients_error(
    server: str, path: str, content_type: str, coding: str, body: bytes
) -> None:
    """`xchunked` and `gzip` alone (an unknown coding, and one the server does not decode) and
    `chunked, xchunked` (chunked not last): 400 or 501 and the connection closed, the server
    still serving."""
    assert_refused_and_served(
        server, post(path, content_type, coding, body), f"POST {path} with Transfer-Encoding: {coding}"
    )


@pytest.mark.parametrize("path,content_type,body", TARGETS, ids=[t[0] for t in TARGETS])
def test_a_malformed_chunked_body_is_refused_as_the_clients_error(
    server: str, path: str, content_type: str, body: bytes
) -> None:
    """The same rule for the coding the server knows: `chunked` framing that is not chunks (the
    body sent as it is, so its first bytes are read as a chunk size) is the client's error."""
    assert_refused_and_served(
        server, post(path, content_type, "chunked", body), f"POST {path} with a body that is not chunks"
    )
