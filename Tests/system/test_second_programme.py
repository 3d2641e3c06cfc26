"""Acceptance test for "nothing is tied to Resolution 57": a second programme, a provincial
digital-transformation plan, is defined through the public JSON API alone and runs the whole
loop to a published ranking that verifies against the transparency log.

  programme (POST /api/v1/programmes)
  -> two new indicators (POST /api/v1/indicators)
  -> work plan whose tasks name those indicators (POST /api/v1/workPlans, text/csv, a dry
     run first)
  -> values entered for several provinces and approved (the unit head one by one; an
     administrator with dataValueSets?approve=true), one left a draft
  -> a ranking method over the new indicators (POST /api/v1/ranking-methods)
  -> draft, publish, fetch (GET …/draft, POST …/publish, GET /api/v1/rankings/…)
  -> the published ranking's fact, its digests, its inclusion proof and the signed checkpoint.

No demo code and no CLI: only the server the other system tests start, and the API. The expected
order of the provinces is computed here from the values posted, by the formulas of
docs/RANKING.md, not read from the server."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.client
import json
import time
from urllib.parse import quote

import pytest

from mandate_testkit import Client, Response
from test_ranking_publication import canonical, conforms

ANALYST = "analyst@demo.mandate.vn"
ADMIN = "admin@demo.mandate.vn"
HEAD_HANOI = "head.hanoi@demo.mandate.vn"
REPORTER_HANOI = "reporter.hanoi@demo.mandate.vn"
PASSWORD = "mandate-demo"

# A full year that has ended, so that it has begun whatever the clock says; the year before it
# has no values of the new indicators, so the ranking's changes are empty.
YEAR = dt.datetime.now(dt.timezone.utc).year - 1
PERIOD = str(YEAR)

PROGRAMME = "KHCDS-TINH"
SHARE = "KHCDS-DVC-TOANTRINH"  # percent of applications processed fully online: higher is better
DAYS = "KHCDS-NGAY-XULY"  # mean days to process an application: lower is better
METHOD = "province-khcds"

# Hà Nội (01) is entered by its reporter and approved by its head; the others by the committee
# and approved by an administrator. 96 (Cà Mau) has only a draft, which must count nowhere.
SHARE_VALUES = {"01": 72.5, "79": 88, "48": 91, "31": 60, "92": 55}
DAYS_VALUES = {"01": 4, "79": 8, "48": 3, "31": 5, "92": 9}
DRAFT_ONLY = ("96", 99)

WORK_PLAN = f"""code,title,title_en,lead_unit,coordinating_units,start,deadline,orientation,priority,indicators
KHCDS-01,Số hóa hồ sơ thủ tục hành chính cấp tỉnh,Digitise provincial administrative records,01,48;79,{YEAR}-02-01,{YEAR}-11-30,1,high,{SHARE}
KHCDS-02,Rút ngắn thời gian giải quyết thủ tục,Shorten processing times,79,,{YEAR}-03-01,{YEAR + 1}-06-30,1,normal,{DAYS}
KHCDS-03,Nền tảng dữ liệu mở của tỉnh,Provincial open-data platform,48,01,{YEAR}-04-01,{YEAR + 1}-12-31,2,low,{SHARE};{DAYS}
"""
TASKS = ("KHCDS-01", "KHCDS-02", "KHCDS-03")
# Coordinating units are listed in code order: the server reads them back in that order, and a
# re-import of "79;48" is reported as an update of `coordinatingUnits` (a spurious revision).


# --------------------------------------------------------------------------
# Small helpers


def signed_in(server: str, email: str) -> tuple[Client, str]:
    c = Client(server)
    return c, c.login_api(email, PASSWORD)


def post_body(c: Client, path: str, body: str, content_type: str, csrf: str) -> Response:
    """POST a raw body (the test kit's client sends only JSON and forms)."""
    headers = {
        "Connection": "close", "Content-Type": content_type, "Accept": "application/json",
        "X-CSRF-Token": csrf, "Cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items()),
    }
    conn = http.client.HTTPConnection(c.host, c.port, timeout=30)
    try:
        conn.request("POST", path, body=body.encode("utf-8"), headers=headers)
        r = conn.getresponse()
        return Response("POST", path, r.status, r.reason, r.msg, r.read())
    finally:
        conn.close()


def decimal_text(x: float) -> str:
    """A value as the log and the inputs file write it: whole numbers without a fraction,
    others as the shortest decimal that reads back as the same double."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def public_facts(c: Client) -> list[str]:
    """Every fact public now, page by page, as the canonical text the log holds."""
    out: list[str] = []
    while True:
        r = c.get(f"/api/v1/log/facts?limit=1000&offset={len(out)}")
        assert r.status == 200, r.describe()
        items = r.json()["items"]
        out += items
        if len(items) < 1000:
            return out


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def included(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2: does the audit path `proof` lead from leaf `index` to `root`?"""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# Ed25519 verification (RFC 8032, section 6), so that the checkpoint's signature is checked with
# the standard library alone.
_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa, bb = (y1 - x1) * (y2 - x2) % _P, (y1 + x1) * (y2 + x2) % _P
    cc, dd = t1 * 2 * _D * t2 % _P, z1 * 2 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s: int, point):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, point)
        point = _add(point, point)
        s >>= 1
    return q


