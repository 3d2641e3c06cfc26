"""`mandate rank` against the independent Python reference (reference/ranking_reference.py)
on generated data with missing values and ties: every score and pillar score to 1e-9, every
rank, change, improvement rank and Monte Carlo interval exactly. Also: the demo methods,
the digest of the inputs as docs/RANKING.md defines it, specific errors for bad input, and
the rankings the server published recomputed offline with the files and the command the
open-data page lists, to the last unit and digest."""

from __future__ import annotations

import hashlib
import html
import io
import json
import shlex
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mandate_testkit import ROOT, UNITS_CSV, Client, run_cli

sys.path.insert(0, str(ROOT / "reference"))
import generate_ranking_data  # noqa: E402
import ranking_reference  # noqa: E402

WHOLE = ["rank", "rank_low", "rank_median", "rank_high", "previous_rank", "rank_change", "improvement_rank"]


def mandate_rank(binary: str, method: Path, data: Path, *args: str) -> tuple[pd.DataFrame, str]:
    r = run_cli(binary, ["rank", "--method", str(method), "--data", str(data), *args])
    assert r.returncode == 0, r.stderr
    return pd.read_csv(io.StringIO(r.stdout), dtype={"unit": str}), r.stderr


def reference(method: Path, data: Path, *args: str) -> pd.DataFrame:
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        assert ranking_reference.main(["--method", str(method), "--data", str(data), *args]) == 0
    finally:
        sys.stdout = stdout
    return pd.read_csv(io.StringIO(out.getvalue()), dtype={"unit": str})


