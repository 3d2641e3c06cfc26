"""Reading server-sent events off raw sockets: HTTP/1.1 chunked framing, the event-stream
format, and the percentiles the events-fanout scenario reports. Pure functions and small
state machines, so that they are tested without a server."""

from __future__ import annotations

import math


class ChunkedDecoder:
    """Undoes HTTP/1.1 chunked transfer coding incrementally: feed() any slice of the wire
    bytes, get back the body bytes it completes. `done` once the last (zero) chunk is read."""

    def __init__(self) -> None:
        self._buf = b""
        self._left = 0          # body bytes still to read in the current chunk
        self._want_crlf = False  # the CRLF after a chunk's data
        self.done = False

    def feed(self, data: bytes) -> bytes:
        self._buf += data
        out = bytearray()
        while not self.done:
            if self._left:
                take = self._buf[:self._left]
                out += take
                self._buf = self._buf[len(take):]
                self._left -= len(take)
                if self._left:
                    break
                self._want_crlf = True
            if self._want_crlf:
                if len(self._buf) < 2:
                    break
                if self._buf[:2] != b"\r\n":
                    raise ValueError(f"chunked framing: expected CRLF after a chunk, got {self._buf[:2]!r}")
                self._buf = self._buf[2:]
                self._want_crlf = False
            line_end = self._buf.find(b"\r\n")
            if line_end < 0:
                if len(self._buf) > 1024:
                    raise ValueError("chunked framing: a chunk-size line longer than 1 KiB")
                break
            size_text = self._buf[:line_end].split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise ValueError(f"chunked framing: bad chunk size {size_text!r}") from None
            self._buf = self._buf[line_end + 2:]
            if size == 0:
                self.done = True
                break
            self._left = size
        return bytes(out)


class EventStreamParser:
    """The `text/event-stream` format, incrementally: feed() body bytes, get the events they
    complete as dicts of their fields (`id`, `event`, `data`; several data lines joined by
    newlines). Comments and blocks with neither data nor id (e.g. `retry: 2000`) are not events."""

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, data: bytes) -> list[dict[str, str]]:
        self._buf += data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data
        events = []
        while True:
            end = self._buf.find(b"\n\n")
            if end < 0:
                return events
            block, self._buf = self._buf[:end], self._buf[end + 2:]
            fields: dict[str, str] = {}
            for line in block.decode("utf-8", errors="replace").split("\n"):
                if not line or line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                if value.startswith(" "):
                    value = value[1:]
                if name == "data" and "data" in fields:
                    fields["data"] += "\n" + value
                else:
                    fields[name] = value
            if "data" in fields or "id" in fields:
                events.append(fields)


def parse_response_head(head: bytes) -> tuple[int, dict[str, str]]:
    """(status, headers with lower-case names) of an HTTP/1.1 response head (without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError(f"not an HTTP response: {lines[0]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


def percentile(values: list[float], p: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least p % of the values at or
    below it (p99 of 1,000 values is the 990th smallest). None for no values."""
    if not values:
        return None
    xs = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(xs)))
    return xs[min(rank, len(xs)) - 1]


def summary_ms(seconds: list[float]) -> dict[str, float | None]:
    """p50, p99, max and min of a list of durations in seconds, in milliseconds (3 decimals)."""
    def ms(x):
        return None if x is None else round(x * 1000.0, 3)
    return {"count": len(seconds), "p50": ms(percentile(seconds, 50)), "p99": ms(percentile(seconds, 99)),
            "max": ms(max(seconds) if seconds else None), "min": ms(min(seconds) if seconds else None)}