def _x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    return _P - x if (x & 1) != sign else x


def _point(b: bytes):
    y = int.from_bytes(b, "little")
    x = _x(y & ((1 << 255) - 1), y >> 255)
    return None if x is None else (x, y & ((1 << 255) - 1), 1, x * (y & ((1 << 255) - 1)) % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_G = (_x(_GY, 0), _GY, 1, _x(_GY, 0) * _GY % _P)


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    a, r = _point(public), _point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _L or len(signature) != 64:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    sb, rha = _mul(s, _G), _add(r, _mul(h, a))
    return (sb[0] * rha[2] - rha[0] * sb[2]) % _P == 0 and (sb[1] * rha[2] - rha[1] * sb[2]) % _P == 0


def verify_checkpoint(note: str, verifier_key: str) -> tuple[str, int, bytes]:
    """Checks a C2SP signed note against `name+keyid+base64(0x01 || key)`; returns the
    checkpoint's origin, size and root."""
    name, key_id, encoded = verifier_key.split("+", 2)
    key = base64.b64decode(encoded)
    assert key[0] == 1 and len(key) == 33, f"not an Ed25519 verifier key: {verifier_key}"
    assert hashlib.sha256(name.encode() + b"\n" + key).digest()[:4].hex() == key_id, verifier_key
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    ours = [line for line in signatures.splitlines() if line.startswith(f"\u2014 {name} ")]
    assert ours, f"the checkpoint carries no signature by {name}: {note!r}"
    raw = base64.b64decode(ours[0].split(" ")[2])
    assert raw[:4].hex() == key_id, "the signature names another key"
    assert ed25519_verify(key[1:], body.encode(), raw[4:]), f"the checkpoint's signature does not verify: {note!r}"
    origin, size, root = body.splitlines()[:3]
    assert origin == name, (origin, name)
    return origin, int(size), base64.b64decode(root)


def expected_ranking() -> list[tuple[str, float, int, float, float]]:
    """(unit, score, rank, share pillar, days pillar), best first: docs/RANKING.md steps 1 to 4
    by hand. min–max per component (lower is better reversed), equal pillar weights, arithmetic
    mean, competition ranking on scores rounded to 10^-9, ties by code."""

    def min_max(values: dict[str, float], higher: bool) -> dict[str, float]:
        lo, hi = min(values.values()), max(values.values())
        return {u: 100 * ((v - lo) if higher else (hi - v)) / (hi - lo) for u, v in values.items()}

    share = min_max({u: float(v) for u, v in SHARE_VALUES.items()}, higher=True)
    days = min_max({u: float(v) for u, v in DAYS_VALUES.items()}, higher=False)
    scores = {u: (share[u] + days[u]) / 2 for u in SHARE_VALUES}
    key = {u: int(s * 1e9 + 0.5) for u, s in scores.items()}
    ranked = sorted(scores, key=lambda u: (-key[u], u.encode()))
    return [(u, scores[u], 1 + sum(key[o] > key[u] for o in scores), share[u], days[u]) for u in ranked]


@pytest.fixture(scope="module")
def openapi(server: str) -> dict:
    r = Client(server).get("/api/v1/openapi.json")
    assert r.status == 200, r.describe()
    return r.json()


# --------------------------------------------------------------------------
# The loop, step by step


def define_programme(server: str, openapi: dict) -> dict:
    analyst, csrf = signed_in(server, ANALYST)
    draft = {
        "code": PROGRAMME,
        "nameVi": f"Kế hoạch chuyển đổi số cấp tỉnh giai đoạn {YEAR}–{YEAR + 4}",
        "nameEn": f"Provincial digital transformation plan {YEAR}–{YEAR + 4}",
        "legalBasis": {"title": "Quyết định ban hành Kế hoạch chuyển đổi số của tỉnh",
                       "number": "245/QĐ-UBND", "date": f"{YEAR}-01-15"},
        "startYear": YEAR, "endYear": YEAR + 4,
        "orientations": [
            {"number": 1, "titleVi": "Chính quyền số phục vụ người dân", "titleEn": "Digital government for citizens"},
            {"number": 2, "titleVi": "Dữ liệu mở và kinh tế số", "titleEn": "Open data and the digital economy"},
        ],
    }
    conforms(openapi, "ProgrammeDraft", draft)

    # Only committee roles define programmes: a unit's reporter is refused, and nothing is made.
    reporter, rcsrf = signed_in(server, REPORTER_HANOI)
    r = reporter.post("/api/v1/programmes", json=draft, csrf=rcsrf)
    assert r.status == 403, r.describe()
    assert Client(server).get(f"/api/v1/programmes/{PROGRAMME}").status == 404

    r = analyst.post("/api/v1/programmes", json=draft, csrf=csrf)
    assert r.status == 201, r.describe()
    created = r.json()
    conforms(openapi, "Programme", created)
    r = Client(server).get(f"/api/v1/programmes/{PROGRAMME}")
    assert r.status == 200, r.describe()
    served = r.json()
    assert served == created, (served, created)
    assert {k: served[k] for k in draft} == draft, served
    assert served.get("archivedAt") is None, served
    listed = {p["code"] for p in Client(server).get("/api/v1/programmes").json()["programmes"]}
    assert {PROGRAMME, "NQ57"} <= listed, listed
    # The same code again is a conflict, not a second programme.
    assert analyst.post("/api/v1/programmes", json=draft, csrf=csrf).status == 409
    return served


def define_indicators(server: str, openapi: dict) -> None:
    analyst, csrf = signed_in(server, ANALYST)
    definitions = [
        {"code": SHARE, "nameVi": "Tỷ lệ hồ sơ được xử lý trực tuyến toàn trình",
         "nameEn": "Share of applications processed fully online", "unitOfMeasure": "%",
         "valueType": "percent", "direction": "higher", "frequency": "yearly", "appliesTo": ["province"],
         "rollup": {"method": "mean"}, "targets": [{"year": YEAR, "value": 80}]},
        {"code": DAYS, "nameVi": "Thời gian giải quyết thủ tục bình quân",
         "nameEn": "Mean time to process an application", "unitOfMeasure": "ngày",
         "valueType": "number", "direction": "lower", "frequency": "yearly", "appliesTo": ["province"],
         "rollup": {"method": "mean"}, "targets": [{"year": YEAR, "value": 5}]},
    ]
    for definition in definitions:
        conforms(openapi, "Indicator", definition)
        r = analyst.post("/api/v1/indicators", json=definition, csrf=csrf)
        assert r.status == 201, r.describe()
        conforms(openapi, "Indicator", r.json())
        served = Client(server).get(f"/api/v1/indicators/{definition['code']}")
        assert served.status == 200, served.describe()
        assert {k: served.json()[k] for k in definition} == definition, served.json()
        assert served.json()["illustrative"] is False, "a new programme's indicator is not demo data"


def import_work_plan(server: str, openapi: dict) -> None:
    analyst, csrf = signed_in(server, ANALYST)
    path = f"/api/v1/workPlans?programme={PROGRAMME}"

    # A dry run says what the import would do and writes nothing.
    r = post_body(analyst, path + "&dryRun=true", WORK_PLAN, "text/csv; charset=utf-8", csrf)
    assert r.status == 200, r.describe()
    summary = r.json()
    conforms(openapi, "WorkPlanImport", summary)
    assert summary["dryRun"] is True, summary
    assert (summary["created"], summary["updated"], summary["unchanged"], summary["cancelled"]) == (3, 0, 0, 0)
    assert [(row["line"], row["code"], row["action"]) for row in summary["rows"]] == [
        (2, "KHCDS-01", "create"), (3, "KHCDS-02", "create"), (4, "KHCDS-03", "create")], summary
    for code in TASKS:
        assert analyst.get(f"/api/v1/tasks/{code}").status == 404, f"the dry run wrote {code}"
    assert Client(server).get(f"/api/v1/tasks?programme={PROGRAMME}").json()["items"] == []

    # The import itself.
    r = post_body(analyst, path, WORK_PLAN, "text/csv; charset=utf-8", csrf)
    assert r.status == 200, r.describe()
    summary = r.json()
    conforms(openapi, "WorkPlanImport", summary)
    assert summary["dryRun"] is False, summary
    assert (summary["created"], summary["updated"], summary["unchanged"], summary["cancelled"],
            summary["reports"], summary["accepted"]) == (3, 0, 0, 0, 0, 0), summary
    assert [row["action"] for row in summary["rows"]] == ["create"] * 3, summary

    expected = {
        "KHCDS-01": ("01", ["48", "79"], 1, "high", [SHARE], f"{YEAR}-02-01", f"{YEAR}-11-30"),
        "KHCDS-02": ("79", [], 1, "normal", [DAYS], f"{YEAR}-03-01", f"{YEAR + 1}-06-30"),
        "KHCDS-03": ("48", ["01"], 2, "low", [SHARE, DAYS], f"{YEAR}-04-01", f"{YEAR + 1}-12-31"),
    }
    for code, (lead, coordinating, orientation, priority, indicators, start, deadline) in expected.items():
        r = Client(server).get(f"/api/v1/tasks/{code}")
        assert r.status == 200, r.describe()
        task = r.json()["task"]
        assert task["programme"] == PROGRAMME, task
        assert (task["leadUnit"], task["coordinatingUnits"], task["orientation"], task["priority"],
                task["indicators"], task["start"], task["deadline"], task["origin"]) == (
            lead, coordinating, orientation, priority, indicators, start, deadline, "assigned"), task
        assert task["illustrative"] is False and task["titleEn"], task
    listed = Client(server).get(f"/api/v1/tasks?programme={PROGRAMME}").json()["items"]
    assert sorted(t["code"] for t in listed) == list(TASKS), listed
    assert all(t["programme"] == PROGRAMME for t in listed), listed

    # The same plan again changes nothing.
    r = post_body(analyst, path, WORK_PLAN, "text/csv; charset=utf-8", csrf)
    assert r.status == 200, r.describe()
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 3), r.json()