def assert_agree(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert list(ours.columns) == list(ref.columns)
    assert list(ours["unit"]) == list(ref["unit"])
    for column in ours.columns[1:]:
        a, b = ours[column].to_numpy(float), ref[column].to_numpy(float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), f"{column}: present in one result only"
        if column in WHOLE:
            assert np.array_equal(a, b, equal_nan=True), f"{column} differs:\n{ours[column]}\n{ref[column]}"
        else:
            gap = np.nanmax(np.abs(a - b)) if not np.isnan(a).all() else 0.0
            assert gap <= 1e-9, f"{column} differs by {gap}"


@pytest.mark.parametrize(
    "aggregation,missing_data,units,components,seed",
    [("arithmetic", "reweight", 80, 10, 11), ("geometric", "groupMean", 70, 9, 12), ("arithmetic", "zero", 50, 8, 13)],
)
def test_satisfaction_agrees_with_the_reference(mandate_binary, tmp_path, aggregation, missing_data, units,
                                               components, seed):
    """Two satisfaction components (docs/RANKING.md, "Satisfaction"): shrunk by the method's
    pseudo-ratings for the score, drawn from their posteriors in the Monte Carlo. The draws move
    the intervals: without them (pseudo-ratings so many that every unit sits at the pooled share)
    the intervals differ."""
    method, rows = generate_ranking_data.generate(units, components, 3, seed, 0.1, aggregation, missing_data, 300,
                                                  satisfaction=True)
    generate_ranking_data.write(tmp_path, method, rows)
    args = ["--period", "2025", "--previous", "2024"]
    ours, _ = mandate_rank(mandate_binary, tmp_path / "method.json", tmp_path / "values.csv", *args)
    ref = reference(tmp_path / "method.json", tmp_path / "values.csv", *args)
    assert_agree(ours, ref)
    # The point estimate by hand for one unit: its share satisfied shrunk toward the pooled share.
    values = pd.read_csv(tmp_path / "values.csv", dtype={"unit": str, "period": str})
    now = values[values["period"] == "2025"].pivot_table(index="unit", columns="indicator", values="value")
    r, s = now["satisfaction:overall:ratings"], now["satisfaction:overall:satisfied"]
    pooled = s[r > 0].sum() / r[r > 0].sum()
    shrunk = (s + 20 * pooled) / (r + 20)
    assert 0 < pooled < 1 and shrunk[r > 0].between(0, 1).all()
    # The Monte Carlo's draws of satisfaction widen the intervals of units with few ratings.
    flat = dict(method, pseudoRatings=100000)
    (tmp_path / "flat.json").write_text(json.dumps(flat), encoding="utf-8")
    flat_ours, _ = mandate_rank(mandate_binary, tmp_path / "flat.json", tmp_path / "values.csv", *args)
    assert_agree(flat_ours, reference(tmp_path / "flat.json", tmp_path / "values.csv", *args))
    assert not ours["rank_high"].equals(flat_ours["rank_high"])


@pytest.mark.parametrize(
    "aggregation,missing_data,units,components,seed",
    [
        ("arithmetic", "reweight", 60, 12, 1),
        ("arithmetic", "groupMean", 150, 20, 2),
        ("arithmetic", "zero", 90, 9, 3),
        ("geometric", "reweight", 120, 15, 4),
        ("geometric", "groupMean", 60, 10, 5),
        ("geometric", "zero", 45, 7, 6),
    ],
)
def test_agrees_with_the_reference(mandate_binary, tmp_path, aggregation, missing_data, units, components, seed):
    method, rows = generate_ranking_data.generate(units, components, 4, seed, 0.12, aggregation, missing_data, 400)
    generate_ranking_data.write(tmp_path, method, rows)
    args = ["--period", "2025", "--previous", "2024"]
    ours, _ = mandate_rank(mandate_binary, tmp_path / "method.json", tmp_path / "values.csv", *args)
    ref = reference(tmp_path / "method.json", tmp_path / "values.csv", *args)
    assert_agree(ours, ref)
    # The data hold ties: tied scores share a rank and the next rank skips.
    ranks = ours["rank"].dropna().astype(int).tolist()
    assert len(set(ranks)) < len(ranks)
    for r in set(ranks):
        assert r == 1 + sum(1 for x in ranks if x < r)
    # The intervals are not all trivial, and contain the median.
    assert (ours["rank_high"] > ours["rank_low"]).any()
    assert ((ours["rank_low"] <= ours["rank_median"]) & (ours["rank_median"] <= ours["rank_high"])).all()


def test_units_without_data_are_listed_unranked(mandate_binary, tmp_path):
    method, rows = generate_ranking_data.generate(40, 8, 3, 11, 0.1)
    generate_ranking_data.write(tmp_path, method, rows)
    units = {r[1] for r in rows} | {"99999"}
    (tmp_path / "units.csv").write_text(
        "level,code,name\n" + "".join(f"commune,{u},Xã {u}\n" for u in sorted(units)) + "province,01,Hà Nội\n",
        encoding="utf-8")
    args = ["--period", "2025", "--previous", "2024", "--units", str(tmp_path / "units.csv"), "--draws", "100"]
    ours, _ = mandate_rank(mandate_binary, tmp_path / "method.json", tmp_path / "values.csv", *args)
    assert_agree(ours, reference(tmp_path / "method.json", tmp_path / "values.csv", *args))
    unranked = ours[ours["rank"].isna()]["unit"].tolist()
    # 00040 has no value in 2025 and 99999 none at all; the province is not of the method's kind.
    assert unranked == ["00040", "99999"]
    assert "01" not in set(ours["unit"])


def test_the_demo_methods_rank_generated_values(mandate_binary, tmp_path):
    provinces = pd.read_csv(UNITS_CSV, dtype=str)
    codes = list(provinces.loc[provinces["level"] == "province", "code"])
    assert len(codes) == 34
    folder = ROOT / "Sources" / "MandateStore" / "Resources" / "ranking-methods"
    method = json.loads((folder / "province-dti.json").read_text(encoding="utf-8"))
    rng = np.random.default_rng(57)
    lines = ["indicator,unit,period,value"]
    keys = [ranking_reference.source_key(c["source"]) for p in method["pillars"] for c in p["components"]]
    for period in ("2024", "2025"):
        for unit in codes:
            for key in keys:
                if rng.random() < 0.08:
                    continue
                if key.startswith("satisfaction:"):
                    ratings = int(rng.integers(0, 300))
                    lines.append(f"{key}:ratings,{unit},{period},{ratings}")
                    lines.append(f"{key}:satisfied,{unit},{period},{int(rng.integers(0, ratings + 1))}")
                    continue
                value = {"DTI": rng.uniform(0.2, 0.9), "R57": rng.uniform(0.5, 4), "NL_": rng.integers(50, 900)}
                v = value.get(key[:3], rng.uniform(0, 100) if "rate" in key or "timeliness" in key else 0)
                if key == "delivery:overdue_count":
                    v = rng.integers(0, 6)
                lines.append(f"{key},{unit},{period},{round(float(v), 4)!r}")
    (tmp_path / "values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "method.json").write_text(json.dumps(method), encoding="utf-8")

    # The demo's distance to target takes the indicator's target; offline it must be in the method.
    r = run_cli(mandate_binary, ["rank", "--method", str(tmp_path / "method.json"),
                                 "--data", str(tmp_path / "values.csv"), "--period", "2025"])
    assert r.returncode == 65
    assert "pillars[1].components[1].normalisation.target" in r.stderr

    # Resolved as the server freezes it (R57_BUDGET_ST's target for 2025 is 3).
    method["pillars"][1]["components"][1]["normalisation"]["target"] = 3
    (tmp_path / "method.json").write_text(json.dumps(method), encoding="utf-8")
    args = ["--period", "2025", "--previous", "2024"]
    ours, _ = mandate_rank(mandate_binary, tmp_path / "method.json", tmp_path / "values.csv", *args)
    assert_agree(ours, reference(tmp_path / "method.json", tmp_path / "values.csv", *args))
    assert len(ours) == 34 and ours["rank"].notna().all()
    assert [c for c in ours.columns if c.startswith("pillar:")] == [
        "pillar:CQS", "pillar:KTS", "pillar:XHS", "pillar:DELIVERY", "pillar:HL"]


def test_the_digest_is_sha256_of_the_canonical_inputs(mandate_binary, tmp_path):
    method, rows = generate_ranking_data.generate(30, 6, 2, 21, 0.1)
    # Rows out of order, an unrelated indicator and a comment: none of it changes the digest.
    rows = list(reversed(rows)) + [("OTHER", "00001", "2025", 5.0)]
    generate_ranking_data.write(tmp_path, method, rows)
    _, stderr = mandate_rank(mandate_binary, tmp_path / "method.json", tmp_path / "values.csv",
                             "--period", "2025", "--previous", "2024", "--draws", "0")
    keys = {ranking_reference.source_key(c["source"]) for p in method["pillars"] for c in p["components"]}

    def text(v: float) -> str:
        return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)

    canonical = sorted((p, k, u, v) for k, u, p, v in rows if k in keys)
    body = "indicator,unit,period,value\n" + "".join(f"{k},{u},{p},{text(v)}\n" for p, k, u, v in canonical)
    assert f"inputs SHA-256 {hashlib.sha256(body.encode()).hexdigest()}" in stderr


def test_json_output_carries_the_same_result(mandate_binary, tmp_path):
    method, rows = generate_ranking_data.generate(25, 6, 2, 31, 0.1)
    generate_ranking_data.write(tmp_path, method, rows)
    args = ["--period", "2025", "--previous", "2024", "--draws", "50", "--seed", "9"]
    ours, _ = mandate_rank(mandate_binary, tmp_path / "method.json", tmp_path / "values.csv", *args)
    r = run_cli(mandate_binary, ["rank", "--method", str(tmp_path / "method.json"),
                                 "--data", str(tmp_path / "values.csv"), *args, "--format", "json"])
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["methodId"], doc["period"], doc["previousPeriod"]) == ("generated-31", "2025", "2024")
    assert doc["uncertainty"] == {"draws": 50, "seed": 9, "weightSpread": 0.25}
    assert [u["unit"] for u in doc["units"]] == list(ours["unit"])
    assert [u.get("score") for u in doc["units"]] == [None if np.isnan(s) else s for s in ours["score"]]
    assert [u["interval"]["high"] for u in doc["units"]] == list(ours["rank_high"])


