"""The database catalogue, out of process: the DCAT-AP 3 export (JSON-LD and Turtle, whole and
per unit) conforms to the DCAT-AP SHACL shapes with zero violations and lists exactly the approved
entries; an entry goes from a reporter's draft, unseen by the public, to a unit head's approval and
a second version; who may create, approve and audit, and what an audit does to the `correct`
quality and the class; bad drafts and CSV imports refused whole with every bad field or line named;
search without diacritics and the unit and quality filters.

The shapes are ../shared/vectors/dcat-ap-3 next to the repository (the module is skipped if that
folder is missing); pyshacl is installed by .ci/run."""

from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import secrets

import pytest
import rdflib
from pyshacl import validate
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from mandate_testkit import ROOT, Client, Response

SHAPES_DIR = (ROOT / ".." / "shared" / "vectors" / "dcat-ap-3").resolve()
DEMO_CSV = ROOT / "Sources" / "MandateStore" / "Resources" / "catalogue-demo.csv"
PASSWORD = "mandate-demo"
REPORTER = "reporter.hanoi@demo.mandate.vn"
HEAD = "head.hanoi@demo.mandate.vn"
ANALYST = "analyst@demo.mandate.vn"
TODAY = dt.datetime.now(dt.timezone.utc).date()

# rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def shapes() -> tuple[rdflib.Graph, rdflib.Graph]:
    if not SHAPES_DIR.is_dir():
        pytest.skip(f"DCAT-AP 3 shapes not found at {SHAPES_DIR} (../shared/vectors/dcat-ap-3)")
    return (
        rdflib.Graph().parse(SHAPES_DIR / "dcat-ap-SHACL.ttl", format="turtle"),
        rdflib.Graph().parse(SHAPES_DIR / "range.ttl", format="turtle"),
    )


# --------------------------------------------------------------------------
# Helpers


def signed_in(server: str, email: str) -> tuple[Client, str]:
    c = Client(server)
    return c, c.login_api(email, PASSWORD)


def assert_problem(r: Response, status: int) -> dict:
    assert r.status == status, r.describe()
    assert r.content_type == "application/problem+json", r.describe()
    body = r.json()
    assert body.get("status") == status and body.get("title"), body
    return body


def listing(server: str, query: str = "") -> dict:
    r = Client(server).get(f"/api/v1/catalogue?limit=500{'&' + query if query else ''}")
    assert r.status == 200, r.describe()
    body = r.json()
    assert body["total"] == len(body["items"]), f"more than 500 entries? {body['total']}"
    return body


def public_codes(server: str, query: str = "") -> set[str]:
    return {i["code"] for i in listing(server, query)["items"]}


def fetch(server: str, path: str, content_type: str, accept: str | None = None) -> Response:
    r = Client(server).get(path, headers={"Accept": accept} if accept else None)
    assert r.status == 200, r.describe()
    assert r.content_type == content_type, f"{path}: {r.header('Content-Type')!r}"
    return r


def graph_of(r: Response, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=r.body, format=fmt)


def assert_conforms(g: rdflib.Graph, fmt: str, shapes: tuple[rdflib.Graph, rdflib.Graph], what: str) -> None:
    shacl, ont = shapes
    _conforms, results, text = validate(
        g, shacl_graph=shacl, ont_graph=ont, data_graph_format=fmt, allow_warnings=True
    )
    violations = list(results.subjects(SH.resultSeverity, SH.Violation))
    assert not violations, f"{what}: {len(violations)} SHACL violation(s)\n{text[:4000]}"