def enter_and_approve_values(server: str) -> None:
    public = Client(server)

    def exported() -> dict[tuple[str, str], str]:
        r = public.get(f"/api/v1/dataValues?indicator={SHARE},{DAYS}&period={PERIOD}")
        assert r.status == 200, r.describe()
        return {(v["dataElement"], v["orgUnit"]): v["value"] for v in r.json()["dataValues"]}

    # Hà Nội: its reporter enters a draft, which is not public until its head approves it.
    reporter, rcsrf = signed_in(server, REPORTER_HANOI)
    r = reporter.post("/api/v1/dataValues", json={"indicator": SHARE, "unit": "01", "period": PERIOD,
                                                  "value": SHARE_VALUES["01"]}, csrf=rcsrf)
    assert r.status == 201, r.describe()
    assert r.json()["status"] == "draft", r.describe()
    assert exported() == {}, "a draft is public"
    head, hcsrf = signed_in(server, HEAD_HANOI)
    r = head.post(f"/api/v1/dataValues/{SHARE}/01/{PERIOD}/approve", csrf=hcsrf)
    assert r.status == 200, r.describe()
    assert r.json()["status"] == "approved" and r.json()["value"] == SHARE_VALUES["01"], r.describe()

    # The other provinces' shares: entered by the committee as a CSV set (drafts), one of them
    # (96) never approved.
    analyst, acsrf = signed_in(server, ANALYST)
    others = {u: v for u, v in SHARE_VALUES.items() if u != "01"}
    rows = [f"{SHARE},{u},{PERIOD},{decimal_text(v)}" for u, v in others.items()]
    drafts = "indicator,unit,period,value\n" + "\n".join(rows + [f"{SHARE},{DRAFT_ONLY[0]},{PERIOD},{DRAFT_ONLY[1]}"]) + "\n"
    r = post_body(analyst, "/api/v1/dataValueSets", drafts, "text/csv; charset=utf-8", acsrf)
    assert r.status == 200, r.describe()
    assert r.json() == {"created": len(others) + 1, "updated": 0, "unchanged": 0}, r.json()
    r = analyst.get(f"/api/v1/dataValues/{SHARE}/79/{PERIOD}")
    assert r.status == 200 and r.json()["value"]["status"] == "draft", r.describe()
    assert set(exported()) == {(SHARE, "01")}, exported()

    # A committee analyst never signs off for a unit; an administrator may, for every unit in the set.
    approved = "indicator,unit,period,value\n" + "\n".join(rows) + "\n"
    r = post_body(analyst, "/api/v1/dataValueSets?approve=true", approved, "text/csv; charset=utf-8", acsrf)
    assert r.status == 403, r.describe()
    admin, dcsrf = signed_in(server, ADMIN)
    r = post_body(admin, "/api/v1/dataValueSets?approve=true", approved, "text/csv; charset=utf-8", dcsrf)
    assert r.status == 200, r.describe()
    assert r.json() == {"created": 0, "updated": len(others), "unchanged": 0}, r.json()

    # The processing times, as a JSON set approved on import.
    body = {"dataValues": [{"dataElement": DAYS, "orgUnit": u, "period": PERIOD, "value": v}
                           for u, v in DAYS_VALUES.items()]}
    r = admin.post("/api/v1/dataValueSets?approve=true", json=body, csrf=dcsrf)
    assert r.status == 200, r.describe()
    assert r.json() == {"created": len(DAYS_VALUES), "updated": 0, "unchanged": 0}, r.json()

    # Public now: exactly the approved values; the draft of 96 is not.
    want = {(SHARE, u): decimal_text(v) for u, v in SHARE_VALUES.items()}
    want |= {(DAYS, u): decimal_text(v) for u, v in DAYS_VALUES.items()}
    assert exported() == want
    r = analyst.get(f"/api/v1/dataValues/{SHARE}/{DRAFT_ONLY[0]}/{PERIOD}")
    assert r.status == 200 and r.json()["value"]["status"] == "draft", r.describe()

    # Each approval entered the log's public facts, with the value as published.
    facts = [json.loads(f) for f in public_facts(public)]
    logged = {(f["fields"]["indicator"], f["fields"]["unit"]): f["fields"] for f in facts
              if f["kind"] == "approved-value" and f["fields"]["indicator"] in (SHARE, DAYS)}
    assert {k: v["value"] for k, v in logged.items()} == want, logged
    assert all(v["period"] == PERIOD and "illustrative" not in v for v in logged.values()), logged


