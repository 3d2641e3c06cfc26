"""The server on PostgreSQL (national deployments), on a database of its own.

Needs MANDATE_TEST_POSTGRES_URL (postgres://user:pass@host:port/db) whose
role may CREATE DATABASE; scripts/pg-cluster starts such a server.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from mandate_testkit import DEMO_ADMIN_PASSWORD, DEMO_COMMUNES, DEMO_PROVINCES, psql_binary

POSTGRES_URL = os.environ.get("MANDATE_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="MANDATE_TEST_POSTGRES_URL is not set (start one with scripts/pg-cluster start DIR)",
)


def with_database(url: str, name: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, "/" + name, p.query, p.fragment))


def psql(url: str, sql: str) -> str:
    exe = psql_binary()
    if exe is None:
        pytest.fail("psql not found (apt-get install postgresql-client-15)", pytrace=False)
    # libpq does not know the postgres:// scheme variants some drivers accept.
    libpq_url = url.replace("postgresql+", "").replace("postgres+", "")
    p = subprocess.run(
        [exe, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-d", libpq_url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, f"psql {sql!r} failed: {p.stderr}"
    return p.stdout


@pytest.fixture
def fresh_postgres_database() -> Iterator[str]:
    name = f"mandate_sys_{secrets.token_hex(6)}"
    psql(POSTGRES_URL, f'CREATE DATABASE "{name}"')
    try:
        yield with_database(POSTGRES_URL, name)
    finally:
        psql(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_server_on_postgres(start_server, fresh_postgres_database: str) -> None:
    url = fresh_postgres_database
    srv = start_server(url)
    c = srv.client()
    r = c.get("/healthz")
    assert r.status == 200 and r.json().get("status") == "ok", r.describe()
    assert c.unit_total("province") == DEMO_PROVINCES
    assert c.unit_total("commune") == DEMO_COMMUNES
    r = c.get("/api/v1/units/01")
    assert r.status == 200 and r.json()["shortName"] == "Hà Nội", r.describe()
    csrf = c.login_api()
    r = c.post("/api/v1/tokens", json={"name": "on-postgres", "password": DEMO_ADMIN_PASSWORD}, csrf=csrf)
    assert r.status == 201, r.describe()
    token = r.json()["token"]
    srv.assert_graceful_stop()

    # The schema and data are in the new database, and a restart reuses them.
    tables = psql(
        url,
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    assert int(tables.strip() or 0) > 0, "no tables in the new database"
    srv2 = start_server(url)
    c2 = srv2.client()
    assert c2.unit_total("province") == DEMO_PROVINCES, "demo duplicated on restart"
    r = c2.get("/api/v1/tokens", bearer=token)
    assert r.status == 200, r.describe()
    assert "on-postgres" in [t["name"] for t in r.json()["items"]]