def catalogued_codes(g: rdflib.Graph) -> set[str]:
    """The dct:identifier of every dataset the graph's one dcat:Catalog lists."""
    catalogues = list(g.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1, f"expected one dcat:Catalog, found {catalogues}"
    codes = set()
    for ds in g.objects(catalogues[0], DCAT.dataset):
        assert (ds, RDF.type, DCAT.Dataset) in g, f"{ds} listed but not a dcat:Dataset"
        ids = [str(i) for i in g.objects(ds, DCTERMS.identifier)]
        assert len(ids) == 1, f"{ds}: identifiers {ids}"
        codes.add(ids[0])
    return codes


def draft(code: str, **changes) -> dict:
    d = {
        "code": code, "owner": "01", "level": "local",
        "nameVi": "Cơ sở dữ liệu thử nghiệm hệ thống", "nameEn": "System test database",
        "descriptionVi": "Dữ liệu thử của bài kiểm tra hệ thống.",
        "descriptionEn": "Data of the system test.",
        "legalBasis": {"document": "Luật Dữ liệu 2024", "link": "https://vbpl.vn/"},
        "themes": ["GOVE"], "keywords": ["thử nghiệm"],
        "recordCount": 1200, "recordCountDate": (TODAY - dt.timedelta(days=3)).isoformat(),
        "frequency": "MONTHLY", "lastUpdate": (TODAY - dt.timedelta(days=3)).isoformat(),
        "connectedSince": "2025-01-15", "access": "open", "accessBasis": "",
        "distributions": [{
            "accessURL": "https://dulieu.hanoi.gov.vn/thu-nghiem",
            "downloadURL": "https://dulieu.hanoi.gov.vn/thu-nghiem.csv",
            "format": "CSV", "mediaType": "text/csv",
            "licence": "https://creativecommons.org/licenses/by/4.0/",
            "columns": ["ma", "ten"],
        }],
        "contactEmail": "dulieu@hanoi.gov.vn",
    }
    d.update(changes)
    return d


def new_code() -> str:
    return f"HN-SYS-{secrets.token_hex(3).upper()}"


def post_raw(c: Client, path: str, body: bytes, content_type: str, csrf: str) -> Response:
    """Client.request sends only JSON or forms; this sends a CSV file with the session."""
    headers = {
        "Content-Type": content_type, "Accept": "application/json", "X-CSRF-Token": csrf,
        "Cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items()), "Connection": "close",
    }
    conn = http.client.HTTPConnection(c.host, c.port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        r = conn.getresponse()
        return Response("POST", path, r.status, r.reason, r.msg, r.read())
    finally:
        conn.close()


# --------------------------------------------------------------------------
# 1. The export


def test_export_conforms_lists_every_approved_entry_and_negotiates(server: str, shapes) -> None:
    codes = public_codes(server)
    assert {"CSDLQG-DANCU", "CSDLQG-DATDAI", "HN-HKD"} <= codes and len(codes) >= 18, codes

    ld = graph_of(fetch(server, "/open-data/catalogue.jsonld", "application/ld+json"), "json-ld")
    ttl = graph_of(fetch(server, "/open-data/catalogue.ttl", "text/turtle"), "turtle")
    assert_conforms(ld, "json-ld", shapes, "catalogue.jsonld")
    assert_conforms(ttl, "turtle", shapes, "catalogue.ttl")
    assert catalogued_codes(ld) == codes, "the JSON-LD catalogue does not list the approved entries"
    assert isomorphic(ld, ttl), "catalogue.jsonld and catalogue.ttl are different graphs"

    r = fetch(server, "/open-data/catalogue", "text/turtle", accept="text/turtle")
    assert "accept" in (r.header("Vary") or "").lower(), r.header("Vary")
    assert isomorphic(graph_of(r, "turtle"), ttl), "negotiated Turtle differs from catalogue.ttl"
    r = fetch(server, "/open-data/catalogue", "application/ld+json", accept="application/json")
    assert "accept" in (r.header("Vary") or "").lower(), r.header("Vary")
    assert isomorphic(graph_of(r, "json-ld"), ld), "negotiated JSON-LD differs from catalogue.jsonld"

    unit_codes = public_codes(server, "unit=01")
    assert unit_codes and all(c.startswith("HN-") for c in unit_codes), unit_codes
    u_ld = graph_of(fetch(server, "/open-data/catalogue/01.jsonld", "application/ld+json"), "json-ld")
    u_ttl = graph_of(fetch(server, "/open-data/catalogue/01.ttl", "text/turtle"), "turtle")
    assert_conforms(u_ld, "json-ld", shapes, "catalogue/01.jsonld")
    assert_conforms(u_ttl, "turtle", shapes, "catalogue/01.ttl")
    assert catalogued_codes(u_ld) == unit_codes, "unit 01's export lists other entries"
    assert isomorphic(u_ld, u_ttl), "01.jsonld and 01.ttl are different graphs"
    r = fetch(server, "/open-data/catalogue/01", "text/turtle", accept="text/turtle")
    assert isomorphic(graph_of(r, "turtle"), u_ttl)


# --------------------------------------------------------------------------
# 2. Draft, approval, second version


def test_draft_is_private_until_the_head_approves_then_versions(server: str, shapes) -> None:
    reporter, r_csrf = signed_in(server, REPORTER)
    head, h_csrf = signed_in(server, HEAD)
    code = new_code()
    r = reporter.post("/api/v1/catalogue", json=draft(code), csrf=r_csrf)
    assert r.status == 201, r.describe()

    assert code not in public_codes(server), "a draft is in the public list"
    export = graph_of(fetch(server, "/open-data/catalogue.jsonld", "application/ld+json"), "json-ld")
    assert code not in catalogued_codes(export), "a draft is in the open-data export"
    assert_problem(Client(server).get(f"/api/v1/catalogue/{code}"), 404)
    r = reporter.get(f"/api/v1/catalogue/{code}")
    assert r.status == 200, r.describe()
    assert (r.json().get("draft") or {}).get("nameEn") == "System test database", r.describe()

    assert_problem(reporter.post(f"/api/v1/catalogue/{code}/approve", csrf=r_csrf), 403)
    assert code not in public_codes(server), "refused approval published the entry"
    r = head.post(f"/api/v1/catalogue/{code}/approve", csrf=h_csrf)
    assert r.status == 200, r.describe()
    assert r.json()["version"] == 1, r.describe()

    assert code in public_codes(server) and code in public_codes(server, "unit=01")
    public = Client(server).get(f"/api/v1/catalogue/{code}")
    assert public.status == 200 and public.json()["version"] == 1, public.describe()
    assert not public.json().get("draft"), "the public sees a draft"
    export = graph_of(fetch(server, "/open-data/catalogue.jsonld", "application/ld+json"), "json-ld")
    assert code in catalogued_codes(export), "the approved entry is not exported"
    assert_conforms(export, "json-ld", shapes, "catalogue.jsonld after an approval")
    history = Client(server).get(f"/api/v1/catalogue/{code}/history")
    assert history.status == 200 and [h["version"] for h in history.json()] == [1], history.describe()

    edited = draft(code, nameEn="System test database, second edition")
    r = reporter.request("PUT", f"/api/v1/catalogue/{code}", json=edited, csrf=r_csrf)
    assert r.status == 200, r.describe()
    public = Client(server).get(f"/api/v1/catalogue/{code}").json()
    assert (public["version"], public["entry"]["nameEn"]) == (1, "System test database"), public
    mine = reporter.get(f"/api/v1/catalogue/{code}").json()
    assert mine["draft"]["nameEn"] == edited["nameEn"], mine.get("draft")

    r = head.post(f"/api/v1/catalogue/{code}/approve", csrf=h_csrf)
    assert r.status == 200 and r.json()["version"] == 2, r.describe()
    public = Client(server).get(f"/api/v1/catalogue/{code}").json()
    assert (public["version"], public["entry"]["nameEn"]) == (2, edited["nameEn"]), public
    history = Client(server).get(f"/api/v1/catalogue/{code}/history").json()
    assert [(h["version"], h["entry"]["nameEn"]) for h in history] == [
        (2, edited["nameEn"]), (1, "System test database")], history


# --------------------------------------------------------------------------
# 3. Who may do what; audits


def test_authorisation_and_audits(server: str) -> None:
    reporter, r_csrf = signed_in(server, REPORTER)
    before = listing(server)
    code = "BCA-SYS-" + secrets.token_hex(3).upper()
    r = reporter.post("/api/v1/catalogue", json=draft(code, owner="BCA", level="national"), csrf=r_csrf)
    assert_problem(r, 403)
    assert_problem(reporter.get(f"/api/v1/catalogue/{code}"), 404)
    assert_problem(Client(server).post("/api/v1/catalogue", json=draft(new_code())), 401)
    assert listing(server) == before, "a refused creation changed the catalogue"

    entry = "HN-SDD"  # a demo entry of unit 01, never audited
    assert Client(server).get(f"/api/v1/catalogue/{entry}").json().get("audit") is None
    assert_problem(reporter.post(f"/api/v1/catalogue/{entry}/audits", json={
        "auditedOn": TODAY.isoformat(), "sampled": 10, "wrong": 0, "passed": True,
        "findings": "", "evidence": ""}, csrf=r_csrf), 403)

    analyst, a_csrf = signed_in(server, ANALYST)
    passed_on = (TODAY - dt.timedelta(days=2)).isoformat()
    r = analyst.post(f"/api/v1/catalogue/{entry}/audits", json={
        "auditedOn": passed_on, "sampled": 200, "wrong": 1, "passed": True,
        "findings": "Mẫu khớp với hồ sơ gốc", "evidence": "https://dulieu.hanoi.gov.vn/bien-ban"},
        csrf=a_csrf)
    assert r.status == 201, r.describe()
    got = Client(server).get(f"/api/v1/catalogue/{entry}").json()
    correct = got["qualities"]["correct"]
    assert correct["state"] == "met", correct
    assert passed_on in correct["reason"] and "200" in correct["reason"], correct
    assert passed_on in correct["reasonVi"], correct
    assert got["audit"]["passed"] is True and got["audit"]["auditedOn"] == passed_on, got["audit"]
    assert got["class"] != "C", got["class"]

    failed_on = (TODAY - dt.timedelta(days=1)).isoformat()
    r = analyst.post(f"/api/v1/catalogue/{entry}/audits", json={
        "auditedOn": failed_on, "sampled": 100, "wrong": 40, "passed": False,
        "findings": "Nhiều bản ghi sai", "evidence": ""}, csrf=a_csrf)
    assert r.status == 201, r.describe()
    got = Client(server).get(f"/api/v1/catalogue/{entry}").json()
    assert got["qualities"]["correct"]["state"] == "not-met", got["qualities"]["correct"]
    assert failed_on in got["qualities"]["correct"]["reason"], got["qualities"]["correct"]
    assert got["class"] == "C", got["class"]
    assert entry in public_codes(server, "quality=class:C")


def test_every_write_to_another_units_database_is_refused(server: str) -> None:
    """Edits, approvals, samples and imports are authorised on the database's owner: a unit's
    reporter or head cannot touch another unit's entries, nor import entries in its name."""
    reporter, r_csrf = signed_in(server, REPORTER)  # Ha Noi (01)
    most, m_csrf = signed_in(server, "reporter.most@demo.mandate.vn")
    most_head, mh_csrf = signed_in(server, "head.most@demo.mandate.vn")
    before = listing(server)
    public = Client(server).get("/api/v1/catalogue/CSDLQG-DANCU").json()  # the ministry of public security's

    # Editing another unit's database: in its owner's name, or claimed for one's own unit.
    assert_problem(reporter.request("PUT", "/api/v1/catalogue/CSDLQG-DANCU", json=draft(
        "CSDLQG-DANCU", owner="BCA", level="national"), csrf=r_csrf), 403)
    assert_problem(reporter.request("PUT", "/api/v1/catalogue/CSDLQG-DANCU", json=draft("CSDLQG-DANCU"),
                                    csrf=r_csrf), 409)
    assert_problem(most.request("PUT", "/api/v1/catalogue/HN-SDD", json=draft("HN-SDD"), csrf=m_csrf), 403)
    assert_problem(most.request("PUT", "/api/v1/catalogue/HN-SDD", json=draft("HN-SDD", owner="BKHCN"),
                                csrf=m_csrf), 409)

    # A Ha Noi draft cannot be approved, or its sample checked, by another unit.
    code = new_code()
    assert reporter.post("/api/v1/catalogue", json=draft(code), csrf=r_csrf).status == 201
    assert_problem(most_head.post(f"/api/v1/catalogue/{code}/approve", json={}, csrf=mh_csrf), 403)
    assert code not in public_codes(server), "another unit's head published a draft"

    # An import naming another unit is refused whole, in CSV and in JSON.
    with open(DEMO_CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0] if c != "expected_records"]
    ours, theirs = new_code(), new_code()
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    model = next(r for r in rows if r["owner"] == "01")
    w.writerow({**model, "code": ours})
    w.writerow({**model, "code": theirs, "owner": "BCA", "level": "national"})
    r = post_raw(reporter, "/api/v1/catalogueImports", out.getvalue().encode(), "text/csv; charset=utf-8", r_csrf)
    assert_problem(r, 403)
    r = reporter.post("/api/v1/catalogueImports", json=[draft(ours), draft(theirs, owner="BCA", level="national")],
                      csrf=r_csrf)
    assert_problem(r, 403)
    for c in (ours, theirs):
        assert_problem(reporter.get(f"/api/v1/catalogue/{c}"), 404)

    assert Client(server).get("/api/v1/catalogue/CSDLQG-DANCU").json() == public, "a refused edit changed it"
    assert reporter.get("/api/v1/catalogue/CSDLQG-DANCU").json().get("draft") is None
    after = listing(server)
    assert after == before, "a refused write changed the public catalogue"


# --------------------------------------------------------------------------
# 4. Bad input


def test_bad_draft_and_bad_import_are_refused_whole(server: str) -> None:
    reporter, csrf = signed_in(server, REPORTER)
    before = listing(server)
    future = (TODAY + dt.timedelta(days=400)).isoformat()
    plain = [dict(draft("X")["distributions"][0], accessURL="ftp://dulieu.hanoi.gov.vn/thu")]
    r = reporter.post("/api/v1/catalogue", json=draft(
        "bad code!", lastUpdate=future, themes=["NOPE"], distributions=plain), csrf=csrf)
    body = assert_problem(r, 422)
    named = {e.get("field") for e in body.get("errors", [])}
    wanted = {"code", "lastUpdate", "themes[0]", "distributions[0].accessURL"}
    assert wanted <= named, f"not named: {sorted(wanted - named)}; named {sorted(named)}"

    code = new_code()  # a good code, so that a kept draft could be found
    r = reporter.post("/api/v1/catalogue", json=draft(
        code, lastUpdate=future, themes=["NOPE"], distributions=plain), csrf=csrf)
    assert_problem(r, 422)
    assert_problem(reporter.get(f"/api/v1/catalogue/{code}"), 404)

    with open(DEMO_CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0] if c != "expected_records"]
    model = next(r for r in rows if r["owner"] == "01")
    good1, good2, bad_theme, bad_date = (new_code() for _ in range(4))
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for changes in ({"code": good1}, {"code": bad_theme, "themes": "NOPE"}, {"code": good2},
                    {"code": bad_date, "last_update": future}):
        w.writerow({**model, **changes})
    for dry in ("true", "false"):
        r = post_raw(reporter, f"/api/v1/catalogueImports?dryRun={dry}", out.getvalue().encode(),
                     "text/csv; charset=utf-8", csrf)
        body = assert_problem(r, 422)
        lines = {e.get("line") for e in body.get("errors", [])}
        assert {3, 5} <= lines and not lines & {2, 4}, f"dryRun={dry}: lines named {lines}: {body}"
    for c in (good1, good2, bad_theme, bad_date):
        assert_problem(reporter.get(f"/api/v1/catalogue/{c}"), 404)
    assert listing(server) == before, "a refused draft or import changed the catalogue"