def define_method(server: str, openapi: dict) -> dict:
    method = {
        "schemaVersion": 1, "id": METHOD, "version": 1,
        "nameVi": "Xếp hạng tỉnh theo Kế hoạch chuyển đổi số cấp tỉnh",
        "nameEn": "Provinces ranked on the provincial digital transformation plan",
        "unitKind": "province", "aggregation": "arithmetic", "missingData": "reweight",
        "pillars": [
            {"code": "ONLINE", "nameVi": "Dịch vụ công trực tuyến", "nameEn": "Online services", "weight": 1,
             "components": [{"code": "ONLINE_SHARE", "source": {"indicator": SHARE}, "weight": 1,
                             "direction": "higher", "normalisation": "minMax"}]},
            {"code": "SPEED", "nameVi": "Thời gian giải quyết", "nameEn": "Processing time", "weight": 1,
             "components": [{"code": "SPEED_DAYS", "source": {"indicator": DAYS}, "weight": 1,
                             "direction": "lower", "normalisation": "minMax"}]},
        ],
        "uncertainty": {"draws": 200, "seed": YEAR},
    }
    conforms(openapi, "RankingMethod", method)
    analyst, csrf = signed_in(server, ANALYST)
    r = analyst.post("/api/v1/ranking-methods", json=method, csrf=csrf)
    assert r.status == 201, r.describe()
    conforms(openapi, "RankingMethod", r.json())
    r = Client(server).get(f"/api/v1/ranking-methods/{METHOD}")
    assert r.status == 200, r.describe()
    served = r.json()
    assert (served["id"], served["version"], served["unitKind"]) == (METHOD, 1, "province"), served
    sources = [c["source"] for p in served["pillars"] for c in p["components"]]
    assert sources == [{"indicator": SHARE}, {"indicator": DAYS}], served
    # The loop closes: the method ranks on exactly the indicators the programme's tasks move.
    moved = {i for t in Client(server).get(f"/api/v1/tasks?programme={PROGRAMME}").json()["items"]
             for i in t["indicators"]}
    assert moved == {s["indicator"] for s in sources}, moved
    return served


