"""The OpenAPI document is the contract: schemathesis (PyPI) generates requests from the served
document, anonymously and with an administrator's API token, and checks every answer against it:
no 5xx, only documented statuses, content types, headers and schemas; invalid input refused;
a method a path does not take answered 405 with `Allow`; authentication not ignored. The run is
bounded (a fixed seed, a few examples per operation) so that it fits CI; the configuration, and
the few operations whose business rules go past what a schema can state, are in
`schemathesis.toml` beside this file. The server's log must hold no crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mandate_testkit import OUT_DIR, Client

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "schemathesis.toml"
# Examples per operation and phase; raise it (MANDATE_SCHEMATHESIS_EXAMPLES) for a longer run.
EXAMPLES = os.environ.get("MANDATE_SCHEMATHESIS_EXAMPLES", "10")


def admin_token(base_url: str) -> str:
    c = Client(base_url)
    csrf = c.login_api()
    r = c.post(
        "/api/v1/tokens", json={"name": "schemathesis", "password": "mandate-demo"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status == 201, r.describe()
    return r.json()["token"]


def config_for(token: str, folder: Path) -> Path:
    """The configuration; without a token, without its `[auth…]` section, so that no
    credential at all is sent."""
    if token:
        return CONFIG
    kept, skipping = [], False
    for line in CONFIG.read_text().splitlines():
        if line.startswith("["):
            skipping = line.startswith("[auth")
        if not skipping:
            kept.append(line)
    path = folder / "schemathesis-anonymous.toml"
    path.write_text("\n".join(kept) + "\n")
    return path


def start_schemathesis(base_url: str, token: str, name: str, folder: Path) -> subprocess.Popen:
    """schemathesis in a process of its own, with one worker: Python before 3.11.8 keeps one
    AST recursion counter for every thread, and Hypothesis parsing lambdas in two threads at once
    fails with "AST constructor recursion depth mismatch" (CPython gh-106905)."""
    report = OUT_DIR / f"schemathesis-{name}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config_for(token, folder)), "run",
        f"{base_url}/api/v1/openapi.json", "--url", base_url,
        "--phases", "examples,coverage,fuzzing", "--max-examples", EXAMPLES, "--seed", "20261206",
        "--workers", "1", "--request-timeout", "30", "--no-color",
    ]
    env = dict(os.environ, MANDATE_ST_TOKEN=token)
    # Run in the test's folder: schemathesis keeps a cache in its working directory.
    return subprocess.Popen(
        command, env=env, cwd=folder, stdout=report.open("w"), stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.timeout(1200)
def test_the_served_document_is_the_contract(start_server, tmp_path: Path) -> None:
    """Anonymous and administrator runs at once, each against a server of its own."""
    runs = {}
    for who in ("anonymous", "administrator"):
        folder = tmp_path / who
        folder.mkdir()
        server = start_server(f"sqlite:{folder}/contract.sqlite", workdir=folder)
        token = admin_token(server.url) if who == "administrator" else ""
        runs[who] = (server, start_schemathesis(server.url, token, who, folder))
    problems = []
    for who, (server, process) in runs.items():
        code = process.wait(timeout=1100)
        report = (OUT_DIR / f"schemathesis-{who}.txt").read_text()
        if code != 0:
            problems.append(f"schemathesis found problems ({who}); the whole report is in "
                            f"{OUT_DIR}/schemathesis-{who}.txt:\n{report[-8000:]}")
        log = server.log_tail(100000)
        if "runtime failure" in log or "Fatal error" in log:
            problems.append(f"the server ({who}) crashed:\n{log[-4000:]}")
    assert not problems, "\n\n".join(problems)
