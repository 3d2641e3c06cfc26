#!/usr/bin/env python3
"""An independent implementation of Mandate's ranking (docs/RANKING.md) with numpy and pandas.

    python3 reference/ranking_reference.py --method method.json --data values.csv \
        [--period P] [--previous P] [--draws N] [--seed S] [--format csv|json]

It reads the same inputs as `mandate rank` and prints the same columns. CI compares the two
(Tests/system/test_ranking_reference.py), and the benchmark times them (bench/, `ranking`).
It was written from the documentation, not from the Swift code.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd

GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


def splitmix64(seed: int, positions: np.ndarray) -> np.ndarray:
    """Outputs number `positions` (1-based) of SplitMix64 seeded with `seed`, as uniforms in [0, 1)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + positions.astype(np.uint64) * GAMMA
        z = (z ^ (z >> np.uint64(30))) * MIX1
        z = (z ^ (z >> np.uint64(27))) * MIX2
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def normalise(x: pd.Series, spec, higher: bool) -> pd.Series:
    """Scores 0-100 of the present values x of one component."""
    name = spec if isinstance(spec, str) else spec["method"]
    if name == "minMax":
        lo, hi = x.min(), x.max()
        if hi == lo:
            return pd.Series(100.0, index=x.index)
        return 100 * ((x - lo) / (hi - lo)) if higher else 100 * ((hi - x) / (hi - lo))
    if name == "zScore":
        if x.max() == x.min():
            return pd.Series(50.0, index=x.index)
        z = (x - x.mean()) / x.std(ddof=0)
        return (50 + 10 * (z if higher else -z)).clip(0, 100)
    if name == "distanceToTarget":
        t = spec["target"]
        if higher:
            return 100 * (x / t).clip(0, 1)
        return (100 * (t / x)).where(x > t, 100.0)
    if name == "goalposts":
        a, b = spec["min"], spec["max"]
        return 100 * (((x - a) if higher else (b - x)) / (b - a)).clip(0, 1)
    if name == "rank":
        if len(x) == 1:
            return pd.Series(100.0, index=x.index)
        r = x.rank(method="average", ascending=higher)
        return 100 * ((r - 1) / (len(x) - 1))
    raise ValueError(f"unknown normalisation {name}")


def source_key(source: dict) -> str:
    (kind, value), = source.items()
    return value if kind == "indicator" else f"{kind}:{value}"


def input_keys(source: dict) -> list[str]:
    """The values-file rows a source reads: satisfaction reads its two counts."""
    key = source_key(source)
    return [key + ":satisfied", key + ":ratings"] if "satisfaction" in source else [key]


SATISFACTION_SALT = 0x5341544953464143  # "SATISFAC"


class Posterior:
    """A satisfaction component (docs/RANKING.md): each unit's share satisfied shrunk toward the
    pooled share by m pseudo-ratings, and the normal with its Beta posterior's mean and variance."""

    def __init__(self, table: pd.DataFrame, key: str, m: int):
        r = table[key + ":ratings"] if key + ":ratings" in table else pd.Series(np.nan, index=table.index)
        s = table[key + ":satisfied"] if key + ":satisfied" in table else pd.Series(np.nan, index=table.index)
        present = (r.fillna(0) > 0).to_numpy()
        self.positions = np.flatnonzero(present)
        self.index = table.index[present]
        rr, ss = r.to_numpy()[present].astype(float), s.to_numpy()[present].astype(float)
        pooled = ss.sum() / max(1.0, rr.sum())
        self.mu = (ss + m * pooled) / (rr + m)
        self.sd = np.sqrt(self.mu * (1 - self.mu) / (rr + m + 1))

    def values(self) -> pd.Series:
        return pd.Series(100 * self.mu, index=self.index)

    def drawn(self, seed: int, d: int, j: int, components: int, units: int) -> pd.Series:
        n = 2 * ((d * components + j) * units + self.positions) + 1
        stream = seed ^ SATISFACTION_SALT
        u1 = splitmix64(stream, n)
        u2 = splitmix64(stream, n + 1)
        z = np.sqrt(-2 * np.log(1 - u1)) * np.cos(2 * np.pi * u2)
        return pd.Series(100 * np.clip(self.mu + self.sd * z, 0, 1), index=self.index)