def check_result(result: dict, provinces: list[str]) -> None:
    """The result ranks the provinces entered in the order their values imply, every other
    province (96's draft included) unranked, by code."""
    expected = expected_ranking()
    units = result["units"]
    ranked = [u for u in units if u.get("rank") is not None]
    assert [u["unit"] for u in ranked] == [e[0] for e in expected], [(u["unit"], u.get("score")) for u in ranked]
    for got, (unit, score, rank, share, days) in zip(ranked, expected):
        assert got["rank"] == rank, got
        assert got["score"] == pytest.approx(score, abs=1e-9), (got, score)
        pillars = {p["pillar"]: p.get("score") for p in got["pillars"]}
        assert pillars == {"ONLINE": pytest.approx(share, abs=1e-9), "SPEED": pytest.approx(days, abs=1e-9)}, got
        assert "previousScore" not in got and "rankChange" not in got, got
        assert got["interval"]["low"] <= got["interval"]["median"] <= got["interval"]["high"], got
    unranked = [u["unit"] for u in units[len(ranked):]]
    assert all(u.get("score") is None for u in units[len(ranked):]), units
    assert unranked == sorted(set(provinces) - set(SHARE_VALUES), key=str.encode), unranked
    assert DRAFT_ONLY[0] in unranked, "a province with only a draft value was ranked"
    assert result["period"] == PERIOD and result["previousPeriod"] == str(YEAR - 1), result
    # Neither indicator has a value the year before, and the result says so.
    assert result["previousMissingComponents"] == ["ONLINE_SHARE", "SPEED_DAYS"], result


