"""Durability on SQLite: what the server acknowledged survives `kill -9`, and
restarts reuse the database without loading the demo twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from mandate_testkit import DEMO_ADMIN_PASSWORD, DEMO_COMMUNES, DEMO_PROVINCES, Client

WRITERS = 4
WRITE_SECONDS = 2.0


def list_tokens(c: Client) -> dict[str, dict]:
    r = c.get("/api/v1/tokens", timeout=60)
    assert r.status == 200, r.describe()
    return {str(t["id"]): t for t in r.json()["items"]}


def test_acknowledged_writes_survive_kill9(start_server, tmp_path: Path) -> None:
    db = f"sqlite:{tmp_path}/m.sqlite"
    srv = start_server(db)
    c = srv.client()
    csrf = c.login_api()

    acked: dict[str, str] = {}  # id -> secret, only for 201 responses with a body
    unexpected: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()
    stop = threading.Event()

    def writer(n: int) -> None:
        me = c.copy()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = me.post(
                    "/api/v1/tokens",
                    json={"name": f"durable-{n}-{i}", "password": DEMO_ADMIN_PASSWORD},
                    csrf=csrf,
                    store_cookies=False,
                    timeout=15,
                )
            except OSError as e:
                if killed.is_set():
                    return
                with lock:
                    unexpected.append(f"writer {n}: {e!r}")
                time.sleep(0.05)
                continue
            if r.status == 201:
                try:
                    body = r.json()
                    with lock:
                        acked[str(body["id"])] = body["token"]
                except (AssertionError, KeyError) as e:
                    with lock:
                        unexpected.append(f"writer {n}: bad 201 body {e}")
            elif r.status != 429 and not killed.is_set():
                with lock:
                    unexpected.append(f"writer {n}: {r.describe()}")

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for t in threads:
        t.start()
    # At least WRITE_SECONDS of writes and at least ten acknowledged (each mints a token, which
    # checks the password again: a bcrypt verification, slower on a busy machine).
    started = time.monotonic()
    while time.monotonic() - started < 120:
        with lock:
            enough = len(acked) >= 10
        if enough and time.monotonic() - started >= WRITE_SECONDS:
            break
        time.sleep(0.05)
    in_flight = sum(t.is_alive() for t in threads)
    killed.set()  # from now on, connection errors are expected
    srv.kill9()  # mid-stream: the writers are still sending
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "writers hung after the kill"
    assert in_flight == WRITERS, "writers stopped before the kill"
    assert srv.exit_code == -9, srv.exit_code
    assert not unexpected, "errors before the kill:\n" + "\n".join(unexpected[:20])
    assert len(acked) >= 10, f"only {len(acked)} tokens acknowledged in {WRITE_SECONDS}s"

    srv2 = start_server(db)
    c2 = srv2.client()
    c2.login_api()
    listed = list_tokens(c2)
    missing = sorted(set(acked) - set(listed))
    assert not missing, (
        f"{len(missing)} of {len(acked)} acknowledged tokens lost after kill -9: {missing[:20]}"
    )
    # The secrets still authenticate (the newest acknowledged ones are the most at risk).
    for token_id in list(acked)[-20:]:
        r = Client(srv2.url).get("/api/v1/tokens", bearer=acked[token_id])
        assert r.status == 200, f"token {token_id} does not authenticate after restart: {r.describe()}"
    # Crash recovery did not load the demo again.
    assert c2.unit_total("province") == DEMO_PROVINCES
    assert c2.unit_total("commune") == DEMO_COMMUNES


def test_restart_reuses_database_without_duplicating_demo(start_server, tmp_path: Path) -> None:
    path = tmp_path / "data" / "m.sqlite"
    path.parent.mkdir()
    db = f"sqlite:{path}"

    first = start_server(db)
    assert path.is_file() and path.stat().st_size > 0, "first start did not create the SQLite file"
    c = first.client()
    assert c.unit_total("province") == DEMO_PROVINCES
    assert c.unit_total("commune") == DEMO_COMMUNES
    csrf = c.login_api()
    r = c.post("/api/v1/tokens", json={"name": "survives-restart", "password": DEMO_ADMIN_PASSWORD}, csrf=csrf)
    assert r.status == 201, r.describe()
    token_id = str(r.json()["id"])
    first.assert_graceful_stop()

    for _ in range(2):
        again = start_server(db)
        c = again.client()
        assert c.unit_total("province") == DEMO_PROVINCES, "demo provinces duplicated on restart"
        assert c.unit_total("commune") == DEMO_COMMUNES, "demo communes duplicated on restart"
        c.login_api()
        assert token_id in list_tokens(c), "token created before a clean restart is gone"
        again.assert_graceful_stop()
