"""The `mandate` command line for indicators and values: `mandate indicators import` and
`mandate import` (CSV and JSON), all or nothing, every bad row named by line (or item) and
column, the same file twice changing nothing, progress on long files, and an import killed
half-way writing nothing."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

from mandate_testkit import run_cli, sqlite_dump

INDICATORS_HEADER = "code,name_vi,name_en,unit_of_measure,value_type,direction,frequency,applies_to,rollup,rollup_denominator,illustrative"



def migrated(mandate_binary: str, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "cli.sqlite"
    db = f"sqlite:{path}"
    p = run_cli(mandate_binary, ["migrate", "--database", db], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    return db, path


def test_indicators_and_values_import_all_or_nothing(mandate_binary: str, tmp_path: Path) -> None:
    db, path = migrated(mandate_binary, tmp_path)
    bad = tmp_path / "bad-indicators.csv"
    bad.write_text(
        INDICATORS_HEADER + "\n"
        "T_CNT,Số điểm,Points,điểm,number,higher,yearly,commune,sum,,maybe\n"
        "T_AVG,Bình quân,Average,%,percent,higher,yearly,commune,weightedMean,T_NONE,false\n",
        encoding="utf-8",
    )
    before = sqlite_dump(path)
    p = run_cli(mandate_binary, ["indicators", "import", str(bad), "--database", db], cwd=tmp_path)
    out = p.stdout + p.stderr
    assert p.returncode == 65, out
    assert re.search(r"line 2, column illustrative: \"maybe\" is not true or false", out), out
    assert sqlite_dump(path) == before, "a refused indicators file changed the database"
    # Fixed but for the denominator: that error names its line and the file's column.
    bad.write_text(bad.read_text(encoding="utf-8").replace(",maybe", ",true"), encoding="utf-8")
    p = run_cli(mandate_binary, ["indicators", "import", str(bad), "--database", db], cwd=tmp_path)
    out = p.stdout + p.stderr
    assert p.returncode == 65 and re.search(r"line 3, column rollup_denominator: T_AVG: no indicator", out), out

    good = tmp_path / "indicators.csv"
    good.write_text(INDICATORS_HEADER + "\nT_CNT,Số điểm,Points,điểm,number,higher,yearly,commune,sum,,true\n", encoding="utf-8")
    p = run_cli(mandate_binary, ["indicators", "import", str(good), "--database", db], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr

    values = tmp_path / "bad-values.csv"
    values.write_text(
        "indicator,unit,period,value\nT_CNT,00004,2025,3\nT_CNT,00008,2025Q1,2\nT_CNT,00008\nT_CNT,99999,2025,x\n",
        encoding="utf-8",
    )
    before = sqlite_dump(path)
    p = run_cli(mandate_binary, ["import", str(values), "--database", db], cwd=tmp_path)
    out = p.stdout + p.stderr
    assert p.returncode == 65, out
    for line, column in [(3, "period"), (4, None), (5, "unit"), (5, "value")]:
        pattern = rf"line {line}" + (rf", column {column}" if column else "")
        assert re.search(pattern, out), f"no error for {pattern}:\n{out}"
    assert "4 problem(s)" in out and "nothing was written" in out, out
    assert sqlite_dump(path) == before, "a refused values file changed the database"

    items = {"dataValues": [
        {"dataElement": "T_CNT", "orgUnit": "00004", "period": "2025", "value": 3},
        {"dataElement": "T_CNT", "orgUnit": "00008", "period": "2025", "value": True},
        {"dataElement": "T_CNT", "period": "2025", "value": "1"},
    ]}
    bad_json = tmp_path / "bad.json"
    bad_json.write_text(json.dumps(items), encoding="utf-8")
    p = run_cli(mandate_binary, ["import", str(bad_json), "--database", db], cwd=tmp_path)
    out = p.stdout + p.stderr
    assert p.returncode == 65, out
    assert "dataValues[1].value: value is text or a number" in out, out
    assert "dataValues[2].orgUnit: orgUnit is missing" in out, out
    assert "DecodingError" not in out and "Usage" not in out, out

    # A long file: progress, then the same file again changes nothing.
    communes = [row[0] for row in sqlite3.connect(path).execute(
        "SELECT code FROM units WHERE kind = 'commune' ORDER BY code LIMIT 3000")]
    rows = [f"T_CNT,{code},{year},{i % 97}" for i, code in enumerate(communes) for year in range(2010, 2027)]
    assert len(rows) >= 50_000
    big = tmp_path / "values.csv"
    big.write_text("indicator,unit,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    p = run_cli(mandate_binary, ["import", str(big), "--database", db], cwd=tmp_path, timeout=600)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert re.search(r"stored \d+ rows \(\d+%\)", out), f"no progress shown:\n{out}"
    assert f"{len(rows)} created, 0 updated, 0 unchanged" in out, out
    p = run_cli(mandate_binary, ["import", str(big), "--database", db], cwd=tmp_path, timeout=600)
    out = p.stdout + p.stderr
    assert p.returncode == 0 and f"0 created, 0 updated, {len(rows)} unchanged" in out, out


def query(path: Path, sql: str) -> list[tuple]:
    """The rows of one statement, on a connection closed before returning."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_import_killed_midway_writes_nothing(mandate_binary: str, tmp_path: Path) -> None:
    """`mandate import` alone on an SQLite file writes with a rollback journal (each page once):
    killed half-way, it leaves a journal that the next opening rolls back, so the file holds what
    it held before, and returns to WAL mode."""
    db, path = migrated(mandate_binary, tmp_path)
    indicators = tmp_path / "indicators.csv"
    indicators.write_text(
        INDICATORS_HEADER + "\nT_MON,Số tháng,Monthly count,điểm,number,higher,monthly,commune,sum,,true\n",
        encoding="utf-8")
    p = run_cli(mandate_binary, ["indicators", "import", str(indicators), "--database", db], cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    # Every connection closed at once: an open one would keep the import in WAL mode.
    communes = [row[0] for row in query(path, "SELECT code FROM units WHERE kind = 'commune' ORDER BY code LIMIT 3000")]
    small = tmp_path / "small.csv"
    small.write_text("indicator,unit,period,value\n" + "".join(f"T_MON,{c},202501,1\n" for c in communes[:50]),
                     encoding="utf-8")
    p = run_cli(mandate_binary, ["import", str(small), "--database", db], cwd=tmp_path)
    assert p.returncode == 0 and "50 created" in p.stdout, p.stdout + p.stderr
    assert query(path, "PRAGMA journal_mode") == [("wal",)]
    before = sqlite_dump(path)

    months = [f"{year}{month:02d}" for year in range(2014, 2025) for month in range(1, 13)]
    big = tmp_path / "big.csv"
    big.write_text("indicator,unit,period,value\n"
                   + "".join(f"T_MON,{c},{m},{i % 89}\n" for i, c in enumerate(communes) for m in months),
                   encoding="utf-8")
    journal = Path(f"{path}-journal")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.Popen([mandate_binary, "import", str(big), "--database", db], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Storing has begun once progress names stored rows; the journal then exists.
        seen = ""
        for line in proc.stderr:
            seen += line
            if "stored" in line:
                break
        deadline = time.monotonic() + 30
        while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, f"the import ended before it could be killed:\n{seen}"
        assert journal.exists(), f"the import did not write with a rollback journal:\n{seen}"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert journal.exists() and journal.stat().st_size > 0, "no hot journal left by the killed import"

    # The next opening (any command) rolls the journal back and asks for WAL mode again.
    p = run_cli(mandate_binary, ["import", str(small), "--database", db], cwd=tmp_path)
    assert p.returncode == 0 and "0 created, 0 updated, 50 unchanged" in p.stdout, p.stdout + p.stderr
    assert sqlite_dump(path) == before, "the killed import left rows behind"
    assert query(path, "PRAGMA journal_mode") == [("wal",)]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
