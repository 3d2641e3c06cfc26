"""The public HTTP contract, out of process: health, metrics, units API,
problem+json errors, the served OpenAPI document, and the unit pages as plain
HTML (no browser)."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlsplit

from mandate_testkit import (
    DEMO_COMMUNES,
    DEMO_PROVINCES,
    OUT_DIR,
    Client,
    find_form,
    html_lang,
)


def assert_problem(r, status: int) -> dict:
    assert r.status == status, r.describe()
    assert r.content_type == "application/problem+json", (
        f"expected application/problem+json, got {r.header('Content-Type')!r}: {r.describe()}"
    )
    body = r.json()
    for key in ("type", "title", "status", "detail"):
        assert key in body, f"problem+json without {key!r}: {body}"
    assert body["status"] == status, body
    assert isinstance(body["title"], str) and body["title"], body
    return body


def test_healthz(server: str) -> None:
    r = Client(server).get("/healthz")
    assert r.status == 200, r.describe()
    assert r.content_type == "application/json", r.header("Content-Type")
    assert r.json().get("status") == "ok", r.describe()


def test_metrics(server: str) -> None:
    c = Client(server)
    assert c.get("/api/v1/units?kind=province").status == 200
    r = c.get("/metrics")
    assert r.status == 200, r.describe()
    assert r.content_type.startswith("text/plain"), r.header("Content-Type")
    samples = [
        float(m.group(1))
        for m in re.finditer(r"^http_requests_total(?:\{[^}]*\})?\s+(\S+)", r.text, re.M)
    ]
    assert samples, f"no http_requests_total samples in /metrics:\n{r.text[:2000]}"
    assert sum(samples) >= 1, samples


def test_units_provinces(server: str) -> None:
    r = Client(server).get("/api/v1/units?kind=province")
    assert r.status == 200, r.describe()
    assert r.content_type == "application/json"
    body = r.json()
    assert body["total"] == DEMO_PROVINCES, body.get("total")
    items = body["items"]
    assert items and all(i["kind"] == "province" for i in items), items[:3]
    hanoi = [i for i in items if i["code"] == "01"]
    assert hanoi, f"province 01 not in the first page: {[i['code'] for i in items]}"
    assert hanoi[0]["name"] == "Thành phố Hà Nội", hanoi[0]
    assert hanoi[0]["shortName"] == "Hà Nội", hanoi[0]


def test_units_communes_total(server: str) -> None:
    assert Client(server).unit_total("commune") == DEMO_COMMUNES


def test_units_search_folds_diacritics(server: str) -> None:
    c = Client(server)
    for q in ("ha noi", "Hà Nội", "HA NOI"):
        r = c.get(f"/api/v1/units?search={quote(q)}")
        assert r.status == 200, r.describe()
        codes = [i["code"] for i in r.json()["items"]]
        assert "01" in codes, f"search {q!r} did not find Hà Nội: {codes[:20]}"
    for q in ("da nang", "đà nẵng", "Đà Nẵng"):
        r = c.get(f"/api/v1/units?search={quote(q)}")
        codes = [i["code"] for i in r.json()["items"]]
        assert "48" in codes, f"search {q!r} did not find Đà Nẵng: {codes[:20]}"


def test_unit_by_code_and_404(server: str) -> None:
    c = Client(server)
    r = c.get("/api/v1/units/48")
    assert r.status == 200, r.describe()
    u = r.json()
    assert (u["code"], u["kind"], u["shortName"]) == ("48", "province", "Đà Nẵng"), u
    assert u["name"] == "Thành phố Đà Nẵng", u
    r = c.get("/api/v1/units/00004")
    assert r.status == 200, r.describe()
    assert r.json()["name"] == "Phường Ba Đình", r.json()

    assert_problem(c.get("/api/v1/units/ZZ999"), 404)


def test_api_requires_authentication(server: str) -> None:
    c = Client(server)
    r = c.get("/api/v1/tokens")
    assert_problem(r, 401)
    r = c.post("/api/v1/tokens", json={"name": "anonymous"})
    assert r.status in (401, 403), r.describe()


def test_openapi_document(server: str) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator, validate

    r = Client(server).get("/api/v1/openapi.json")
    assert r.status == 200, r.describe()
    assert r.content_type == "application/json", r.header("Content-Type")
    doc = r.json()
    (OUT_DIR / "openapi.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    assert str(doc.get("openapi", "")).startswith("3.1"), doc.get("openapi")
    validate(doc, cls=OpenAPIV31SpecValidator)

    # Paths may be written relative to a server URL such as "/api/v1"; path
    # parameter names are free.
    def norm(path: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/") or "/")

    bases = {""} | {urlsplit(s.get("url", "")).path.rstrip("/") for s in doc.get("servers", [])}
    paths = {norm(p) for p in doc.get("paths", {})}

    def documented(path: str) -> bool:
        return any(path.startswith(b) and norm(path[len(b):] or "/") in paths for b in bases)

    for p in (
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/session",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
    ):
        assert documented(p), f"{p} missing from the OpenAPI paths: {sorted(doc.get('paths', {}))}"


def test_units_page_html(server: str) -> None:
    c = Client(server)
    r = c.get("/units")
    assert r.status == 200, r.describe()
    assert r.content_type == "text/html", r.header("Content-Type")
    assert html_lang(r.text) == "vi", "default page language must be vi"
    form = find_form(r.text, form_id="unit-search-form")
    assert form.method == "get", form.attrs
    assert any(i.get("name") == "q" and i.get("id") == "unit-search" for i in form.inputs), form
    assert 'id="lang-switch"' in r.text

    r = c.get("/units?q=" + quote("ha noi"))
    assert r.status == 200, r.describe()
    assert 'id="unit-results"' in r.text
    assert 'href="/units/01"' in r.text, "search 'ha noi' did not link Hà Nội"

    r = c.get("/units/01")
    assert r.status == 200, r.describe()
    assert "Hà Nội" in r.text
    assert 'id="unit-children"' in r.text
    assert "Phường Ba Đình" in r.text


def test_unknown_page_is_404(server: str) -> None:
    c = Client(server)
    r = c.get("/units/ZZ999")
    assert r.status == 404, r.describe()
    r = c.get("/no/such/page")
    assert r.status == 404, r.describe()
