"""Publishing rankings through the API, out of process: only the draft reviewed is published
(409 otherwise, naming the field), only a period that has begun, a result that names the
components the period compared with lacks, and an older version that names the newer one.
Every answer is checked against the schema the served OpenAPI document gives for it."""

from __future__ import annotations

import pytest

from mandate_testkit import Client

PUBLISH = "/api/v1/rankings/province-dti/2025/publish"
DRAFT = "/api/v1/rankings/province-dti/2025/draft?previous=2024"


@pytest.fixture(scope="module")
def openapi(server: str) -> dict:
    r = Client(server).get("/api/v1/openapi.json")
    assert r.status == 200, r.describe()
    return r.json()


def conforms(document: dict, schema: str, instance) -> None:
    """Validates `instance` against components.schemas[schema] of the served document."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:mandate:openapi", resource)
    validator = Draft202012Validator(
        {"$ref": f"urn:mandate:openapi#/components/schemas/{schema}"}, registry=registry)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, f"{schema}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def signed_in(server: str, email: str) -> tuple[Client, str]:
    c = Client(server)
    return c, c.login_api(email, "mandate-demo")


def approve(server: str, indicator: str, unit: str, period: str, value: float) -> None:
    reporter, csrf = signed_in(server, "reporter.hanoi@demo.mandate.vn")
    r = reporter.post("/api/v1/dataValues", json={"indicator": indicator, "unit": unit, "period": period,
                                                  "value": value}, csrf=csrf)
    assert r.status in (200, 201), r.describe()
    head, csrf = signed_in(server, "head.hanoi@demo.mandate.vn")
    r = head.post(f"/api/v1/dataValues/{indicator}/{unit}/{period}/approve", csrf=csrf)
    assert r.status == 200, r.describe()


def reviewed(draft: dict) -> dict:
    return {"previousPeriod": "2024", "methodVersion": draft["method"]["version"],
            "expectedInputsDigest": draft["result"]["inputDigest"],
            "expectedMethodDigest": draft["methodDigest"]}


def test_only_the_draft_reviewed_is_published(server: str, openapi: dict) -> None:
    analyst, csrf = signed_in(server, "analyst@demo.mandate.vn")
    r = analyst.get(DRAFT)
    assert r.status == 200, r.describe()
    draft = r.json()
    conforms(openapi, "RankingDraft", draft)
    assert isinstance(draft["result"]["previousMissingComponents"], list)

    approve(server, "DTI_KTS", "01", "2025", 0.97)
    r = analyst.post(PUBLISH, json=reviewed(draft), csrf=csrf)
    assert r.status == 409, r.describe()
    assert r.content_type == "application/problem+json"
    problem = r.json()
    conforms(openapi, "Problem", problem)
    assert [e["field"] for e in problem["errors"]] == ["expectedInputsDigest"], problem
    assert "nothing was published" in problem["errors"][0]["reason"], problem
    versions = [p["version"] for p in Client(server).get("/api/v1/rankings").json()["items"]
                if p["methodId"] == "province-dti" and p["period"] == "2025"]
    assert versions == [1], versions

    r = analyst.post(PUBLISH, json={**reviewed(draft), "methodVersion": 7}, csrf=csrf)
    assert r.status == 409, r.describe()
    assert [e["field"] for e in r.json()["errors"]] == ["methodVersion", "expectedInputsDigest"], r.json()

    draft = analyst.get(DRAFT).json()
    r = analyst.post(PUBLISH, json=reviewed(draft), csrf=csrf)
    assert r.status == 201, r.describe()
    published = r.json()
    conforms(openapi, "PublishedRanking", published)
    assert published["version"] == 2 and published["inputDigest"] == draft["result"]["inputDigest"]
    assert published["latestVersion"] == 2


def test_an_older_version_names_the_newer(server: str, openapi: dict) -> None:
    anyone = Client(server)
    older = anyone.get("/api/v1/rankings/province-dti/2025?version=1").json()
    latest = anyone.get("/api/v1/rankings/province-dti/2025").json()
    for served in (older, latest):
        conforms(openapi, "PublishedRanking", served)
    assert latest["version"] > 1 and latest["latestVersion"] == latest["version"]
    assert older["version"] == 1 and older["latestVersion"] == latest["version"]
    assert older["latestPublishedAt"] == latest["publishedAt"] != older["publishedAt"]


def test_a_period_not_begun_is_refused_and_a_lacking_one_is_named(server: str, openapi: dict) -> None:
    analyst, csrf = signed_in(server, "analyst@demo.mandate.vn")
    r = analyst.post("/api/v1/rankings/province-dti/2031/publish", json={}, csrf=csrf)
    assert r.status == 422, r.describe()
    conforms(openapi, "Problem", r.json())
    assert [e["field"] for e in r.json()["errors"]] == ["period"], r.json()
    assert "2031 has not begun" in r.json()["errors"][0]["reason"]
    assert all(p["period"] != "2031" for p in Client(server).get("/api/v1/rankings").json()["items"])

    r = analyst.get("/api/v1/rankings/province-dti/2024/draft")
    assert r.status == 200, r.describe()
    draft = r.json()
    conforms(openapi, "RankingDraft", draft)
    assert draft["result"]["previousPeriod"] == "2023"
    assert draft["result"]["previousMissingComponents"] == [
        "CQS_DTI", "KTS_DTI", "KTS_BUDGET", "XHS_DTI", "XHS_ENGINEERS", "HL_OVERALL", "HL_STAFF"]

    # The demo compares 2025 with 2024, both with the DTI of today's provinces.
    published = Client(server).get("/api/v1/rankings/province-dti/2025?version=1").json()
    conforms(openapi, "PublishedRanking", published)
    assert published["result"]["previousPeriod"] == "2024"
    assert "CQS_DTI" not in published["result"]["previousMissingComponents"]


def canonical(value) -> bytes:
    """Canonical JSON as docs/RANKING.md defines it, written independently of the server: members
    sorted by name, no whitespace, `/` and non-ASCII as they are, whole numbers without a fraction,
    other numbers as the shortest decimal that reads back as the same double."""
    import json

    def number(x):
        if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
            return int(x)
        return x

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return number(v)

    return json.dumps(walk(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_published_digests_recompute_from_the_docs(server: str) -> None:
    """Every published ranking's methodDigest and resultDigest, as its log fact carries them,
    are the SHA-256 of the method file served and of the canonical JSON of the result served."""
    import hashlib
    import json

    anyone = Client(server)
    facts = {}
    for item in anyone.get("/api/v1/log/facts?limit=10000").json()["items"]:
        fact = json.loads(item)
        if fact["kind"] == "published-ranking":
            facts[fact["key"]] = fact["fields"]
    publications = anyone.get("/api/v1/rankings").json()["items"]
    assert publications, "the demo publishes rankings"
    for summary in publications:
        m, p, v = summary["methodId"], summary["period"], summary["version"]
        fields = facts[f"published-ranking/{m}/{p}/{v}"]
        served = anyone.get(f"/api/v1/rankings/{m}/{p}?version={v}").json()
        method_file = anyone.get(f"/api/v1/rankings/{m}/{p}/method?version={v}")
        assert hashlib.sha256(method_file.body).hexdigest() == fields["methodDigest"]
        assert canonical(served["method"]) == method_file.body
        assert hashlib.sha256(canonical(served["result"])).hexdigest() == fields["resultDigest"]
        assert served["result"]["inputDigest"] == fields["inputDigest"]
        # The order docs/RANKING.md gives: ranked units by rank then code, then the unranked by code.
        units = served["result"]["units"]
        key = [(u["rank"] is None, u["rank"] or 0, u["unit"].encode()) for u in units]
        assert key == sorted(key)
