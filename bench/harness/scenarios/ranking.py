"""ranking: one national commune ranking and its Monte Carlo, against the Python reference.

The input is 3,321 communes x 50 components over two periods, generated with missing values
and ties (reference/generate_ranking_data.py). The subject is `mandate rank --timings`.
The limit is reference/ranking_reference.py (numpy and pandas) on the same files, in the
same run. Both time their computation in-process: one period's ranking (the best of five), the
ranking with the change since the previous period (the best of five), and 1,000 Monte Carlo
draws (a full ranking less the ranking with change). Neither time counts reading the files.
The verdict uses wall-clock medians, as every scenario does: both sides run on the same loaded
machine in the same run. `mandate rank` spreads the draws over every core; the reference is
single-threaded. The CPU time of each process (all its threads) is recorded beside it. Before
the times count, the scenario checks that both print the same ranking.
Goals: one ranking <= 10 ms, 1,000 draws <= 2 s, and each >= 20x faster than the reference.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, median, register

ROOT = Path(__file__).resolve().parents[3]
UNITS, COMPONENTS, PILLARS, DRAWS, SEED = 3321, 50, 5, 1000, 57
GOAL_RATIO, GOAL_RANK_MS, GOAL_DRAWS_MS = 20.0, 10.0, 2000.0


def timings(stderr: str) -> dict:
    for line in reversed(stderr.splitlines()):
        if line.startswith("{") and "rank_ms" in line:
            return json.loads(line)
    raise HarnessError(f"no timings in the output:\n{stderr[-2000:]}")


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def agree(ours: list[dict], ref: list[dict]) -> str | None:
    """Why the two rankings differ, or None: the same units in the same order, the same ranks
    and intervals, scores within 1e-9."""
    if [r["unit"] for r in ours] != [r["unit"] for r in ref] or (ours and ours[0].keys() != ref[0].keys()):
        return "the units or columns differ"
    for a, b in zip(ours, ref):
        for column, x in a.items():
            y = b[column]
            if column == "unit" or x == y:
                continue
            if x == "" or y == "" or "rank" in column or abs(float(x) - float(y)) > 1e-9:
                return f"unit {a['unit']}: {column} {x!r} vs {y!r}"
    return None


@register
class Ranking(Scenario):
    name = "ranking"
    title = "mandate rank vs the Python reference (numpy/pandas), 3,321 communes x 50 components"
    measures = "ms of one ranking and of 1,000 Monte Carlo draws, in-process, against the reference on the same input"
    goal_text = f"<= {GOAL_RANK_MS:g} ms and <= {GOAL_DRAWS_MS / 1000:g} s, >= {GOAL_RATIO:g}x the reference"
    needs_server = True  # for the binary; no server is started

    def run(self, ctx: Context) -> ScenarioResult:
        if ctx.subject != "mandate" or not ctx.server_command:
            return ScenarioResult(self.name, "skipped", error="needs the mandate binary (not the self-test stand-in)")
        binary = ctx.server_command[0]
        sys.path.insert(0, str(ROOT / "reference"))
        import generate_ranking_data  # noqa: PLC0415

        data = ctx.workdir("data")
        method, rows = generate_ranking_data.generate(UNITS, COMPONENTS, PILLARS, SEED, 0.05, draws=DRAWS)
        generate_ranking_data.write(data, method, rows)
        ctx.log(f"  data: {UNITS} units x {COMPONENTS} components x 2 periods = {len(rows):,} values in {data}")
        args = ["--method", str(data / "method.json"), "--data", str(data / "values.csv"),
                "--period", "2025", "--previous", "2024", "--draws", str(DRAWS), "--timings"]
        commands = {"mandate": [binary, "rank", *args],
                    "reference": [sys.executable, str(ROOT / "reference" / "ranking_reference.py"), *args]}

        runs: dict[str, list[dict]] = {"mandate": [], "reference": []}
        outputs: dict[str, str] = {}
        for i in range(max(1, ctx.options.repeats)):
            order = ["mandate", "reference"] if i % 2 == 0 else ["reference", "mandate"]
            for side in order:
                proc = subprocess.run(commands[side], capture_output=True, text=True, timeout=900)
                if proc.returncode != 0:
                    raise HarnessError(f"{side} failed ({proc.returncode}): {proc.stderr[-2000:]}")
                t = timings(proc.stderr)
                runs[side].append(t)
                outputs[side] = proc.stdout
                ctx.log(f"  run {i + 1} {side}: one ranking {t['rank_ms']:.2f} ms ({t['rank_cpu_ms']:.2f} CPU), "
                        f"{DRAWS} draws {t['monte_carlo_ms']:.1f} ms ({t['monte_carlo_cpu_ms']:.1f} CPU)")
        difference = agree(rows_of(outputs["mandate"]), rows_of(outputs["reference"]))
        if difference:
            return ScenarioResult(self.name, "invalid", error=f"the results differ: {difference}",
                                  details={"runs": runs})

        result_rows, passed_all = [], True
        for key, label, bound in (("rank", "one ranking", GOAL_RANK_MS),
                                  ("rank_with_change", "one ranking with the change since 2024", None),
                                  ("monte_carlo", f"{DRAWS:,} draws", GOAL_DRAWS_MS)):
            ours = median([t[f"{key}_ms"] for t in runs["mandate"]])
            theirs = median([t[f"{key}_ms"] for t in runs["reference"]])
            ours_cpu = median([t[f"{key}_cpu_ms"] for t in runs["mandate"]])
            theirs_cpu = median([t[f"{key}_cpu_ms"] for t in runs["reference"]])
            ratio = theirs / ours if ours else math.inf
            note = (f"CPU {ours_cpu:.2f} ms vs {theirs_cpu:.1f} ms "
                    f"(ratio {theirs_cpu / ours_cpu if ours_cpu else math.inf:.1f})")
            if bound is None:
                passed = None
            else:
                passed = ratio >= GOAL_RATIO and ours <= bound
                passed_all &= passed
                note += f"; <= {bound:g} ms: {'yes' if ours <= bound else 'NO'}"
            result_rows += [
                Row(self.name, f"mandate rank: {label}", "subject" if bound else "info",
                    1000 / ours if ours else None, "runs/s", p50_ms=round(ours, 3), ratio=ratio,
                    goal=GOAL_RATIO if bound else None, passed=passed, note=note),
                Row(self.name, f"Python reference: {label} (limit)", "limit", 1000 / theirs if theirs else None,
                    "runs/s", p50_ms=round(theirs, 3)),
            ]
        return ScenarioResult(self.name, "pass" if passed_all else "fail", result_rows,
                              details={"units": UNITS, "components": COMPONENTS, "draws": DRAWS, "seed": SEED,
                                       "values": len(rows), "workers": runs["mandate"][0].get("workers"),
                                       "runs": runs})