class Prepared:
    """One period's table under a method: per component and option, each unit's term and presence."""

    def __init__(self, method: dict, table: pd.DataFrame, alternatives: bool = True):
        self.units = table.index
        self.geometric = method.get("aggregation", "arithmetic") == "geometric"
        self.policy = method.get("missingData", "reweight")
        self.pillar_of, self.cweights, self.options = [], [], []
        # Per satisfaction component: (its index, its posterior, its options, higher is better).
        self.posteriors = []
        has_data = np.zeros(len(table), dtype=bool)
        for p, pillar in enumerate(method["pillars"]):
            for comp in pillar["components"]:
                key = source_key(comp["source"])
                specs = [comp["normalisation"]] + (comp.get("alternatives", []) if alternatives else [])
                higher = comp["direction"] == "higher"
                if "satisfaction" in comp["source"]:
                    posterior = Posterior(table, key, method.get("pseudoRatings", 30))
                    present = posterior.values()
                    has_data[posterior.positions] = True
                    self.posteriors.append((len(self.options), posterior, specs, higher))
                else:
                    raw = table[key] if key in table else pd.Series(np.nan, index=table.index)
                    present = raw.dropna()
                    has_data |= raw.notna().to_numpy()
                self.options.append([self.column(present, spec, higher) for spec in specs])
                self.pillar_of.append(p)
                self.cweights.append(float(comp["weight"]))
        self.pweights = [float(p["weight"]) for p in method["pillars"]]
        self.has_data = has_data

    def column(self, present: pd.Series, spec, higher: bool):
        """(term, mask) of one option: the present values' scores, the missing by the policy."""
        s = normalise(present, spec, higher).reindex(self.units)
        mask = s.notna()
        if self.policy == "groupMean" and mask.any():
            s, mask = s.fillna(s.mean()), pd.Series(True, index=s.index)
        elif self.policy == "zero":
            s, mask = s.fillna(0.0), pd.Series(True, index=s.index)
        s = s.fillna(0.0)
        if self.geometric:
            s = np.log(np.maximum(s, 1.0)).where(mask, 0.0)
        return s.to_numpy(), mask.to_numpy().astype(float)

    def redraw(self, seed: int, d: int, choice) -> None:
        """Each satisfaction component's chosen option, from draw d's values."""
        for j, (c, posterior, specs, higher) in enumerate(self.posteriors):
            values = posterior.drawn(seed, d, j, len(self.posteriors), len(self.units))
            self.options[c][choice[c]] = self.column(values, specs[choice[c]], higher)

    def scores(self, pweights, cweights, choice):
        """(overall scores with NaN for unscored units, pillar scores per pillar)."""
        n = len(self.units)
        num = [np.zeros(n) for _ in self.pweights]
        den = [np.zeros(n) for _ in self.pweights]
        for c, p in enumerate(self.pillar_of):
            term, mask = self.options[c][choice[c]]
            num[p] = num[p] + cweights[c] * term
            den[p] = den[p] + cweights[c] * mask
        onum, oden, pillars = np.zeros(n), np.zeros(n), []
        for p, w in enumerate(pweights):
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = num[p] / den[p]
            ok = den[p] > 0
            onum = onum + np.where(ok, w * mean, 0.0)
            oden = oden + np.where(ok, w, 0.0)
            pillars.append(np.where(ok, np.exp(mean) if self.geometric else mean, np.nan))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = onum / oden
        score = np.exp(mean) if self.geometric else mean
        return np.where((oden > 0) & self.has_data, score, np.nan), pillars


def competition_ranks(values: np.ndarray) -> np.ndarray:
    """1 + the number of strictly higher values (rounded to 1e-9); NaN stays NaN."""
    keys = pd.Series(np.floor(values * 1e9 + 0.5))
    return keys.rank(method="min", ascending=False).to_numpy()


def load_table(values: pd.DataFrame, period: str, units: list[str] | None = None) -> pd.DataFrame:
    """Units x sources of one period; `units` adds units without values."""
    rows = values[values["period"] == period]
    table = rows.pivot_table(index="unit", columns="indicator", values="value", aggfunc="first")
    index = sorted(set(table.index) | set(units or []), key=lambda u: u.encode())
    return table.reindex(index)