def expected_inputs() -> str:
    """The inputs' canonical CSV (docs/RANKING.md, "The digest of the inputs"), from the values
    posted: one row per approved value, by period, indicator, then unit."""
    rows = [(PERIOD, SHARE, u, v) for u, v in SHARE_VALUES.items()]
    rows += [(PERIOD, DAYS, u, v) for u, v in DAYS_VALUES.items()]
    rows.sort(key=lambda r: (r[0].encode(), r[1].encode(), r[2].encode()))
    return "indicator,unit,period,value\n" + "".join(f"{i},{u},{p},{decimal_text(v)}\n" for p, i, u, v in rows)


def draft_and_publish(server: str, openapi: dict) -> dict:
    provinces = [u["code"] for u in Client(server).get("/api/v1/units?kind=province&limit=1000").json()["items"]]
    assert set(SHARE_VALUES) | {DRAFT_ONLY[0]} <= set(provinces), provinces

    analyst, csrf = signed_in(server, ANALYST)
    assert Client(server).get(f"/api/v1/rankings/{METHOD}/{PERIOD}/draft").status == 401
    r = analyst.get(f"/api/v1/rankings/{METHOD}/{PERIOD}/draft")
    assert r.status == 200, r.describe()
    draft = r.json()
    conforms(openapi, "RankingDraft", draft)
    check_result(draft["result"], provinces)
    assert draft["result"]["inputDigest"] == hashlib.sha256(expected_inputs().encode()).hexdigest()
    assert Client(server).get(f"/api/v1/rankings/{METHOD}/{PERIOD}").status == 404, "a draft is public"

    reviewed = {"methodVersion": draft["method"]["version"], "previousPeriod": str(YEAR - 1),
                "expectedInputsDigest": draft["result"]["inputDigest"], "expectedMethodDigest": draft["methodDigest"]}
    conforms(openapi, "PublishRequest", reviewed)
    r = analyst.post(f"/api/v1/rankings/{METHOD}/{PERIOD}/publish", json=reviewed, csrf=csrf)
    assert r.status == 201, r.describe()
    published = r.json()
    conforms(openapi, "PublishedRanking", published)
    assert (published["methodId"], published["period"], published["version"], published["latestVersion"]) == (
        METHOD, PERIOD, 1, 1), published
    assert published["result"] == draft["result"], "the publication is not the draft reviewed"

    # Anyone reads it, as published.
    anyone = Client(server)
    r = anyone.get(f"/api/v1/rankings/{METHOD}/{PERIOD}")
    assert r.status == 200, r.describe()
    served = r.json()
    conforms(openapi, "PublishedRanking", served)
    assert served == published
    check_result(served["result"], provinces)
    listed = [(p["methodId"], p["period"], p["version"]) for p in anyone.get("/api/v1/rankings").json()["items"]]
    assert (METHOD, PERIOD, 1) in listed, listed
    return served