def test_bad_input_is_refused_with_the_field_or_line(mandate_binary, tmp_path):
    method, rows = generate_ranking_data.generate(10, 4, 2, 41, 0.0)
    method["pillars"][0]["components"][0]["normalisation"] = {"method": "goalposts", "min": 5, "max": 1}
    method["pillars"][1]["weight"] = -2
    generate_ranking_data.write(tmp_path, method, rows)
    r = run_cli(mandate_binary, ["rank", "--method", str(tmp_path / "method.json"),
                                 "--data", str(tmp_path / "values.csv")])
    assert r.returncode == 65
    assert "pillars[0].components[0].normalisation.max: the upper goalpost must be above the lower (5" in r.stderr
    assert "pillars[1].weight: a weight is a positive number" in r.stderr

    method, rows = generate_ranking_data.generate(10, 4, 2, 41, 0.0)
    generate_ranking_data.write(tmp_path, method, rows)
    text = (tmp_path / "values.csv").read_text(encoding="utf-8").splitlines()
    key = ranking_reference.source_key(method["pillars"][0]["components"][0]["source"])
    text.insert(3, f"{key},00002,2025,lots,")
    text.insert(5, text[1])  # a second value for the same indicator, unit and period
    (tmp_path / "values.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    r = run_cli(mandate_binary, ["rank", "--method", str(tmp_path / "method.json"),
                                 "--data", str(tmp_path / "values.csv")])
    assert r.returncode == 65
    assert 'line 4, column value: "lots" is not a number' in r.stderr
    assert "line 6: a second value for" in r.stderr and "(first on line 2)" in r.stderr