# --------------------------------------------------------------------------
# 5. Search and filters


def test_search_and_filters(server: str) -> None:
    everything = listing(server)["items"]
    found = listing(server, "q=dan%20cu")
    assert "CSDLQG-DANCU" in {i["code"] for i in found["items"]}, found
    assert found["total"] < len(everything), "q=dan cu matched everything"

    in_01 = listing(server, "unit=01")
    assert in_01["items"] and all(i["owner"] == "01" for i in in_01["items"]), in_01["items"]
    assert {i["code"] for i in in_01["items"]} == {i["code"] for i in everything if i["owner"] == "01"}

    late = listing(server, "quality=living:not-met")
    assert late["items"], "no entry is late in the demo"
    assert all(i["qualities"]["living"]["state"] == "not-met" for i in late["items"]), late["items"]
    expected = [i["code"] for i in everything if i["qualities"]["living"]["state"] == "not-met"]
    assert late["total"] == len(expected) and {i["code"] for i in late["items"]} == set(expected)
    assert late["total"] < len(everything), "every entry is late: the filter is not tested"


# --------------------------------------------------------------------------
# 6. Completion against what the committee expects


def test_expectations_are_the_committees_and_completion_rolls_up(server: str) -> None:
    reporter, r_csrf = signed_in(server, REPORTER)
    body = {"deadline": "2026-03-31", "byKind": {"province": 2, "commune": 0}, "byUnit": {"01": 4}}
    assert_problem(reporter.request("PUT", "/api/v1/catalogueExpectations", json=body, csrf=r_csrf), 403)
    analyst, a_csrf = signed_in(server, ANALYST)
    bad = {"deadline": "2026-03-31", "byKind": {"village": 1}, "byUnit": {"NOPE": 1}}
    assert_problem(analyst.request("PUT", "/api/v1/catalogueExpectations", json=bad, csrf=a_csrf), 422)
    r = analyst.request("PUT", "/api/v1/catalogueExpectations", json=body, csrf=a_csrf)
    assert r.status == 200, r.describe()
    assert Client(server).get("/api/v1/catalogueExpectations").json()["byUnit"] == {"01": 4}

    r = Client(server).get("/api/v1/units/01/catalogueCompletion")
    assert r.status == 200, r.describe()
    figures = r.json()
    # Every approved database owned by Hà Nội or its communes is declared; complete ones are
    # those whose `sufficient` quality is met, counted up to the four expected.
    items = listing(server, "unit=01")["items"]
    declared = len(items)
    complete = sum(1 for i in items if i["qualities"]["sufficient"]["state"] == "met")
    assert figures["withUnitsBelow"]["expected"] == 4
    assert figures["withUnitsBelow"]["declared"] == declared
    assert figures["withUnitsBelow"]["complete"] == complete
    assert figures["withUnitsBelow"]["completionRate"] == pytest.approx(min(complete, 4) / 4 * 100)
    assert Client(server).get("/api/v1/units/NOPE/catalogueCompletion").status == 404


