"""The transparency log across crashes, on SQLite: values are approved through
the API while the server is killed with SIGKILL several times mid-write and
restarted. The log never shrinks, every checkpoint seen is consistent with the
one before it, every acknowledged value is in the log, and `mandate verify`
passes at the end. Then `mandate verify` against a live server, before and
after a value is changed directly in the SQLite file."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from mandate_testkit import Client, MandateServer, run_cli

KILLS = 3
WRITERS = 3
WRITE_SECONDS = 2.0
BATCH = 5
INDICATOR = "DVC_TS"  # quarterly, for provinces; the demo has no values before 2024
PROVINCES = (
    "01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96"
).split()
FIRST_YEAR, LAST_YEAR = 1960, 2023


@dataclass(frozen=True)
class Signed:
    size: int
    root: bytes
    note: str


def parse_checkpoint(note: str) -> Signed:
    lines = note.split("\n")
    return Signed(int(lines[1]), base64.b64decode(lines[2]), note)


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def consistent(size1: int, size2: int, proof: list[bytes], root1: bytes, root2: bytes) -> bool:
    """RFC 9162, 2.1.4.2: is the tree of size1 leaves with root1 a prefix of the one of size2 with root2?"""
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0 or size1 > size2 or not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1, *proof]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


class Keys:
    """Distinct (unit, period) cells the demo leaves empty: provinces, from 1960Q1 to 2023Q4."""

    def __init__(self) -> None:
        self.next = 0
        self.lock = threading.Lock()

    def take(self, count: int) -> list[tuple[str, str]]:
        with self.lock:
            start, self.next = self.next, self.next + count
        cells = []
        for n in range(start, start + count):
            quarter = n // len(PROVINCES)
            year = FIRST_YEAR + quarter // 4
            assert year <= LAST_YEAR, "the writers ran out of empty cells"
            cells.append((PROVINCES[n % len(PROVINCES)], f"{year}Q{quarter % 4 + 1}"))
        return cells


def checkpoint(c: Client) -> Signed | None:
    r = c.get("/log/checkpoint", timeout=5, store_cookies=False)
    return parse_checkpoint(r.text) if r.status == 200 else None


def test_log_survives_kill9_restarts(start_server, mandate_binary: str, tmp_path: Path) -> None:
    db = f"sqlite:{tmp_path}/m.sqlite"
    keys = Keys()
    acked: dict[tuple[str, str], str] = {}  # (unit, period) -> value, for 200 answers only
    seen: list[Signed] = []  # every checkpoint observed, in order
    problems: list[str] = []
    lock = threading.Lock()

    def observe(c: Client) -> None:
        try:
            signed = checkpoint(c)
        except OSError:
            return
        if signed is not None:
            with lock:
                if not seen or seen[-1] != signed:
                    seen.append(signed)

    srv: MandateServer = start_server(db)
    for round_no in range(KILLS + 1):
        c = srv.client()
        observe(c)
        if round_no == KILLS:
            break
        csrf = c.login_api()
        killed = threading.Event()
        stop = threading.Event()

        def writer(n: int) -> None:
            me = c.copy()
            while not stop.is_set():
                cells = keys.take(BATCH)
                values = {cell: str(100 + int(cell[1][:4]) % 900) for cell in cells}
                body = {
                    "dataValues": [
                        {"dataElement": INDICATOR, "orgUnit": u, "period": p, "value": v}
                        for (u, p), v in values.items()
                    ]
                }
                try:
                    r = me.post(
                        "/api/v1/dataValueSets?approve=true", json=body, csrf=csrf, store_cookies=False, timeout=15
                    )
                except OSError as e:
                    if not killed.is_set():
                        with lock:
                            problems.append(f"writer {n}: {e!r}")
                    return
                if r.status == 200:
                    with lock:
                        acked.update(values)
                elif not killed.is_set():
                    with lock:
                        problems.append(f"writer {n}: {r.describe()}")

        def watcher() -> None:
            me = Client(srv.url)
            while not stop.is_set():
                observe(me)
                time.sleep(0.1)

        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
        threads.append(threading.Thread(target=watcher, daemon=True))
        before = len(acked)
        for t in threads:
            t.start()
        time.sleep(WRITE_SECONDS)
        writing = sum(t.is_alive() for t in threads[:WRITERS])
        killed.set()
        srv.kill9()  # mid-stream: the writers are still sending
        stop.set()
        for t in threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads), "writers hung after the kill"
        assert writing == WRITERS, "writers stopped before the kill"
        assert srv.exit_code == -9, srv.exit_code
        assert not problems, "errors before the kill:\n" + "\n".join(problems[:20])
        assert len(acked) > before, f"round {round_no}: nothing acknowledged in {WRITE_SECONDS}s"
        srv = start_server(db)

    # After the last restart the checkpointer signs whatever the crashes left unsigned.
    c = srv.client()
    expected_values = len(acked)
    deadline = time.monotonic() + 30
    while True:
        observe(c)
        size = c.get("/api/v1/log").json()["treeSize"]
        if size == seen[-1].size and size >= expected_values:
            break
        assert time.monotonic() < deadline, f"the log was not signed up to its size {size}"
        time.sleep(0.25)

    # The log never shrank, and each checkpoint seen is consistent with the one before.
    sizes = [s.size for s in seen]
    assert sizes == sorted(sizes), f"the log shrank: {sizes}"
    assert len(seen) >= KILLS + 1, f"too few checkpoints seen: {sizes}"
    for old, new in zip(seen, seen[1:]):
        r = c.get(f"/api/v1/log/proof/consistency?from={old.size}&to={new.size}")
        assert r.status == 200, r.describe()
        proof = [base64.b64decode(h) for h in r.json()["proof"]]
        assert consistent(old.size, new.size, proof, old.root, new.root), (
            f"checkpoint of {new.size} leaves is not consistent with the one of {old.size}"
        )

    # Every acknowledged value is public and in the log.
    r = c.get("/api/v1/log/facts")
    assert r.status == 200, r.describe()
    facts = [json.loads(item) for item in r.json()["items"]]
    published = {
        (f["fields"]["unit"], f["fields"]["period"]): f
        for f in facts
        if f["fields"].get("indicator") == INDICATOR and f["fields"]["period"] < "2024"
    }
    missing = sorted(cell for cell in acked if cell not in published)
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged values lost: {missing[:10]}"
    wrong = [cell for cell, value in acked.items() if published[cell]["fields"]["value"] != value]
    assert not wrong, f"acknowledged values changed: {wrong[:10]}"
    for cell in list(acked)[-20:]:  # the newest acknowledged are the most at risk
        key = published[cell]["key"]
        r = c.get("/api/v1/log/proof/inclusion?key=" + quote(key, safe=""))
        assert r.status == 200, r.describe()

    # The whole log verifies from its public endpoints, and against the first checkpoint seen.
    first = tmp_path / "first-checkpoint.txt"
    first.write_text(seen[0].note)
    key = c.get("/.well-known/mandate-log-key").text.strip()
    p = run_cli(
        mandate_binary, ["verify", "--server", srv.url, "--key", key, "--checkpoint", str(first)], timeout=300
    )
    assert p.returncode == 0, f"mandate verify failed:\n{p.stdout}{p.stderr}"
    assert f"consistent with the saved checkpoint of {seen[0].size} leaves" in p.stdout, p.stdout


def test_verify_catches_a_value_changed_in_the_database(start_server, mandate_binary: str, tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite"
    srv = start_server(f"sqlite:{path}")
    c = srv.client()
    deadline = time.monotonic() + 30
    while checkpoint(c) is None:
        assert time.monotonic() < deadline, "the log was never signed"
        time.sleep(0.25)
    key = c.get("/.well-known/mandate-log-key").text.strip()
    saved = tmp_path / "saved.txt"

    p = run_cli(mandate_binary, ["verify", "--server", srv.url, "--key", key, "--save-checkpoint", str(saved)])
    assert p.returncode == 0, f"mandate verify failed on an untouched log:\n{p.stdout}{p.stderr}"
    assert re.search(r"verifies: \d+ published facts", p.stdout), p.stdout
    assert saved.read_text() == c.get("/log/checkpoint").text

    # Someone with access to the database file changes a published value, behind the server's back.
    conn = sqlite3.connect(path, timeout=30)
    try:
        row = conn.execute(
            "SELECT indicator_code, unit_code, period, value FROM data_values "
            "WHERE status = 'approved' ORDER BY period DESC, unit_code LIMIT 1"
        ).fetchone()
        assert row is not None, "the demo has no approved value"
        indicator, unit, period, value = row
        changed = conn.execute(
            "UPDATE data_values SET value = ? WHERE indicator_code = ? AND unit_code = ? AND period = ?",
            (value + 1, indicator, unit, period),
        ).rowcount
        conn.commit()
    finally:
        conn.close()
    assert changed == 1

    p = run_cli(mandate_binary, ["verify", "--server", srv.url, "--key", key, "--checkpoint", str(saved)])
    out = p.stdout + p.stderr
    assert p.returncode == 1, f"mandate verify did not fail on a changed value ({p.returncode}):\n{out}"
    assert "verification FAILED" in p.stderr, out
    assert f"approved-value/{indicator}/{unit}/{period}/" in p.stderr, out
    assert "is not in the log as published now" in p.stderr, out
    assert "Traceback" not in out and "Fatal error" not in out, out