def check_in_the_log(server: str, published: dict) -> None:
    anyone = Client(server)
    base = f"/api/v1/rankings/{METHOD}/{PERIOD}"

    # The three documents the fact names recompute to its digests.
    method_file = anyone.get(f"{base}/method?version=1")
    inputs_file = anyone.get(f"{base}/inputs?version=1")
    assert method_file.status == 200 and inputs_file.status == 200, (method_file.describe(), inputs_file.describe())
    assert canonical(published["method"]) == method_file.body
    assert inputs_file.text == expected_inputs(), inputs_file.text

    key = f"published-ranking/{METHOD}/{PERIOD}/1"
    mine = [f for f in public_facts(anyone) if json.loads(f)["key"] == key]
    assert len(mine) == 1, f"the published ranking is not among the public facts: {mine}"
    fact_text = mine[0]
    fact = json.loads(fact_text)
    assert fact["kind"] == "published-ranking" and fact["v"] == 1, fact
    assert fact["fields"] == {
        "methodId": METHOD, "methodVersion": "1", "period": PERIOD, "version": "1",
        "previousPeriod": str(YEAR - 1), "publishedAt": published["publishedAt"],
        "inputDigest": hashlib.sha256(inputs_file.body).hexdigest(),
        "methodDigest": hashlib.sha256(method_file.body).hexdigest(),
        "resultDigest": hashlib.sha256(canonical(published["result"])).hexdigest(),
        "units": str(len(SHARE_VALUES)),
    }, fact
    assert fact["fields"]["inputDigest"] == published["inputDigest"] == published["result"]["inputDigest"]

    # The ranking's fact, and an approved value it was computed from, are leaves of the signed tree.
    value_key = next(json.loads(f)["key"] for f in public_facts(anyone)
                     if json.loads(f)["key"].startswith(f"approved-value/{SHARE}/01/{PERIOD}/"))
    log = anyone.get("/api/v1/log").json()
    well_known = anyone.get("/.well-known/mandate-log-key").text.strip()
    assert log["verifierKey"] == well_known, (log, well_known)
    for k in (key, value_key):
        deadline = time.monotonic() + 20  # the checkpointer signs at most once a second
        while True:
            r = anyone.get("/api/v1/log/proof/inclusion?key=" + quote(k, safe=""))
            if r.status == 200:
                break
            assert r.status == 409 and time.monotonic() < deadline, r.describe()
            time.sleep(0.25)
        proof = r.json()
        assert proof["key"] == k, proof
        if k == key:
            assert proof["fact"] == fact_text, "the logged leaf is not the fact published"
        leaf = hashlib.sha256(b"\x00" + proof["fact"].encode()).digest()
        assert base64.b64decode(proof["leafHash"]) == leaf, proof
        root = base64.b64decode(proof["rootHash"])
        path = [base64.b64decode(h) for h in proof["proof"]]
        assert included(proof["leafIndex"], proof["treeSize"], leaf, path, root), f"{k}: the proof does not verify"
        origin, size, signed_root = verify_checkpoint(proof["checkpoint"], well_known)
        assert (origin, size, signed_root) == (log["origin"], proof["treeSize"], root), proof["checkpoint"]


def test_a_second_programme_runs_the_whole_loop(server: str, openapi: dict) -> None:
    define_programme(server, openapi)
    define_indicators(server, openapi)
    import_work_plan(server, openapi)
    enter_and_approve_values(server)
    define_method(server, openapi)
    published = draft_and_publish(server, openapi)
    check_in_the_log(server, published)