class _Reproductions(HTMLParser):
    """The open-data page's published rankings to recompute: each one's files and command."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str, str], dict] = {}
        self.current: dict | None = None
        self.in_command = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "article" and "reproduction" in a.get("class", "").split():
            self.current = {"files": {}, "command": ""}
            self.items[(a["data-method"], a["data-period"], a["data-version"])] = self.current
        elif self.current is not None and tag == "a" and "reproduction-file" in a.get("class", "").split():
            self.current["files"][a["data-role"]] = (a["href"], a["download"])
        elif self.current is not None and tag == "code" and "reproduction-command" in a.get("class", "").split():
            self.in_command = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.in_command = False
        elif tag == "article":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.in_command and self.current is not None:
            self.current["command"] += data


def listed_reproductions(client: Client, language: str = "vi") -> dict[tuple[str, str, str], dict]:
    r = client.get(f"/open-data?lang={language}")
    assert r.status == 200, r.describe()
    parser = _Reproductions()
    parser.feed(r.text)
    for item in parser.items.values():
        item["command"] = html.unescape(item["command"]).strip()
    return parser.items


def recompute_as_the_page_says(
    server: str, binary: str, folder: Path, method: str, period: str, version: str | None = None
) -> dict:
    """Downloads the files the open-data page lists for a version of (method, period), the latest
    unless given,
    runs the exact command it shows, and checks the output against the published ranking:
    the CSV unit by unit and number by number, the JSON as a whole, and the digest. Returns
    what the page listed, with the published ranking and the folder of the files."""
    anyone = Client(server)
    published = anyone.get(f"/api/v1/rankings/{method}/{period}" + (f"?version={version}" if version else "")).json()
    items = listed_reproductions(anyone)
    item = items[(method, period, str(published["version"]))]
    # The English page and the open-data listing say the same.
    assert listed_reproductions(anyone, "en")[(method, period, str(published["version"]))] == item
    rows = anyone.get("/open-data/ranking-reproduction.json").json()["rows"]
    row = next(r for r in rows if (r["method"], r["period"], r["version"]) == (method, period, published["version"]))
    assert row["command"] == item["command"]
    assert row["input_digest"] == published["inputDigest"]
    assert row["previous_period"] == published["result"]["previousPeriod"]
    assert [row["method_file"], row["inputs_file"], row["units_file"]] == [
        item["files"][role][0] for role in ("method", "inputs", "units")]

    folder.mkdir(parents=True, exist_ok=True)
    for role, (href, name) in item["files"].items():
        r = anyone.get(href)
        assert r.status == 200, r.describe()
        assert f'filename="{name}"' in (r.header("Content-Disposition") or ""), r.header("Content-Disposition")
        (folder / name).write_bytes(r.body)
    assert hashlib.sha256((folder / item["files"]["inputs"][1]).read_bytes()).hexdigest() == published["inputDigest"]

    words = shlex.split(item["command"])
    assert words[:2] == ["mandate", "rank"], item["command"]
    r = run_cli(binary, words[1:], cwd=folder)
    assert r.returncode == 0, r.stderr
    assert f"inputs SHA-256 {published['inputDigest']}" in r.stderr
    assert "note:" not in r.stderr, r.stderr
    assert_csv_is_the_result(pd.read_csv(io.StringIO(r.stdout), dtype={"unit": str}), published["result"])
    r = run_cli(binary, [*words[1:], "--format", "json"], cwd=folder)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == published["result"]
    return {"published": published, "words": words, "folder": folder, **item}


def assert_csv_is_the_result(ours: pd.DataFrame, result: dict) -> None:
    """Every unit, in the same order, with every number exactly as published."""
    assert list(ours["unit"]) == [u["unit"] for u in result["units"]]
    for (_, row), unit in zip(ours.iterrows(), result["units"]):
        interval = unit.get("interval") or {}
        expected = {
            "rank": unit.get("rank"), "score": unit.get("score"), "rank_low": interval.get("low"),
            "rank_median": interval.get("median"), "rank_high": interval.get("high"),
            "previous_rank": unit.get("previousRank"), "previous_score": unit.get("previousScore"),
            "rank_change": unit.get("rankChange"), "score_change": unit.get("scoreChange"),
            "improvement_rank": unit.get("improvementRank"),
        } | {f"pillar:{p['pillar']}": p.get("score") for p in unit["pillars"]}
        assert set(expected) == set(ours.columns[1:])
        for column, value in expected.items():
            got = row[column]
            if value is None:
                assert pd.isna(got), f"{unit['unit']} {column}: {got} where the server has none"
            else:
                assert float(got) == float(value), f"{unit['unit']} {column}: {got} != {value}"


def test_the_command_recomputes_what_the_server_published(server, mandate_binary, tmp_path):
    analyst = Client(server)
    csrf = analyst.login_api("analyst@demo.mandate.vn")
    r = analyst.post("/api/v1/rankings/province-dti/2025/publish", json={"previousPeriod": "2024"}, csrf=csrf)
    assert r.status == 201, r.describe()
    listed = recompute_as_the_page_says(server, mandate_binary, tmp_path / "files", "province-dti", "2025")
    published = listed["published"]
    assert published["result"]["previousPeriod"] == "2024"
    # The inputs hold the delivery measures the method ranks, which the open-data values file lacks.
    inputs = tmp_path / "files" / listed["files"]["inputs"][1]
    assert "delivery:on_time_rate," in inputs.read_text(encoding="utf-8")
    assert "delivery:" not in Client(server).get("/open-data/values.csv").text

    # And the reference agrees with both (its --units reads the reference units file's shape).
    method = tmp_path / "files" / listed["files"]["method"][1]
    ours, _ = mandate_rank(mandate_binary, method, inputs, "--period", "2025", "--previous", "2024")
    assert_agree(ours, reference(method, inputs, "--period", "2025", "--previous", "2024"))
    assert len(ours) == 34

    # Publishing the period again makes a new version; the page lists both, and each recomputes.
    # (The older one now names the newer as the latest; nothing else of it changes.)
    version = published["version"]
    r = analyst.post("/api/v1/rankings/province-dti/2025/publish", json={"previousPeriod": "2024"}, csrf=csrf)
    assert r.status == 201, r.describe()
    listed_now = set(listed_reproductions(Client(server)))
    assert {("province-dti", "2025", str(version)), ("province-dti", "2025", str(version + 1))} <= listed_now
    again = recompute_as_the_page_says(server, mandate_binary, tmp_path / "v1", "province-dti", "2025", str(version))
    assert again["published"]["latestVersion"] == version + 1
    unchanged = {k: v for k, v in again["published"].items() if k not in ("latestVersion", "latestPublishedAt")}
    assert unchanged == {k: v for k, v in published.items() if k not in ("latestVersion", "latestPublishedAt")}
    assert again["command"] == listed["command"]


ON_TIME = {
    "schemaVersion": 1, "id": "province-on-time", "version": 1,
    "nameVi": "Tỉnh: tỷ lệ nhiệm vụ hoàn thành đúng hạn (minh họa)",
    "nameEn": "Provinces: tasks completed on time (illustrative)",
    "unitKind": "province",
    "pillars": [{
        "code": "DELIVERY", "nameVi": "Thực hiện nhiệm vụ", "nameEn": "Delivery", "weight": 1,
        "components": [{
            "code": "ON_TIME", "source": {"delivery": "on_time_rate"}, "weight": 1, "direction": "higher",
            "normalisation": "minMax", "alternatives": ["rank", "zScore"],
        }],
    }],
    "uncertainty": {"draws": 300, "seed": 11},
}


def test_a_ranking_with_units_without_data_is_recomputed_unit_for_unit(server, mandate_binary, tmp_path):
    """A province method on the on-time rate alone: the provinces that lead no task due have no
    value and are listed unranked, on the server and offline alike."""
    analyst = Client(server)
    csrf = analyst.login_api("analyst@demo.mandate.vn")
    r = analyst.post("/api/v1/ranking-methods", json=ON_TIME, csrf=csrf)
    assert r.status == 201, r.describe()
    # Published without a previous period: the server compares with the year before.
    r = analyst.post("/api/v1/rankings/province-on-time/2025/publish", json={}, csrf=csrf)
    assert r.status == 201, r.describe()
    listed = recompute_as_the_page_says(server, mandate_binary, tmp_path / "files", "province-on-time", "2025")
    result = listed["published"]["result"]
    assert result["previousPeriod"] == "2024"
    units = [u["unit"] for u in result["units"]]
    unranked = [u["unit"] for u in result["units"] if u.get("rank") is None]
    assert len(units) == 34 and 0 < len(unranked) < 34
    folder = listed["folder"]
    method, inputs, own_units = (listed["files"][role][1] for role in ("method", "inputs", "units"))
    valued = {line.split(",")[1] for line in (folder / inputs).read_text(encoding="utf-8").splitlines()[1:]
              if line.split(",")[2] == "2025"}
    assert set(unranked) == set(units) - valued

    def rank_json(*args: str) -> tuple[dict, str]:
        r = run_cli(mandate_binary, ["rank", "--method", method, "--data", inputs, *args, "--format", "json"],
                    cwd=folder)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout), r.stderr

    # The bare command defaults the period and the previous period as the server does.
    doc, stderr = rank_json("--units", own_units)
    assert doc == result and f"inputs SHA-256 {result['inputDigest']}" in stderr

    # The portal's own units file lists the same units, the unranked ones included.
    (folder / "units.csv").write_bytes(Client(server).get("/open-data/units.csv").body)
    doc, stderr = rank_json("--units", "units.csv", "--period", "2025")
    assert doc == result, stderr
    assert "note:" not in stderr

    # Without a units file the command cannot tell the units without values, and says so.
    doc, stderr = rank_json("--period", "2025")
    assert "--units" in stderr and "units with values are" in stderr
    assert [u["unit"] for u in doc["units"]] == [u for u in units if u in valued]
    assert doc["inputDigest"] == result["inputDigest"]

    # Values of a unit the units file does not list are left out, and named.
    extra = folder / "extra.csv"
    extra.write_text((folder / inputs).read_text(encoding="utf-8") + "delivery:on_time_rate,99999,2025,0.5\n",
                     encoding="utf-8")
    r = run_cli(mandate_binary, ["rank", "--method", method, "--data", "extra.csv", "--units", "units.csv",
                                 "--format", "json"], cwd=folder)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == result
    assert "1 unit(s) with values in extra.csv are not in units.csv" in r.stderr and "99999" in r.stderr

    # The reference, given the same units, lists the same units and agrees on every number.
    reference_units = folder / "reference-units.csv"
    reference_units.write_text("level,code\n" + "".join(f"province,{u}\n" for u in units), encoding="utf-8")
    args = ["--period", "2025", "--previous", "2024", "--units", str(reference_units)]
    ours, _ = mandate_rank(mandate_binary, folder / method, folder / inputs, *args)
    assert_agree(ours, reference(folder / method, folder / inputs, *args))
    assert list(ours["unit"]) == units


def test_every_ranking_the_open_data_page_lists_is_recomputed(server, mandate_binary, tmp_path):
    """The demo's publications (made without a previous period) and whatever else is published,
    each version."""
    listed = listed_reproductions(Client(server))
    assert {("province-dti", "2025"), ("ministry-delivery", "2025")} <= {(m, p) for m, p, _ in listed}
    for method, period, version in listed:
        folder = tmp_path / f"{method}-{period}-v{version}"
        recompute_as_the_page_says(server, mandate_binary, folder, method, period, version)
