"""Compression on both sides (`--compression gzip`; issue 20, point 10).

With it, wrk asks both servers for gzip (`Accept-Encoding: gzip`), and nginx compresses as a
plain deployment would: `gzip on`, level 6 (the server's level), nothing under 1 KiB, `Vary`,
and the text types the server sends, compressed per request (no `gzip_static`: nginx is given
the identity bytes only). Before measuring, one request to each server must answer
`Content-Encoding: gzip` with a body that inflates to exactly the identity body; after, each wrk
run's bytes per answer must be below the identity body's size (the answers really travelled
compressed).

Without the option (the default) nothing here is used, and the earlier figures stay reproducible.
"""

from __future__ import annotations

import gzip
import zlib

from .api import describe_difference
from .procs import HarnessError, http_get
from .wrk import WrkResult

CODINGS = ("none", "gzip")

# Issue 20, point 10: with compression on both sides, the read scenarios keep >= 0.7 x nginx
# (their goal without it stays the scenario's own, 0.5).
GOAL = 0.7

# nginx's gzip settings: those of the server (ContentCoding: level 6, at least 1024 bytes).
GZIP_LEVEL = 6
GZIP_MIN_LENGTH = 1024
# The types nginx compresses besides text/html, which it always compresses (naming it again
# makes nginx warn "duplicate MIME type"): what the server compresses (ContentCoding.compresses).
GZIP_TYPES = ("application/json", "application/problem+json", "application/javascript", "text/javascript",
              "text/css", "text/csv", "text/plain", "text/xml", "application/xml", "image/svg+xml",
              "application/x-ndjson")


def enabled(coding: str | None) -> bool:
    if coding in (None, "", "none"):
        return False
    if coding == "gzip":
        return True
    raise HarnessError(f"unknown compression {coding!r}; known: {', '.join(CODINGS)}")


def request_headers(coding: str | None) -> dict[str, str]:
    """What wrk (and the check) send to both servers: nothing without compression."""
    return {"Accept-Encoding": "gzip"} if enabled(coding) else {}


def split_charset(content_type: str) -> tuple[str, str | None]:
    """('application/json', 'utf-8') for 'application/json; charset=utf-8'; (the whole value,
    None) when it has no parameter or another one besides the charset."""
    parts = [p.strip() for p in content_type.split(";")]
    if len(parts) == 1:
        return parts[0], None
    if len(parts) == 2 and parts[1].lower().startswith("charset="):
        return parts[0], parts[1].split("=", 1)[1].strip().strip('"')
    return content_type, None


def nginx_gzip_directives(extra_types: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The http-level gzip directives, each a line of nginx's configuration (`extra_types`: whole
    Content-Type values nginx must match as they are, written already for nginx)."""
    types = [*GZIP_TYPES, *(t for t in extra_types if t not in GZIP_TYPES)]
    return ["gzip on;", f"gzip_comp_level {GZIP_LEVEL};", f"gzip_min_length {GZIP_MIN_LENGTH};",
            "gzip_vary on;", f"gzip_types {' '.join(types)};"]


def header(headers: dict[str, str], name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers.items() if k.lower() == name), None)


def check_gzip_answer(who: str, path: str, status: int, headers: dict[str, str], body: bytes,
                      identity: bytes, content_type: str | None = None) -> dict:
    """Fail unless an answer to `Accept-Encoding: gzip` is a 200 with `Content-Encoding: gzip`,
    `Vary: Accept-Encoding`, a Content-Length (if any) equal to the bytes received, and a body
    that inflates to exactly `identity` (and, given `content_type`, that Content-Type). Returns
    what was seen, for the result's details."""
    where = f"{who} GET {path} with Accept-Encoding: gzip"
    if status != 200:
        raise HarnessError(f"{where} answered HTTP {status}: {body[:300]!r}")
    coding = (header(headers, "content-encoding") or "").strip().lower()
    if coding != "gzip":
        raise HarnessError(f"{where} answered Content-Encoding {coding or '(none)'!r}, not gzip "
                           f"({len(body)} bytes; the identity body is {len(identity)})")
    vary = header(headers, "vary") or ""
    if "accept-encoding" not in [v.strip().lower() for v in vary.split(",")] and vary.strip() != "*":
        raise HarnessError(f"{where}: a compressed answer without Vary: Accept-Encoding (Vary {vary!r})")
    length = header(headers, "content-length")
    if length is not None and length.strip() != str(len(body)):
        raise HarnessError(f"{where}: Content-Length {length} but {len(body)} bytes received")
    try:
        inflated = gzip.decompress(body)
    except (OSError, EOFError, zlib.error) as e:
        raise HarnessError(f"{where}: the body ({len(body)} bytes) does not inflate: {e}") from None
    if inflated != identity:
        raise HarnessError(f"{where}: the body inflates to other bytes than the identity body: "
                           f"{describe_difference(inflated, identity)}")
    ctype = header(headers, "content-type")
    if content_type is not None and ctype != content_type:
        raise HarnessError(f"{where}: Content-Type {ctype!r}, the identity answer's is {content_type!r}")
    return {"content_encoding": coding, "compressed_bytes": len(body), "identity_bytes": len(identity),
            "content_length": length, "transfer_encoding": header(headers, "transfer-encoding"),
            "vary": vary, "content_type": ctype, "etag": header(headers, "etag")}


def check_gzip(who: str, url: str, path: str, identity: bytes, accept: str = "application/json",
               content_type: str | None = None) -> dict:
    """One request with `Accept-Encoding: gzip` to `url`, checked by check_gzip_answer."""
    status, headers, body = http_get(url, headers={"Accept": accept, "Accept-Encoding": "gzip"})
    return check_gzip_answer(who, path, status, headers, body, identity, content_type)


def bytes_per_answer(r: WrkResult) -> float | None:
    """What one answer weighed on the wire, head included: wrk's Transfer/sec ÷ Requests/sec."""
    if not r.rps or not r.transfer_bytes_per_s:
        return None
    return r.transfer_bytes_per_s / r.rps


def wire_problem(name: str, r: WrkResult, identity_bytes: int) -> str | None:
    """With compression on: a problem when wrk's answers were not smaller than the identity body,
    i.e. they did not travel compressed (None when they did, or wrk could not tell)."""
    per = bytes_per_answer(r)
    if per is not None and per >= identity_bytes:
        return (f"{name}: {per:,.0f} bytes per answer on the wire, not less than the identity body's "
                f"{identity_bytes:,}: not compressed")
    return None