def rank(method: dict, values: pd.DataFrame, period: str, previous: str | None, draws: int, seed: int,
         units: list[str] | None = None):
    keys = {k for p in method["pillars"] for c in p["components"] for k in input_keys(c["source"])}
    values = values[values["indicator"].isin(keys)]
    if units is not None:
        values = values[values["unit"].isin(units)]
    table = load_table(values, period, units)
    prep = Prepared(method, table, alternatives=draws > 0)
    zeros = [0] * len(prep.cweights)
    score, pillars = prep.scores(prep.pweights, prep.cweights, zeros)
    out = pd.DataFrame({"unit": table.index, "score": score, "rank": competition_ranks(score)})
    for pillar, s in zip(method["pillars"], pillars):
        out["pillar:" + pillar["code"]] = np.where(prep.has_data, s, np.nan)
    out["previous_rank"] = out["previous_score"] = np.nan
    if previous:
        before = load_table(values, previous, units)
        prev = Prepared(method, before, alternatives=False)
        pscore, _ = prev.scores(prev.pweights, prev.cweights, [0] * len(prev.cweights))
        pframe = pd.DataFrame({"score": pscore, "rank": competition_ranks(pscore)}, index=before.index)
        out["previous_score"] = out["unit"].map(pframe["score"])
        out["previous_rank"] = out["unit"].map(pframe["rank"])
        out.loc[out["score"].isna(), ["previous_score", "previous_rank"]] = np.nan
    out["score_change"] = out["score"] - out["previous_score"]
    out["rank_change"] = out["previous_rank"] - out["rank"]
    out["improvement_rank"] = competition_ranks(out["score_change"].to_numpy())

    if draws > 0:
        spread = method.get("uncertainty", {}).get("weightSpread", 0.25)
        P, C = len(prep.pweights), len(prep.cweights)
        u = splitmix64(seed, np.arange(1, draws * (P + 2 * C) + 1)).reshape(draws, P + 2 * C)
        counts = np.array([len(o) for o in prep.options])
        base_p, base_c = np.array(prep.pweights), np.array(prep.cweights)
        ranks = np.empty((draws, len(table)))
        for d in range(draws):
            pw = base_p * (1 + spread * (2 * u[d, :P] - 1))
            cw = base_c * (1 + spread * (2 * u[d, P:P + C] - 1))
            choice = np.minimum(counts - 1, np.floor(u[d, P + C:] * counts).astype(int))
            prep.redraw(seed, d, choice)
            s, _ = prep.scores(pw, cw, choice)
            ranks[d] = competition_ranks(s)
        ranks.sort(axis=0)
        for name, pct in (("rank_low", 5), ("rank_median", 50), ("rank_high", 95)):
            k = max(0, (pct * draws + 99) // 100 - 1)
            out[name] = np.where(prep.has_data, ranks[k], np.nan)
    order = out["rank"].fillna(np.inf)
    out = out.assign(_order=order).sort_values(["_order", "unit"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--method", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--period")
    ap.add_argument("--previous")
    ap.add_argument("--draws", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--units", help="a units file (level,code,...): rank its units of the method's kind")
    ap.add_argument("--format", choices=["csv", "json"], default="csv")
    ap.add_argument("--timings", action="store_true",
                    help="also time one period's ranking, the ranking with the change since the previous "
                         "period, and the Monte Carlo; print the times (JSON) to stderr")
    a = ap.parse_args(argv)
    started = time.perf_counter()
    with open(a.method, encoding="utf-8") as f:
        method = json.load(f)
    values = pd.read_csv(a.data, dtype={"indicator": str, "unit": str, "period": str},
                         keep_default_na=False, na_values={"value": [""]})
    values = values.dropna(subset=["value"])
    units = None
    if a.units:
        listed = pd.read_csv(a.units, dtype=str, keep_default_na=False)
        units = list(listed.loc[listed["level"] == method["unitKind"], "code"])
    keys = {k for p in method["pillars"] for c in p["components"] for k in input_keys(c["source"])}
    period = a.period or max(values.loc[values["indicator"].isin(keys), "period"])
    unc = method.get("uncertainty", {})
    draws = a.draws if a.draws is not None else unc.get("draws", 1000)
    seed = a.seed if a.seed is not None else unc.get("seed", 57)
    parsed = time.perf_counter()
    out = rank(method, values, period, a.previous, draws, seed, units)
    if a.format == "json":
        print(out.to_json(orient="records", double_precision=17))
    else:
        sys.stdout.write(to_csv(out))
    if a.timings:
        print(json.dumps(timings(method, values, period, a.previous, draws, seed, units, parsed - started)),
              file=sys.stderr)
    return 0


def timings(method, values, period, previous, draws, seed, units, parse_s) -> dict:
    """As `mandate rank --timings`: one period's ranking and the ranking with the change (the best
    of five each), and the Monte Carlo (a full ranking less the ranking with change), in wall-clock
    and process CPU milliseconds."""
    def best(work):
        runs = [timed(work) for _ in range(5)]
        return min(r[0] for r in runs), min(r[1] for r in runs)
    one = best(lambda: rank(method, values, period, None, 0, seed, units))
    with_change = one if not previous else best(lambda: rank(method, values, period, previous, 0, seed, units))
    full = timed(lambda: rank(method, values, period, previous, draws, seed, units))
    return {"parse_ms": parse_s * 1000, "rank_ms": one[0], "rank_cpu_ms": one[1],
            "rank_with_change_ms": with_change[0], "rank_with_change_cpu_ms": with_change[1],
            "monte_carlo_ms": max(0.0, full[0] - with_change[0]),
            "monte_carlo_cpu_ms": max(0.0, full[1] - with_change[1]), "draws": draws}


def timed(work) -> tuple[float, float]:
    """Milliseconds of wall-clock and of the process's CPU time that `work()` takes."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


COLUMNS = ["unit", "rank", "score", "rank_low", "rank_median", "rank_high", "previous_rank", "previous_score",
           "rank_change", "score_change", "improvement_rank"]
WHOLE = {"rank", "rank_low", "rank_median", "rank_high", "previous_rank", "rank_change", "improvement_rank"}


def to_csv(out: pd.DataFrame) -> str:
    """The columns and number formats of `mandate rank --format csv`."""
    columns = COLUMNS + [c for c in out.columns if c.startswith("pillar:")]
    lines = [",".join(columns)]
    for row in out.reindex(columns=columns).itertuples(index=False):
        fields = [row[0]]
        for name, v in zip(columns[1:], row[1:]):
            fields.append("" if pd.isna(v) else str(int(v)) if name in WHOLE else repr(float(v)))
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