# --------------------------------------------------------------------------
# 7. A sample decides the clean quality


def test_a_sample_decides_clean(server: str) -> None:
    reporter, r_csrf = signed_in(server, REPORTER)
    head, h_csrf = signed_in(server, HEAD)
    code = new_code()
    assert reporter.post("/api/v1/catalogue", json=draft(code), csrf=r_csrf).status == 201
    # Not yet approved: there is nothing to check a sample against.
    r = post_raw(reporter, f"/api/v1/catalogue/{code}/samples", b"ma,ten\n1,An\n", "text/csv", r_csrf)
    assert_problem(r, 409)
    assert head.post(f"/api/v1/catalogue/{code}/approve", json={}, csrf=h_csrf).status == 200
    assert Client(server).get(f"/api/v1/catalogue/{code}").json()["qualities"]["clean"]["state"] == "unknown"

    r = post_raw(reporter, f"/api/v1/catalogue/{code}/samples", b"ma,ten\n1,An\n1,An\n", "text/csv", r_csrf)
    assert r.status == 201, r.describe()
    clean = r.json()["qualities"]["clean"]
    assert clean["state"] == "not-met" and "1 duplicate records in a sample of 2" in clean["reason"], clean
    r = post_raw(reporter, f"/api/v1/catalogue/{code}/samples", "ma,ten\n1,An\n2,Bình\n".encode(), "text/csv", r_csrf)
    assert r.status == 201, r.describe()
    assert r.json()["qualities"]["clean"]["state"] == "met", r.json()["qualities"]["clean"]
    assert_problem(post_raw(reporter, f"/api/v1/catalogue/{code}/samples?distribution=3", b"a\n", "text/csv", r_csrf), 422)
    other, o_csrf = signed_in(server, "reporter.most@demo.mandate.vn")
    assert_problem(post_raw(other, f"/api/v1/catalogue/{code}/samples", b"ma,ten\n", "text/csv", o_csrf), 403)
