#!/usr/bin/env python3
"""Generates a ranking method and a values file to test and time rankings on.

    python3 reference/generate_ranking_data.py --out DIR [--units 60] [--components 12] [--pillars 4]
        [--seed 1] [--missing 0.1] [--aggregation arithmetic|geometric] [--missing-data reweight|groupMean|zero]

Writes DIR/method.json and DIR/values.csv (indicator,unit,period,value,comment) for the
periods 2024 and 2025. The data are made to be awkward:
- a share of the values is missing, and one unit has no value at all in 2025;
- some units copy another unit's values exactly, so that their scores tie;
- some components take few distinct values, so that values tie;
- every normalisation appears, with alternatives for the Monte Carlo, and some components
  are better when lower;
- one component is constant.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

NORMALISATIONS = ["minMax", "zScore", "rank", "goalposts", "distanceToTarget"]


def generate(units: int, components: int, pillars: int, seed: int, missing: float,
             aggregation: str = "arithmetic", missing_data: str = "reweight", draws: int = 1000,
             satisfaction: bool = False):
    rng = random.Random(seed)
    codes = [f"{i:05d}" for i in range(1, units + 1)]
    comps = []
    for c in range(components):
        norm = NORMALISATIONS[c % len(NORMALISATIONS)]
        lower = c % 3 == 2
        level = rng.uniform(10, 60)
        spec: object = norm
        if norm == "goalposts":
            spec = {"method": "goalposts", "min": level - 20, "max": level + 25}
        elif norm == "distanceToTarget":
            spec = {"method": "distanceToTarget", "target": round(level * rng.uniform(0.7, 1.3), 2)}
        alternatives = [n for n in ("minMax", "zScore", "rank") if n != spec][: 1 + c % 3]
        comps.append({"code": f"C{c + 1:03d}", "source": {"indicator": f"IND{c + 1:03d}"},
                      "weight": round(rng.uniform(0.5, 3), 3), "direction": "lower" if lower else "higher",
                      "normalisation": spec, "alternatives": alternatives, "_level": level,
                      "_discrete": c % 4 == 1, "_constant": c == components - 1})
    # The last delivery-like component reads a delivery measure, as the task module exports it.
    comps[0]["source"] = {"delivery": "on_time_rate"}
    # With satisfaction, two components read citizens' ratings (counts of satisfied and of all).
    if satisfaction:
        comps[1]["source"] = {"satisfaction": "overall"}
        comps[2]["source"] = {"satisfaction": "staff"}
    groups = [comps[p::pillars] for p in range(pillars)]
    method = {
        "schemaVersion": 1, "id": f"generated-{seed}", "version": 1,
        "nameVi": "Phương pháp sinh ngẫu nhiên", "nameEn": "Generated method",
        "unitKind": "commune", "aggregation": aggregation, "missingData": missing_data,
        "pillars": [{"code": f"P{p + 1}", "nameVi": f"Trụ cột {p + 1}", "nameEn": f"Pillar {p + 1}",
                     "weight": round(rng.uniform(10, 40), 2),
                     "components": [{k: v for k, v in c.items() if not k.startswith("_")} for c in g]}
                    for p, g in enumerate(groups) if g],
        "uncertainty": {"draws": draws, "seed": seed, "weightSpread": 0.25},
    }
    if satisfaction:
        method["pseudoRatings"] = 20
    rows = []
    twins = {codes[i]: codes[i - 1] for i in range(3, units, 7)}  # every 7th unit copies its neighbour
    empty = codes[-1]
    for period, drift in (("2024", 0.0), ("2025", 2.0)):
        values: dict[str, dict[str, float]] = {}
        for unit in codes:
            if period == "2025" and unit == empty:
                values[unit] = {}
                continue
            if unit in twins:
                values[unit] = dict(values[twins[unit]])
                continue
            row = {}
            for c in comps:
                if rng.random() < missing:
                    continue
                if "satisfaction" in c["source"]:
                    key = "satisfaction:" + c["source"]["satisfaction"]
                    ratings = rng.choice([0, 2, 9, 35, 35, 120, 400])
                    row[key + ":ratings"] = float(ratings)
                    row[key + ":satisfied"] = float(rng.randint(0, ratings))
                    continue
                key = c["source"].get("indicator") or "delivery:" + c["source"]["delivery"]
                if c["_constant"]:
                    v = 7.0
                elif c["_discrete"]:
                    v = float(rng.choice([0, 1, 2, 2, 3]))
                else:
                    v = round(c["_level"] + drift + rng.gauss(0, 12), rng.choice([1, 3, 6]))
                row[key] = v
            values[unit] = row
        for unit, row in values.items():
            for key, v in row.items():
                rows.append((key, unit, period, v))
    return method, rows


def write(out: Path, method: dict, rows: list) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "method.json").write_text(json.dumps(method, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with open(out / "values.csv", "w", encoding="utf-8", newline="") as f:
        f.write("indicator,unit,period,value,comment\n")
        for key, unit, period, v in rows:
            f.write(f"{key},{unit},{period},{repr(v)},\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--units", type=int, default=60)
    ap.add_argument("--components", type=int, default=12)
    ap.add_argument("--pillars", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--missing", type=float, default=0.1)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--aggregation", default="arithmetic", choices=["arithmetic", "geometric"])
    ap.add_argument("--missing-data", default="reweight", choices=["reweight", "groupMean", "zero"])
    a = ap.parse_args()
    method, rows = generate(a.units, a.components, a.pillars, a.seed, a.missing, a.aggregation, a.missing_data,
                            a.draws)
    write(a.out, method, rows)
    print(f"wrote {a.out}/method.json and {a.out}/values.csv ({len(rows)} values)")


if __name__ == "__main__":
    main()
