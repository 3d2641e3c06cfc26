"""values-import: a million data values from CSV into SQLite, against the sqlite3 shell's `.import`.

The subject is `mandate import --draft values.csv` (the CLI's importer: every row
checked, then stored as a draft awaiting its unit head's approval, as reported
values are) on a fresh SQLite database that has been migrated and given the
indicator definitions; only the import itself is timed, as the wall time of the
command. Goal (the issue): at least 50 % of the limit's rows/s, in the same run.

The limit is the sqlite3 command-line tool (Debian's) loading the very same file
into a plain table of a fresh file: `sqlite3 plain.sqlite ".import --csv values.csv v"`,
no checks, no indices, no history. Both sides are verified afterwards by counting
the rows they wrote.

With --repeats, each repeat measures both on fresh files, alternating which goes
first; the ratio judged is the median of the per-repeat ratios. The approved import
(`mandate import values.csv`, which also appends every value to the transparency
log, measured by log-append) takes minutes, so it is timed only on request
(--import-approved), as information.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from ..procs import HarnessError, child_setup
from ..registry import Context, Row, Scenario, ScenarioResult, median, register

GOAL_RATIO = 0.50
GENERATE = Path(__file__).resolve().parent.parent.parent / "generate.py"
SIDECARS = ("-wal", "-shm")
_SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged in ([\d.]+) s \((\d+) rows/s\)")


def generate_argv(out: Path, values: int) -> list[str]:
    """The command line that writes indicators.csv and values.csv (seeded, deterministic) into `out`."""
    return [sys.executable, str(GENERATE), "indicators", "values", "--values", str(values), "--out", str(out),
            "--quiet"]


def reference_argv(sqlite3_path: str, database: Path, csv_name: str = "values.csv", table: str = "v") -> list[str]:
    """The limit: the sqlite3 shell importing the CSV into a new plain table (run in the CSV's directory)."""
    return [sqlite3_path, str(database), f".import --csv {csv_name} {table}"]


def subject_argv(command: list[str], csv: Path, database: Path, draft: bool = True) -> list[str]:
    """The subject: `mandate import [--draft] values.csv` on a prepared database."""
    return [*command, "import", str(csv), *(["--draft"] if draft else []), "--database", f"sqlite:{database}"]


def cache_dir(root: Path, values: int) -> Path:
    """Where generated data for `values` rows is kept between runs (generate.py's default seed)."""
    return root / f"values-{values}"


def parse_summary(text: str) -> dict:
    """What `mandate import` says of itself (created, updated, unchanged, seconds, rows/s); {} if it says nothing."""
    m = _SUMMARY.search(text)
    if not m:
        return {}
    created, updated, unchanged, seconds, rate = m.groups()
    return {"created": int(created), "updated": int(updated), "unchanged": int(unchanged),
            "seconds": float(seconds), "rows_per_s": int(rate)}


def rate(rows: int, seconds: float) -> float | None:
    """Rows per second, None for a time too short to divide by."""
    return rows / seconds if seconds > 0 else None


def repeat_order(i: int) -> tuple[str, str]:
    """Which side goes first in repeat i (0-based): the reference in even repeats, the subject in odd ones."""
    return ("reference", "subject") if i % 2 == 0 else ("subject", "reference")


def copy_database(source: Path, target: Path) -> None:
    """Copy a closed SQLite database with its WAL sidecars, if any (a stale target's sidecars go)."""
    for suffix in SIDECARS:
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    for suffix in SIDECARS:
        side = Path(str(source) + suffix)
        if side.exists():
            shutil.copyfile(side, Path(str(target) + suffix))


def checkpoint(database: Path) -> None:
    """Fold the WAL into the main file, so that the file alone is the database."""
    db = sqlite3.connect(database)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def count_rows(database: Path, table: str) -> int:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        db.close()


def timed(argv: list[str], log_path: Path, timeout: float, what: str, cwd: Path | None = None) -> tuple[float, str]:
    """Run a command to completion: (wall seconds, its stdout and stderr); HarnessError if it fails."""
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        try:
            p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               timeout=timeout, preexec_fn=child_setup)
        except subprocess.TimeoutExpired as e:
            raise HarnessError(f"{what} did not finish in {timeout:.0f} s") from e
        seconds = time.perf_counter() - t0
    out = log_path.read_text(encoding="utf-8", errors="replace")
    if p.returncode != 0:
        raise HarnessError(f"{what} failed (exit {p.returncode}): {out[-2000:]}")
    return seconds, out


