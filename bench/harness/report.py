"""The results table for the terminal and the JSON record of a run."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .registry import Row, ScenarioResult

HEADERS = ["scenario", "target", "throughput", "p50 ms", "p99 ms", "ratio", "goal", "result"]


def _num(x: float | None, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def _ms(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 1 else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def _verdict(row: Row, result: ScenarioResult) -> str:
    if row.kind == "limit":
        return "limit"
    if row.kind == "info":
        return ""
    if result.status == "invalid":
        return "INVALID"
    return "-" if row.passed is None else ("PASS" if row.passed else "FAIL")


def table(results: list[ScenarioResult]) -> str:
    lines: list[list[str]] = []
    for res in results:
        if not res.rows:
            lines.append([res.name, "-", "-", "-", "-", "-", "-", res.status.upper()])
            continue
        for r in res.rows:
            lines.append([
                r.scenario, r.target,
                "-" if r.throughput is None else f"{r.throughput:,.0f} {r.throughput_unit}",
                _ms(r.p50_ms), _ms(r.p99_ms),
                _num(r.ratio, ".2f") if r.kind != "limit" else "1.00",
                r.goal_text(),
                _verdict(r, res),
            ])
    widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else len(h) for i, h in enumerate(HEADERS)]
    right = {2, 3, 4, 5}  # numbers align right

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    out = [fmt(HEADERS), "  ".join("-" * w for w in widths)] + [fmt(l) for l in lines]
    notes = []
    for res in results:
        if res.error:
            notes.append(f"{res.name}: ERROR {res.error}")
        for r in res.rows:
            if r.note:
                notes.append(f"{r.scenario} / {r.target}: {r.note}")
    if notes:
        out += [""] + notes
    return "\n".join(out)


def write_json(out_dir: Path, stem: str, latest_name: str, record: dict) -> tuple[Path, Path]:
    """Write <stem>.json and replace <latest_name> atomically with the same content."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    path = out_dir / f"{stem}.json"
    n = 2
    while path.exists():  # two runs within one second
        path = out_dir / f"{stem}-{n}.json"
        n += 1
    path.write_text(text, encoding="utf-8")
    latest = out_dir / latest_name
    tmp = out_dir / f".{latest_name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, latest)
    return path, latest
