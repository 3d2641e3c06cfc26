"""events-fanout: one event reaching 1,000 connected clients of GET /api/v1/events.

Issue 6: one event reaches 1,000 connected clients with p99 <= 100 ms.

Client processes (4 x 250 by default, each a selectors loop over raw sockets, so that Python is
not what is measured) open the server-sent-events stream and read its response head. When every
client is connected, the scenario causes one event the way the programme does: a task is created
by the demo analyst, a progress report written by Hà Nội's reporter and submitted by its head
(none of which is a public fact), then the analyst accepts it, which logs the fact
`accepted-report/...` and so publishes a `report-accepted` event. The time just before the
acceptance is sent and the time its response returns are taken with time.monotonic()
(CLOCK_MONOTONIC is one clock for every process of the machine); every client records the
monotonic time the read that completed the event returned. Reported per event and over all
events: p50/p99/max of arrival - response returned (the goal) and of arrival - request sent.

Every client must get every event, with the id the log gave the fact (its leaf index: the log's
size before the acceptance), the name `report-accepted` and the fact's key; otherwise the run is
INVALID. A server that refuses connections makes it an ERROR.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
import resource
import selectors
import socket
import time
import urllib.parse
import uuid

from ..api import ApiClient
from ..procs import HarnessError, child_setup
from ..registry import Context, Row, Scenario, ScenarioResult, register
from ..sse import ChunkedDecoder, EventStreamParser, parse_response_head, summary_ms

GOAL_MS = 100.0
PATH = "/api/v1/events"
EVENT_NAME = "report-accepted"
ANALYST, REPORTER, HEAD = "analyst@demo.mandate.vn", "reporter.hanoi@demo.mandate.vn", "head.hanoi@demo.mandate.vn"
UNIT = "01"  # Hà Nội, the unit of the demo's reporter and head


def raise_nofile(needed: int) -> tuple[int, int]:
    """Raise this process's open-file limit to at least `needed` if the hard limit allows; (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def split_clients(clients: int, workers: int) -> list[int]:
    """How many clients each worker process holds: as even as possible, none empty."""
    workers = max(1, min(workers, clients))
    return [clients // workers + (1 if i < clients % workers else 0) for i in range(workers)]


def judge_event(records: list, expected_key_prefix: str) -> tuple[list[float], list[str], str | None, str | None]:
    """Check one event as the clients saw it: records holds, per client, (arrival, id, name, key)
    or None. Every client must have it, all with one id, the name `report-accepted` and the key of
    the fact the write logged. Returns the arrival times of the clients that got it as expected,
    the problems, and the id and key most clients saw (the id is checked against the log apart)."""
    arrivals, problems = [], []
    missing = sum(r is None for r in records)
    if missing:
        problems.append(f"{missing} of {len(records)} clients did not get it")
    seen = [r for r in records if r is not None]
    ids = _tally(r[1] for r in seen)
    common_id = max(ids, key=ids.get) if ids else None
    keys = _tally(r[3] for r in seen)
    common_key = max(keys, key=keys.get) if keys else None
    wrong: dict[str, int] = {}
    for arrival, eid, name, key in seen:
        why = []
        if eid != common_id:
            why.append(f"id {eid} (most clients: {common_id})")
        if name != EVENT_NAME:
            why.append(f"event {name!r}")
        if not (key or "").startswith(expected_key_prefix):
            why.append(f"key {key!r} (expected {expected_key_prefix}...)")
        if why:
            wrong[", ".join(why)] = wrong.get(", ".join(why), 0) + 1
        else:
            arrivals.append(arrival)
    problems += [f"{n} clients got {what}" for what, n in wrong.items()]
    return arrivals, problems, common_id, common_key


# --------------------------------------------------------------------------
# The client processes
# --------------------------------------------------------------------------

class _Client:
    __slots__ = ("sock", "head", "status", "decoder", "parser", "events", "closed", "error")

    def __init__(self, sock: socket.socket):
        self.sock, self.head, self.status = sock, b"", None
        self.decoder: ChunkedDecoder | None = None
        self.parser = EventStreamParser()
        self.events: list = []  # (arrival, id, name, key)
        self.closed, self.error = False, None

    def on_data(self, data: bytes, now: float) -> None:
        if self.status is None:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, data = self.head[:end], self.head[end + 4:]
            self.status, headers = parse_response_head(head)
            if self.status != 200 or "text/event-stream" not in headers.get("content-type", ""):
                self.error = f"HTTP {self.status}, Content-Type {headers.get('content-type')!r}"
                return
            if "chunked" in headers.get("transfer-encoding", "").lower():
                self.decoder = ChunkedDecoder()
        body = self.decoder.feed(data) if self.decoder else data
        for ev in self.parser.feed(body):
            self.events.append((now, ev.get("id"), ev.get("event"), _fact_key(ev.get("data", ""))))


def _fact_key(data: str) -> str | None:
    # Only the key is needed; parsing ~1 KB per client costs little, after the arrival time is taken.
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    return doc.get("key") if isinstance(doc, dict) else None


def client_worker(conn, host: str, port: int, count: int, connect_timeout: float) -> None:
    """One client process: open `count` event streams, then serve the parent's requests
    ("collect", k, timeout) -> per client its k-th event, until ("stop",)."""
    child_setup()  # dies with the runner
    raise_nofile(count + 64)
    request = (f"GET {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
               "Cache-Control: no-cache\r\n\r\n").encode()
    sel = selectors.DefaultSelector()
    clients: list[_Client] = []
    failures: dict[str, int] = {}
    for _ in range(count):
        try:
            s = socket.create_connection((host, port), timeout=connect_timeout)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sendall(request)
            s.setblocking(False)
        except OSError as e:
            failures[type(e).__name__ + ": " + str(e)] = failures.get(type(e).__name__ + ": " + str(e), 0) + 1
            continue
        c = _Client(s)
        clients.append(c)
        sel.register(s, selectors.EVENT_READ, c)
    sel.register(conn, selectors.EVENT_READ, None)

    def pump(timeout: float) -> list:
        """Read whatever is ready; the parent's messages that arrived meanwhile."""
        messages = []
        for key, _ in sel.select(timeout):
            c = key.data
            if c is None:
                messages.append(conn.recv())
                continue
            try:
                data = c.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError as e:
                data, c.error = b"", c.error or f"{type(e).__name__}: {e}"
            now = time.monotonic()
            if not data:
                c.closed = True
                sel.unregister(c.sock)
                c.sock.close()
                continue
            try:
                c.on_data(data, now)
            except ValueError as e:
                c.error = c.error or str(e)
        return messages

    # Every client's response head, or its failure, before reporting ready.
    deadline = time.monotonic() + connect_timeout
    pending: list = []
    while time.monotonic() < deadline and any(c.status is None and not c.closed for c in clients):
        pending += pump(0.05)
    headless = sum(c.status is None for c in clients)
    conn.send(("ready", {"opened": len(clients), "failed": failures,
                         "streaming": sum(c.status == 200 and not c.error and not c.closed for c in clients),
                         "no_head": headless, "errors": _tally(c.error for c in clients if c.error),
                         "closed": sum(c.closed for c in clients)}))
    queue = pending
    while True:
        if not queue:
            queue = pump(0.5)
            continue
        msg = queue.pop(0)
        if msg[0] == "stop":
            for c in clients:
                if not c.closed:
                    c.sock.close()
            conn.close()
            return
        if msg[0] == "collect":
            _, k, timeout = msg
            end = time.monotonic() + timeout
            while time.monotonic() < end and any(len(c.events) < k and not c.closed for c in clients):
                queue += pump(0.02)
            conn.send(("collected", {
                "records": [c.events[k - 1] if len(c.events) >= k else None for c in clients],
                "extra": sum(len(c.events) > k for c in clients),
                "closed": sum(c.closed for c in clients),
                "errors": _tally(c.error for c in clients if c.error)}))


def _tally(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


# --------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------

class EventCauser:
    """Causes one `report-accepted` event at a time through the API, as the demo's accounts."""

    def __init__(self, base_url: str, tag: str):
        self.analyst, self.reporter, self.head = ApiClient(base_url), ApiClient(base_url), ApiClient(base_url)
        self.analyst.login(ANALYST)
        self.reporter.login(REPORTER)
        self.head.login(HEAD)
        self.tag, self.n = tag, 0

    def prepare(self) -> tuple[str, str]:
        """A submitted report awaiting acceptance: (task code, report id). Logs no fact."""
        self.n += 1
        code = f"FANOUT-{self.tag}-{self.n}"
        today = dt.datetime.now(dt.timezone.utc).date()
        self.analyst.json("POST", "/api/v1/tasks", {
            "code": code, "title": "Nhiệm vụ đo hiệu năng sự kiện trực tiếp", "deliverable": "Báo cáo",
            "programme": "NQ57", "leadUnit": UNIT, "start": today.isoformat(),
            "deadline": (today + dt.timedelta(days=30)).isoformat()}, expect=(201,), csrf=True)
        report = self.reporter.json("POST", f"/api/v1/tasks/{code}/reports",
                                    {"unit": UNIT, "percent": 100, "narrative": "Hoàn thành"}, expect=(201,),
                                    csrf=True)["id"]
        self.head.json("POST", f"/api/v1/reports/{report}/submit", expect=(200,), csrf=True)
        return code, report

    def leaf_index(self, key: str, timeout: float = 20.0) -> int | None:
        """The log's leaf index of the fact with this key, once a checkpoint covers it (the
        inclusion proof answers 409 until then); None if none did in time."""
        path = "/api/v1/log/proof/inclusion?key=" + urllib.parse.quote(key, safe="")
        end = time.monotonic() + timeout
        while True:
            status, _, body = self.analyst.request("GET", path, headers={"Accept": "application/json"})
            if status == 200:
                return int(json.loads(body)["leafIndex"])
            if status != 409 or time.monotonic() > end:
                return None
            time.sleep(0.25)

    def accept(self, report: str) -> tuple[float, float]:
        """Accept the report: (monotonic time just before the request, when its response returned)."""
        sent = time.monotonic()
        status, _, body = self.analyst.request("POST", f"/api/v1/reports/{report}/accept", csrf=True)
        returned = time.monotonic()
        if status != 200:
            raise HarnessError(f"accepting report {report} answered HTTP {status}: {body[:300]!r}")
        return sent, returned

    def close(self) -> None:
        for c in (self.analyst, self.reporter, self.head):
            c.close()


@register
class EventsFanout(Scenario):
    name = "events-fanout"
    title = "one server-sent event reaching 1,000 connected clients of GET /api/v1/events"
    measures = ("time from an accepted report's response to its report-accepted event's arrival at each of "
                "1,000 raw-socket clients (p50/p99/max, per event and over all events)")
    goal_text = f"p99 <= {GOAL_MS:g} ms"
    tools = ()
    selftest = False  # the stand-in has no event stream

    def run(self, ctx: Context) -> ScenarioResult:
        o = ctx.options
        clients, events = o.fanout_clients, o.fanout_events
        soft, hard = raise_nofile(clients + 1024)  # before the server starts: it inherits the limit
        details: dict = {"clients": clients, "events": events, "workers": split_clients(clients, o.fanout_workers),
                         "rlimit_nofile": [soft, hard]}
        if soft != resource.RLIM_INFINITY and soft < clients + 64:
            raise HarnessError(f"the open-file limit is {soft} (hard {hard}): too low for {clients} clients")
        # Every client comes from 127.0.0.1: lift the cap per client address (256 by default).
        server = ctx.start_server(extra_args=["--max-connections-per-client", str(o.fanout_clients + 64)])
        details["server_startup_s"] = round(server.startup_s or 0.0, 2)
        host, port = server.host, server.port
        causer = EventCauser(server.base_url, uuid.uuid4().hex[:8].upper())

        mp = multiprocessing.get_context("fork")
        workers = []
        try:
            for count in details["workers"]:
                parent_end, child_end = mp.Pipe()
                p = mp.Process(target=client_worker, args=(child_end, host, port, count, 60.0), daemon=True)
                p.start()
                child_end.close()
                workers.append((p, parent_end))
            t0 = time.monotonic()
            ready = [self._receive(conn, p, "ready", 120.0) for p, conn in workers]
            details["connect"] = {"seconds": round(time.monotonic() - t0, 2), "workers": ready}
            streaming = sum(r["streaming"] for r in ready)
            ctx.log(f"  {streaming}/{clients} clients streaming after {details['connect']['seconds']} s "
                    f"({len(workers)} processes)")
            if streaming < clients:
                raise HarnessError(f"only {streaming} of {clients} clients got the event stream's response head; "
                                   f"the server refused or failed the others: {ready}")

            per_event, all_after, all_since, problems = [], [], [], []
            gaps = random.Random(57)
            for i in range(1, events + 1):
                code, report = causer.prepare()
                sent, returned = causer.accept(report)
                for _, conn in workers:
                    conn.send(("collect", i, 30.0))
                replies = [self._receive(conn, p, "collected", 60.0) for p, conn in workers]
                records = [r for reply in replies for r in reply["records"]]
                arrivals, why, event_id, key = judge_event(records, f"accepted-report/{code}/")
                if per_event and event_id is not None and per_event[-1]["id"] is not None \
                        and int(event_id) <= int(per_event[-1]["id"]):
                    why.append(f"id {event_id} does not follow the previous event's {per_event[-1]['id']}")
                extra = sum(reply["extra"] for reply in replies)
                if extra:
                    why.append(f"{extra} clients got more events than were caused")
                after = [a - returned for a in arrivals]
                since = [a - sent for a in arrivals]
                all_after += after
                all_since += since
                ev = {"event": i, "task": code, "report": report, "id": event_id, "key": key,
                      "received": len(arrivals), "write_ms": round((returned - sent) * 1000, 3),
                      "after_response_ms": summary_ms(after), "since_request_ms": summary_ms(since),
                      "problems": why}
                per_event.append(ev)
                problems += [f"event {i}: {w}" for w in why]
                ctx.log(f"  event {i}/{events}: id {event_id}, {len(arrivals)}/{clients} clients; after the "
                        f"response p50 {ev['after_response_ms']['p50']} ms, p99 {ev['after_response_ms']['p99']} ms, "
                        f"max {ev['after_response_ms']['max']} ms; write {ev['write_ms']} ms"
                        + (f"; {'; '.join(why)}" if why else ""))
                # A gap of random length, so that the events fall at any moment of whatever cycle the
                # server runs on (a poll interval, a timer) rather than always at the same phase.
                time.sleep(gaps.uniform(0.25, 0.75))
            # The id is the fact's leaf index in the log: checked once the events are measured,
            # because the log's checkpoint (and so the inclusion proof) follows a little later.
            for ev in per_event:
                if ev["key"] is None or ev["id"] is None:
                    continue
                ev["leaf_index"] = causer.leaf_index(ev["key"])
                if ev["leaf_index"] is None:
                    problems.append(f"event {ev['event']}: the log gave no leaf index for {ev['key']}")
                elif str(ev["leaf_index"]) != ev["id"]:
                    problems.append(f"event {ev['event']}: id {ev['id']}, but the fact is leaf {ev['leaf_index']}")
        finally:
            causer.close()
            for p, conn in workers:
                try:
                    conn.send(("stop",))
                except OSError:
                    pass
            for p, conn in workers:
                p.join(5)
                if p.is_alive():
                    p.terminate()
                    p.join(5)

        overall_after, overall_since = summary_ms(all_after), summary_ms(all_since)
        details.update(per_event=per_event, after_response_ms=overall_after, since_request_ms=overall_since)
        received_min = min(ev["received"] for ev in per_event) if per_event else 0
        subject = Row(self.name, f"{ctx.subject} GET {PATH}: {events} events x {clients} clients, "
                      "arrival - write response", "subject", received_min, "clients",
                      overall_after["p50"], overall_after["p99"], goal=GOAL_MS, goal_metric="p99", goal_op="<=",
                      goal_unit="ms", note=f"max {overall_after['max']} ms; throughput column: fewest clients "
                                           "an event reached")
        subject.passed = None if problems else subject.meets(overall_after["p99"])
        if problems:
            subject.note = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        rows = [subject,
                Row(self.name, "arrival - write request sent (info)", "info", None, "", overall_since["p50"],
                    overall_since["p99"], note=f"max {overall_since['max']} ms")]
        for ev in per_event:
            a = ev["after_response_ms"]
            rows.append(Row(self.name, f"event {ev['event']} (id {ev['id']}), write {ev['write_ms']} ms "
                            "(info)", "info", ev["received"], "clients", a["p50"], a["p99"],
                            note=f"event {ev['event']}: max {a['max']} ms after the response; since the request "
                                 f"p50 {ev['since_request_ms']['p50']}, p99 {ev['since_request_ms']['p99']}, "
                                 f"max {ev['since_request_ms']['max']} ms"))
        status = "invalid" if problems else ("pass" if subject.passed else "fail")
        return ScenarioResult(self.name, status, rows, details)

    @staticmethod
    def _receive(conn, proc, kind: str, timeout: float) -> dict:
        if not conn.poll(timeout):
            raise HarnessError(f"a client process sent no {kind!r} within {timeout:.0f} s "
                               f"(alive: {proc.is_alive()}, exit code {proc.exitcode})")
        try:
            msg = conn.recv()
        except EOFError:
            raise HarnessError(f"a client process ended before {kind!r} (exit code {proc.exitcode})") from None
        if msg[0] != kind:
            raise HarnessError(f"a client process sent {msg[0]!r}, expected {kind!r}")
        return msg[1]