@register
class ValuesImport(Scenario):
    name = "values-import"
    title = "1,000,000 values from CSV through mandate import --draft vs the sqlite3 shell's .import"
    measures = ("rows/s of `mandate import --draft values.csv` on a fresh, migrated SQLite database, against "
                "`sqlite3 .import --csv` loading the same file into a plain table")
    goal_text = f">= {GOAL_RATIO:.2f} x sqlite3 .import"
    tools = ("sqlite3",)
    selftest = False

    def data(self, ctx: Context) -> Path:
        """The generated CSV files: from --data-cache if they are there, else generated (into it, if given)."""
        o = ctx.options
        out = cache_dir(Path(o.data_cache), o.import_values) if o.data_cache else ctx.workdir("data")
        if (out / "manifest.json").exists() and (out / "values.csv").exists():
            ctx.log(f"  data: {out} (cached)")
            return out
        out.mkdir(parents=True, exist_ok=True)
        argv = generate_argv(out, o.import_values)
        ctx.log(f"  data: {' '.join(argv)}")
        timed(argv, ctx.workdir("logs") / "generate.log", o.prepare_timeout, "generate.py")
        return out

    def template(self, ctx: Context, data: Path) -> Path:
        """A migrated database with the indicators, checkpointed, to copy for every import."""
        o = ctx.options
        database = ctx.workdir("template") / "template.sqlite"
        logs = ctx.workdir("logs")
        timed([*ctx.server_command, "migrate", "--database", f"sqlite:{database}"], logs / "migrate.log",
              o.prepare_timeout, "mandate migrate")
        timed([*ctx.server_command, "indicators", "import", str(data / "indicators.csv"), "--database",
               f"sqlite:{database}"], logs / "indicators.log", o.prepare_timeout, "mandate indicators import")
        checkpoint(database)
        return database

    def reference(self, ctx: Context, data: Path, i: int) -> float:
        """One timed sqlite3 .import into a fresh file; its seconds."""
        o = ctx.options
        database = ctx.workdir(f"reference-{i}") / "plain.sqlite"
        seconds, _ = timed(reference_argv(ctx.tools["sqlite3"], database), ctx.workdir("logs") / f"reference-{i}.log",
                           o.prepare_timeout, "sqlite3 .import", cwd=data)
        rows = count_rows(database, "v")
        if rows != o.import_values:
            raise HarnessError(f"sqlite3 .import wrote {rows:,} rows, not {o.import_values:,}")
        database.unlink()
        return seconds

    def subject(self, ctx: Context, data: Path, template: Path, label: str, draft: bool = True) -> tuple[float, dict]:
        """One timed `mandate import` on a fresh copy of the template; its seconds and its own summary."""
        o = ctx.options
        database = ctx.workdir(f"subject-{label}") / "mandate.sqlite"
        copy_database(template, database)
        seconds, out = timed(subject_argv(ctx.server_command, data / "values.csv", database, draft),
                             ctx.workdir("logs") / f"subject-{label}.log", o.prepare_timeout, "mandate import")
        rows = count_rows(database, "data_values")
        if rows != o.import_values:
            raise HarnessError(f"mandate import left {rows:,} rows in data_values, not {o.import_values:,}")
        database.unlink()
        for suffix in SIDECARS:
            Path(str(database) + suffix).unlink(missing_ok=True)
        return seconds, parse_summary(out)

    def run(self, ctx: Context) -> ScenarioResult:
        o = ctx.options
        n = o.import_values
        data = self.data(ctx)
        template = self.template(ctx, data)
        ctx.log(f"  template: {template} (migrated, indicators imported)")
        runs: list[dict] = []
        for i in range(o.repeats):
            run: dict = {}
            for side in repeat_order(i):
                if side == "reference":
                    run["reference_s"] = self.reference(ctx, data, i)
                else:
                    run["subject_s"], run["subject_summary"] = self.subject(ctx, data, template, str(i))
                ctx.log(f"  run {i + 1}/{o.repeats} {side}: {run[side + '_s']:.2f} s, "
                        f"{rate(n, run[side + '_s']) or 0:,.0f} rows/s")
            run["reference_rows_per_s"] = rate(n, run["reference_s"])
            run["subject_rows_per_s"] = rate(n, run["subject_s"])
            run["ratio"] = (run["subject_rows_per_s"] or 0) / (run["reference_rows_per_s"] or 1)
            runs.append(run)

        ratio = median([r["ratio"] for r in runs])
        subject_rate = median([r["subject_rows_per_s"] for r in runs])
        reference_rate = median([r["reference_rows_per_s"] for r in runs])
        rows = [
            Row(self.name, f"{ctx.subject} import --draft values.csv ({n:,} rows)", "subject", subject_rate, "rows/s",
                ratio=ratio, goal=GOAL_RATIO, passed=ratio is not None and ratio >= GOAL_RATIO,
                note=f"median of {len(runs)}: {median([r['subject_s'] for r in runs]):.2f} s"),
            Row(self.name, "sqlite3 .import --csv into a plain table (limit)", "limit", reference_rate, "rows/s",
                note=f"median of {len(runs)}: {median([r['reference_s'] for r in runs]):.2f} s"),
        ]
        details: dict = {"values": n, "data": str(data), "runs": runs,
                         "subject_command": subject_argv(ctx.server_command, data / "values.csv",
                                                         Path("<fresh copy>.sqlite")),
                         "reference_command": reference_argv(ctx.tools["sqlite3"], Path("plain.sqlite"))}
        if o.import_approved:
            seconds, summary = self.subject(ctx, data, template, "approved", draft=False)
            ctx.log(f"  approved import: {seconds:.2f} s, {rate(n, seconds) or 0:,.0f} rows/s")
            details["approved"] = {"seconds": seconds, "rows_per_s": rate(n, seconds), "summary": summary}
            rows.append(Row(self.name, f"{ctx.subject} import values.csv, approved (info)", "info", rate(n, seconds),
                            "rows/s", note=f"{seconds:.2f} s; appends every value to the transparency log"))
        status = "pass" if all(r.passed for r in rows if r.kind == "subject") else "fail"
        return ScenarioResult(self.name, status, rows, details)
