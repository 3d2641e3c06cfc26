"""Satisfaction figures against the independent reference (reference/satisfaction_reference.py).

Ratings with random scores (overall and some SIPAS factors) are posted through the public API to
a province and to two of its communes, on a server whose limits let them through; the province's
figures take in its communes' ratings. `GET /api/v1/units/{code}/satisfaction` must agree with
the reference, computed here from the scores posted, to 10⁻¹² for every number and exactly for
every count and flag, overall and per factor, for the province, a commune and a unit under the
minimum n (only n is shown). The profile page shows the same share, and "not enough ratings"
where the API shows nothing."""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "reference"))

import satisfaction_reference  # noqa: E402

from mandate_testkit import Client  # noqa: E402

FACTORS = ["access", "procedures", "staff", "results", "handling"]


def post_ratings(c: Client, unit: str, count: int, rng: random.Random) -> tuple[list[int], dict[str, list[int]]]:
    overall: list[int] = []
    factors: dict[str, list[int]] = {f: [] for f in FACTORS}
    for _ in range(count):
        score = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 4, 4])[0]
        rated = {f: rng.randint(1, 5) for f in FACTORS if rng.random() < 0.6}
        r = c.post("/api/v1/feedback", json={"unit": unit, "overall": score, "factors": rated})
        assert r.status == 201, r.describe()
        overall.append(score)
        for f, s in rated.items():
            factors[f].append(s)
    return overall, factors


def assert_agrees(served: dict, expected: dict, where: str) -> None:
    assert served["n"] == expected["n"] and served["shown"] == expected["shown"], (where, served, expected)
    if not expected["shown"]:
        assert all(served.get(k) is None for k in ("share", "low", "high", "mean", "satisfied")), (where, served)
        return
    assert served["satisfied"] == expected["satisfied"] and served["uncertain"] == expected["uncertain"], where
    for key in ("share", "low", "high", "mean"):
        assert abs(served[key] - expected[key]) <= 1e-12, (where, key, served[key], expected[key])


def test_the_served_figures_agree_with_the_reference(start_server, tmp_path: Path) -> None:
    server = start_server(
        f"sqlite:{tmp_path}/m.sqlite", extra_args=["--ratings-per-client", "100000", "--ratings-per-unit", "100000"]
    )
    c = Client(server.url)
    rng = random.Random(20261207)
    # Province 79 (Hồ Chí Minh City) and two of its communes; 92 (Cần Thơ) stays under the minimum.
    communes = [u["code"] for u in c.get("/api/v1/units?parent=79&limit=2").json()["items"]]
    assert len(communes) == 2, communes
    own, own_factors = post_ratings(c, "79", 25, rng)
    first, first_factors = post_ratings(c, communes[0], 40, rng)
    second, second_factors = post_ratings(c, communes[1], 12, rng)
    few, few_factors = post_ratings(c, "92", 7, rng)
    expectations = {
        "79": (own + first + second, {f: own_factors[f] + first_factors[f] + second_factors[f] for f in FACTORS}),
        communes[0]: (first, first_factors),
        "92": (few, few_factors),
    }
    for unit, (scores, factors) in expectations.items():
        r = c.get(f"/api/v1/units/{unit}/satisfaction")
        assert r.status == 200, r.describe()
        body = r.json()
        assert_agrees(body["overall"], satisfaction_reference.figure(scores), f"{unit} overall")
        for f in FACTORS:
            assert_agrees(body["factors"][f], satisfaction_reference.figure(factors[f]), f"{unit} {f}")
    # The province's profile shows its share the page's way; Cần Thơ's says there are too few.
    expected = satisfaction_reference.figure(expectations["79"][0])
    share = ("%.2f" % (expected["share"] * 100)).rstrip("0").rstrip(".")
    page = c.get("/units/79?lang=en").text
    row = page[page.index('id="satisfaction-overall"'):]
    row = row[: row.index("</tr>")]
    assert f">{share} %" in row, (share, row)
    assert "not enough ratings yet (7)" in c.get("/units/92?lang=en").text
