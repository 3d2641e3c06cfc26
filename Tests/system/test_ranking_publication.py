"""Publishing rankings through the API, out of process: only a period that has begun, and a result
that names the components the period compared with lacks. Every answer is checked against the
schema the served OpenAPI document gives for it."""

from __future__ import annotations

import pytest

from mandate_testkit import Client


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
        "CQS_DTI", "KTS_DTI", "KTS_BUDGET", "XHS_DTI", "XHS_ENGINEERS"]

    # The demo compares 2025 with 2024, both with the DTI of today's provinces.
    published = Client(server).get("/api/v1/rankings/province-dti/2025?version=1").json()
    conforms(openapi, "PublishedRanking", published)
    assert published["result"]["previousPeriod"] == "2024"
    assert "CQS_DTI" not in published["result"]["previousMissingComponents"]
