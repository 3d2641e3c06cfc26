"""catalogue-scale: the database catalogue at 50,000 databases (issue 23, point 8).

Issue text: 50,000 databases (about 15 per unit) — the full DCAT-AP export streams in <= 2 s with
<= 100 MB of resident memory; catalogue listing and search pages p99 <= 20 ms uncached.

The load: a first `mandate serve` creates the database and its demo (the reference units, the
demo's 18 catalogue entries); it is stopped, and --catalogue-entries generated databases (default
50,000; seeded, deterministic for a given day) are written straight into its SQLite file with
Python's sqlite3, as the store itself writes an approved entry (SQLCatalogueRepository.load):
a `catalogue_entries` row with the entry's JSON (sorted keys) as `published`, version 1, its
`level`, `access`, space-wrapped `themes`, folded `search` text and the owner's parent, and its
`catalogue_versions` row. The owners are every active unit (committee, ministries, 34 provinces,
3,321 communes: 3,373 units, about 15 each); each entry is marked illustrative: false, so the
server is started with `--catalogue-probe-every 0` to keep the link probe off while measuring.
(A catalogue import cannot load it: it takes drafts of the units its caller reports for.)

Measured on `mandate serve` started again on that file:
  - the whole export, GET /open-data/catalogue.jsonld and .ttl, once after the load (which renders
    every database and keeps the renderings; reported as info) then EXPORT_ROUNDS times each with
    `Cache-Control: no-cache`: the wall time from sending the request to its last byte (goal:
    median <= 2 s; the maximum in the note), checked to hold one dcat:Dataset per published entry;
    and the server's resident memory during it: VmRSS of /proc/PID/status sampled every 10 ms,
    and VmHWM after the peak was reset to the current RSS (`echo 5 > /proc/PID/clear_refs`)
    before the request; goal: the peak <= 100 MB (10^6 bytes), absolute; the growth over the RSS
    before the request is in the note;
  - the listing and search pages, uncached (`Cache-Control: no-cache`), one connection, one
    thread, --duration s each after a short warm-up: /catalogue, a search for "co so du lieu",
    a province's databases (its own and its communes'), the quality filter living:not-met,
    GET /api/v1/catalogue?limit=50 and one database's page; goal p99 <= 20 ms per page.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import sqlite3
import statistics
import threading
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from ..procs import HarnessError
from ..registry import Context, Row, Scenario, ScenarioResult, median, register
from ..wrk import WrkResult, runs_problems
from .values_import import checkpoint

ENTRIES = 50_000
SEED = 23
EXPORT_GOAL_MS = 2_000.0
EXPORT_RSS_GOAL_MB = 100.0  # 10^6 bytes
PAGE_P99_GOAL_MS = 20.0
EXPORT_ROUNDS = 3
SAMPLE_EVERY_S = 0.01
PAGE_WARMUP_S = 1.0
PAGE_TIMEOUT_S = 60.0
NO_CACHE = {"Cache-Control": "no-cache"}
PROBE_OFF = ["--catalogue-probe-every", "0"]
SEARCH = "co so du lieu"
PROVINCE = "01"
# One dataset node of each export, counted as the body streams by.
DATASET_MARKERS = {"jsonld": b'"@type":["dcat:Dataset"]', "ttl": b" a dcat:Dataset ;"}

# (Vietnamese topic, English topic, themes, keywords): what a unit keeps databases of.
TOPICS = [
    ("hộ tịch", "civil status records", ["JUST", "SOCI"], ["hộ tịch", "khai sinh", "kết hôn"]),
    ("đất đai", "land", ["AGRI", "ENVI", "REGI"], ["địa chính", "quy hoạch", "giá đất"]),
    ("dân cư", "residents", ["SOCI", "GOVE"], ["cư trú", "nhân khẩu"]),
    ("doanh nghiệp", "enterprises", ["ECON"], ["đăng ký kinh doanh", "hộ kinh doanh"]),
    ("thủ tục hành chính", "administrative procedures", ["GOVE"], ["dịch vụ công", "hồ sơ"]),
    ("giáo dục", "education", ["EDUC"], ["trường học", "học sinh", "giáo viên"]),
    ("y tế", "health", ["HEAL"], ["trạm y tế", "tiêm chủng", "bảo hiểm y tế"]),
    ("bảo trợ xã hội", "social protection", ["SOCI"], ["hộ nghèo", "người có công"]),
    ("lao động việc làm", "labour and employment", ["ECON", "SOCI"], ["việc làm", "đào tạo nghề"]),
    ("nông nghiệp", "agriculture", ["AGRI"], ["cây trồng", "vật nuôi", "thủy sản"]),
    ("tài nguyên nước", "water resources", ["ENVI"], ["nước sạch", "thủy lợi"]),
    ("môi trường", "environment", ["ENVI", "HEAL"], ["chất thải", "quan trắc"]),
    ("giao thông", "transport", ["TRAN"], ["đường bộ", "phương tiện"]),
    ("xây dựng", "construction", ["REGI", "ECON"], ["giấy phép xây dựng", "nhà ở"]),
    ("tài chính ngân sách", "public finance", ["ECON", "GOVE"], ["thu chi", "ngân sách"]),
    ("thuế", "taxation", ["ECON"], ["mã số thuế", "phí lệ phí"]),
    ("văn hóa thể thao", "culture and sport", ["EDUC"], ["di tích", "lễ hội"]),
    ("du lịch", "tourism", ["ECON", "EDUC"], ["lưu trú", "điểm du lịch"]),
    ("khoa học công nghệ", "science and technology", ["TECH"], ["đề tài", "chuyển đổi số"]),
    ("an ninh trật tự", "public order", ["JUST"], ["vi phạm hành chính"]),
    ("cán bộ công chức", "public servants", ["GOVE"], ["biên chế", "nhân sự"]),
    ("thi đua khen thưởng", "awards", ["GOVE"], ["khen thưởng"]),
    ("phòng chống thiên tai", "disaster prevention", ["ENVI", "REGI"], ["bão lũ", "cứu hộ"]),
    ("năng lượng", "energy", ["ENER"], ["điện", "tiết kiệm năng lượng"]),
    ("hợp tác quốc tế", "international cooperation", ["INTR"], ["dự án ODA", "đoàn ra đoàn vào"]),
]
FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "MONTHLY", "QUARTERLY", "ANNUAL", "ANNUAL", "IRREG"]
ACCESS = ["open", "open", "shared", "shared", "restricted"]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("XML", "application/xml"),
           ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
LEGAL = [("Luật Dữ liệu 2024", "https://vbpl.vn/"),
         ("Nghị định 47/2024/NĐ-CP", "https://vbpl.vn/vinhphuc/Pages/vbpq-toanvan.aspx?ItemID=166966"),
         ("Luật Giao dịch điện tử 2023", "")]


# --------------------------------------------------------------------------------------------------
# The columns the store derives from an entry (SQLCatalogueRepository, CatalogueEntry, SearchKey)
# --------------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """SearchKey.fold: NFKD, combining marks dropped, đ/Đ as d, letters and digits lower-cased,
    every run of anything else one space, none at either end ("Hà  Nội!" -> "ha noi")."""
    out: list[str] = []
    pending = False
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.category(ch) == "Mn":
            continue
        if ch in "đĐ":
            ch = "d"
        if ch.isalpha() or unicodedata.numeric(ch, None) is not None:
            if pending and out:
                out.append(" ")
            pending = False
            out.append(ch.lower())
        else:
            pending = True
    return "".join(out)


def search_text(entry: dict) -> str:
    """CatalogueEntry.searchText: the code, both names and the keywords, folded."""
    return fold(" ".join([entry["code"], entry["nameVi"], entry["nameEn"], *entry["keywords"]]))


def themes_column(themes: list[str]) -> str:
    """The `themes` column: each theme between spaces, so LIKE '% ECON %' finds one."""
    return " " + " ".join(themes) + " "


def entry_json(entry: dict) -> str:
    """The entry as the store keeps it: JSONEncoder with .sortedKeys and .withoutEscapingSlashes
    (UTF-8 as it is, no spaces; nil optionals left out)."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------------------------------
# The generated catalogue
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    code: str
    kind: str
    name: str
    name_en: str | None
    short_name: str
    parent: str | None


def read_units(database: Path) -> list[Unit]:
    """The active units of a database, by code."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT code, kind, name, name_en, short_name, parent_code FROM units "
                          "WHERE active ORDER BY code").fetchall()
    finally:
        db.close()
    return [Unit(*r) for r in rows]


def shares(total: int, owners: int) -> list[int]:
    """`total` entries spread over `owners` units as evenly as can be (the first ones get one more)."""
    if owners < 1:
        raise HarnessError("no unit to own the catalogue's databases")
    base, extra = divmod(total, owners)
    return [base + (1 if i < extra else 0) for i in range(owners)]


def code_prefix(unit_code: str) -> str:
    prefix = re.sub(r"[^A-Z0-9]", "", unit_code.upper())
    return prefix or "U"


def slug(unit: Unit) -> str:
    """An ASCII host label for the unit's mailbox and portal ("Ba Đình" -> "badinh")."""
    return fold(unit.short_name or unit.name).replace(" ", "")[:30] or code_prefix(unit.code).lower()


def entry_code(unit: Unit, n: int) -> str:
    """The n-th (1-based) database of a unit: e.g. 00004-DB001, BCA-DB015 (3 to 40 of A-Z, 0-9, -)."""
    return f"{code_prefix(unit.code)}-DB{n:03d}"


def make_entry(rng: random.Random, unit: Unit, n: int, today: date) -> dict:
    """One database of `unit`, as CatalogueEntry encodes it (only the optional keys that are set)."""
    code = entry_code(unit, n)
    topic_vi, topic_en, themes, keywords = TOPICS[rng.randrange(len(TOPICS))]
    name_en_unit = unit.name_en or unit.name
    if rng.random() < 0.7:
        name_vi = f"Cơ sở dữ liệu {topic_vi} {unit.name}"
        name_en = f"{topic_en.capitalize()} database of {name_en_unit}"
    else:
        name_vi = f"Hệ thống thông tin {topic_vi} {unit.name}"
        name_en = f"{topic_en.capitalize()} information system of {name_en_unit}"
    if unit.kind in ("committee", "ministry"):
        level = "national" if rng.random() < 0.3 else "sectoral"
    else:
        level = "local"
    access = rng.choice(ACCESS)
    frequency = rng.choice(FREQUENCIES)
    # Some are kept up, some are years late: the quality filters find both.
    last = today - timedelta(days=rng.randrange(0, 900))
    host = f"{slug(unit)}.gov.vn"
    fmt, media = rng.choice(FORMATS)
    distributions = [{"accessURL": f"https://dulieu.{host}/csdl/{code.lower()}", "columns": [],
                      "downloadURL": (f"https://dulieu.{host}/tai-ve/{code.lower()}.{fmt.lower()}"
                                      if access == "open" else ""),
                      "format": fmt, "licence": LICENCE if access == "open" else "", "mediaType": media}]
    if rng.random() < 0.25:
        distributions.append({"accessURL": f"https://api.{host}/v1/{code.lower()}", "columns": [],
                              "downloadURL": "", "format": "JSON", "licence": distributions[0]["licence"],
                              "mediaType": "application/json"})
    document, link = rng.choice(LEGAL)
    entry = {
        "access": access,
        "accessBasis": "" if access == "open" else "Luật Dữ liệu 2024; Nghị định 165/2025/NĐ-CP",
        "code": code,
        "contactEmail": f"dulieu@{host}",
        "descriptionEn": f"Records of {topic_en} kept by {name_en_unit}.",
        "descriptionVi": f"Dữ liệu về {topic_vi} do {unit.name} quản lý, cập nhật và chia sẻ.",
        "distributions": distributions,
        "frequency": frequency,
        "illustrative": False,
        "keywords": rng.sample(keywords, rng.randrange(0, len(keywords) + 1)),
        "lastUpdate": last.isoformat(),
        "legalBasis": {"document": document, "link": link},
        "level": level,
        "nameEn": name_en,
        "nameVi": name_vi,
        "owner": unit.code,
        "themes": rng.sample(themes, rng.randrange(1, len(themes) + 1)),
    }
    if rng.random() < 0.85:
        entry["recordCount"] = rng.randrange(100, 5_000_000)
        entry["recordCountDate"] = last.isoformat()
    if rng.random() < 0.5:
        entry["connectedSince"] = (today - timedelta(days=rng.randrange(30, 700))).isoformat()
    return entry


def generate(units: list[Unit], count: int, today: date, seed: int = SEED):
    """(entry, owner's parent) for `count` databases spread over `units`, in unit order; the same
    units, count, day and seed give the same entries."""
    rng = random.Random(seed)
    for unit, k in zip(units, shares(count, len(units))):
        for n in range(1, k + 1):
            yield make_entry(rng, unit, n, today), unit.parent


def row_of(entry: dict, owner_parent: str | None, at: str) -> tuple:
    """The catalogue_entries row of an approved entry (its first version), as the store writes it."""
    return (entry["code"], entry["owner"], owner_parent, entry["level"], entry["access"],
            themes_column(entry["themes"]), search_text(entry), entry_json(entry), 1, at, entry.get("recordCount"))


def load(database: Path, entries, at: str, batch: int = 5_000) -> int:
    """Write approved entries (and their first versions) into a closed database; how many."""
    db = sqlite3.connect(database)
    n = 0
    try:
        existing = {r[0] for r in db.execute("SELECT code FROM catalogue_entries")}
        rows: list[tuple] = []

        def flush() -> None:
            with db:
                db.executemany(
                    "INSERT INTO catalogue_entries (code, owner, owner_parent, level, access, themes, search, "
                    "published, version, published_at, expected_records) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
                db.executemany("INSERT INTO catalogue_versions (code, version, entry, published_at) VALUES (?,?,?,?)",
                               [(r[0], 1, r[7], at) for r in rows])
            rows.clear()

        for entry, parent in entries:
            if entry["code"] in existing:
                raise HarnessError(f"the database already has a catalogue entry {entry['code']}")
            rows.append(row_of(entry, parent, at))
            n += 1
            if len(rows) >= batch:
                flush()
        if rows:
            flush()
    finally:
        db.close()
    return n


def store_time(moment: datetime) -> str:
    """A timestamp as the store writes it: 2026-12-07T18:39:37.574Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------

# (national_portal has the same helpers; importing it here would register it before this scenario.)
def read_memory(pid: int | None) -> dict[str, int]:
    """VmRSS and VmHWM (kB) of /proc/PID/status; {} if it cannot be read."""
    if pid is None:
        return {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


class MarkerCounter:
    """Counts a byte string in a stream fed in pieces (an occurrence may straddle two)."""

    def __init__(self, marker: bytes):
        self.marker, self.count, self._tail = marker, 0, b""

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        self.count += data.count(self.marker)
        # Keep what could be the start of a marker that the next piece completes, and nothing
        # that holds a whole marker (counted already).
        keep = len(self.marker) - 1
        self._tail = data[-keep:] if keep else b""


class RssSampler:
    """VmRSS of a process every `every` s in a thread; the peak seen, and the number of samples."""

    def __init__(self, pid: int, every: float = SAMPLE_EVERY_S):
        self.pid, self.every = pid, every
        self.peak_kib, self.samples = 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _sample(self) -> None:
        rss = read_memory(self.pid).get("VmRSS")
        if rss is not None:
            self.peak_kib = max(self.peak_kib, rss)
            self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self) -> "RssSampler":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sample()


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb(sampled_kib: int, hwm_after_kib: int | None, reset: bool) -> float:
    """The resident peak during a request, in MB (10^6 bytes): the sampled maximum, or VmHWM when it
    was reset just before (it then saw every page the request touched, between samples too)."""
    kib = max(sampled_kib, hwm_after_kib or 0) if reset else sampled_kib
    return kib * 1024 / 1e6


def fetch_export(base_url: str, path: str, marker: bytes, pid: int | None) -> dict:
    """GET the whole export, reading it as it streams: time to the first and last byte, bytes,
    datasets counted, and the server's resident memory around it."""
    parts = urllib.parse.urlsplit(base_url)
    before = read_memory(pid)
    reset = reset_peak(pid) if pid else False
    counter = MarkerCounter(marker)
    size = 0
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    sampler = RssSampler(pid) if pid else None
    try:
        if sampler:
            sampler.__enter__()
        t0 = time.perf_counter()
        conn.request("GET", path, headers={**NO_CACHE, "Accept-Encoding": "identity"})
        resp = conn.getresponse()
        first = time.perf_counter()
        status = resp.status
        head = b""
        while True:
            chunk = resp.read(1 << 18)
            if not chunk:
                break
            if len(head) < 64:
                head += chunk[:64]
            size += len(chunk)
            counter.feed(chunk)
        last = time.perf_counter()
    finally:
        if sampler:
            sampler.__exit__(None, None, None)
        conn.close()
    after = read_memory(pid)
    sampled = sampler.peak_kib if sampler else 0
    return {"path": path, "status": status, "content_type": resp.getheader("Content-Type", ""),
            "first_byte_ms": round((first - t0) * 1000, 1), "last_byte_ms": round((last - t0) * 1000, 1),
            "bytes": size, "datasets": counter.count, "head": head[:64].decode("utf-8", "replace"),
            "rss_before_kib": before.get("VmRSS"), "rss_sampled_peak_kib": sampled,
            "rss_samples": sampler.samples if sampler else 0, "hwm_reset": reset,
            "hwm_after_kib": after.get("VmHWM"), "rss_after_kib": after.get("VmRSS"),
            "peak_mb": round(peak_mb(sampled, after.get("VmHWM"), reset), 1)}


def export_rows(scenario: str, subject: str, fmt: str, rounds: list[dict], expected: int) -> list[Row]:
    """Two rows per format: the time to the last byte (median, goal <= 2 s) and the resident peak
    (the largest of the rounds, goal <= 100 MB)."""
    path = rounds[0]["path"]
    times = [r["last_byte_ms"] for r in rounds]
    med, worst = statistics.median(times), max(times)
    size = statistics.median(r["bytes"] for r in rounds)
    bad = [f"round {i + 1}: HTTP {r['status']}, {r['datasets']:,} datasets" for i, r in enumerate(rounds)
           if r["status"] != 200 or r["datasets"] != expected]
    t = Row(scenario, f"{subject} GET {path} (whole, {expected:,} datasets, no-cache)", "subject", med, "ms",
            goal=EXPORT_GOAL_MS, goal_metric="median", goal_op="<=", goal_unit="ms")
    t.passed = not bad and bool(t.meets(med))
    first = statistics.median(r["first_byte_ms"] for r in rounds)
    t.note = (f"median of {len(rounds)}, max {worst:,.0f} ms; {size / 1e6:,.1f} MB at "
              f"{size / 1e6 / (med / 1000):,.0f} MB/s; first byte {first:,.0f} ms")
    if bad:
        t.note += "; " + "; ".join(bad) + f" (expected {expected:,})"
    peaks = [r["peak_mb"] for r in rounds]
    worst_round = rounds[peaks.index(max(peaks))]
    before_mb = (worst_round["rss_before_kib"] or 0) * 1024 / 1e6
    m = Row(scenario, f"{subject} resident memory during GET {path}, peak", "subject", max(peaks), "MB",
            goal=EXPORT_RSS_GOAL_MB, goal_metric="peak", goal_op="<=", goal_unit="MB")
    m.passed = bool(m.meets(max(peaks)))
    m.note = (f"VmRSS before {before_mb:,.0f} MB, growth {max(peaks) - before_mb:+,.0f} MB; "
              + ("VmHWM reset before each round" if worst_round["hwm_reset"] else
                 f"sampled every {SAMPLE_EVERY_S * 1000:.0f} ms (VmHWM could not be reset)")
              + f"; peaks {', '.join(f'{p:,.0f}' for p in peaks)} MB")
    return [t, m]


def pages(province: str, entry: str) -> dict[str, str]:
    """The listing and search pages measured, by label."""
    return {
        "listing": "/catalogue",
        "search": "/catalogue?q=" + urllib.parse.quote(SEARCH),
        f"unit {province}": f"/catalogue?unit={urllib.parse.quote(province)}",
        "quality living:not-met": "/catalogue?quality=living:not-met",
        "api listing": "/api/v1/catalogue?limit=50",
        f"database {entry}": f"/catalogue/{urllib.parse.quote(entry)}",
    }


def page_row(scenario: str, target: str, runs: list[WrkResult]) -> Row:
    """A page judged on p99 (median over repeats)."""
    p50 = median([r.latency_ms.get("p50") for r in runs])
    p99 = median([r.latency_ms.get("p99") for r in runs])
    row = Row(scenario, target, "subject", median([r.rps for r in runs]), "req/s", p50, p99,
              goal=PAGE_P99_GOAL_MS, goal_metric="p99", goal_op="<=", goal_unit="ms")
    problems = runs_problems(target, runs)
    row.passed = not problems and bool(row.meets(p99))
    row.note = "; ".join(problems)
    return row


@register
class CatalogueScale(Scenario):
    name = "catalogue-scale"
    title = "the DCAT-AP export and the catalogue's pages at 50,000 databases"
    measures = ("on 50,000 approved databases over every active unit: time to the last byte and the server's "
                "resident peak of GET /open-data/catalogue.jsonld and .ttl (3 rounds each), and p50/p99 of the "
                "listing, search, unit, quality filter, API and database pages (Cache-Control: no-cache, one "
                "connection)")
    goal_text = (f"export median <= {EXPORT_GOAL_MS / 1000:g} s and peak resident <= {EXPORT_RSS_GOAL_MB:g} MB; "
                 f"each page p99 <= {PAGE_P99_GOAL_MS:g} ms")
    tools = ("wrk",)
    selftest = False  # the stand-in has no catalogue

    def run(self, ctx: Context) -> ScenarioResult:
        o = ctx.options
        count = o.catalogue_entries
        details: dict = {"entries": count, "seed": SEED}
        rows: list[Row] = []

        # -- the load ------------------------------------------------------------------------------
        first = ctx.start_server("server", extra_args=PROBE_OFF)
        first_s = first.startup_s or 0.0
        database = first.database
        first.stop()
        checkpoint(database)
        units = read_units(database)
        today = date.today()
        t0 = time.monotonic()
        loaded = load(database, generate(units, count, today), store_time(datetime.now(timezone.utc)))
        checkpoint(database)
        load_s = time.monotonic() - t0
        size = database.stat().st_size
        ctx.log(f"  loaded {loaded:,} databases over {len(units):,} units in {load_s:.1f} s "
                f"({size / 2 ** 20:,.0f} MiB database)")
        details.update(units=len(units), loaded=loaded, load_s=round(load_s, 1), database_bytes=size,
                       first_start_s=round(first_s, 1), today=today.isoformat())
        rows.append(Row(self.name, "prepare: first serve (adds the demo) (info)", "info", first_s, "s"))
        rows.append(Row(self.name, f"prepare: {loaded:,} databases written with sqlite3 (info)", "info",
                        load_s * 1000, "ms",
                        note=f"{len(units):,} active units, {loaded / max(1, len(units)):.1f} each; "
                             f"database {size / 2 ** 20:,.0f} MiB"))

        server = ctx.start_server("server", extra_args=PROBE_OFF)
        base, pid = server.base_url, server.proc.pid if server.proc else None
        after_start = read_memory(pid)
        details["memory_after_start_kib"] = after_start
        status, listing = _get_json(base, "/api/v1/catalogue?limit=1")
        if status != 200:
            raise HarnessError(f"GET /api/v1/catalogue?limit=1 answered HTTP {status}")
        published = listing.get("total", 0)
        details["published"] = published
        ctx.log(f"  the catalogue lists {published:,} databases; VmRSS after start "
                f"{after_start.get('VmRSS', 0) / 1024:,.0f} MiB")
        if published < loaded:
            raise HarnessError(f"the server lists {published:,} databases, fewer than the {loaded:,} written")

        # -- the export ----------------------------------------------------------------------------
        problems: list[str] = []
        exports: dict[str, list[dict]] = {}
        for fmt, marker in DATASET_MARKERS.items():
            path = f"/open-data/catalogue.{fmt}"
            # The first export after a bulk load renders every database and keeps the renderings
            # (catalogue_renderings); it is reported on its own, the measured rounds come after.
            fill = fetch_export(base, path, marker, pid)
            ctx.log(f"  GET {path} first after the load: HTTP {fill['status']}, {fill['datasets']:,} datasets, "
                    f"last byte {fill['last_byte_ms']:,.0f} ms, peak {fill['peak_mb']:,.0f} MB")
            if fill["status"] != 200 or fill["datasets"] != published:
                problems.append(f"{path} first after the load: HTTP {fill['status']}, {fill['datasets']:,} datasets")
            rows.append(Row(self.name, f"{ctx.subject} GET {path} first after the bulk load, renders every "
                            "database (info)", "info", fill["last_byte_ms"], "ms",
                            note=f"peak {fill['peak_mb']:,.0f} MB; {fill['bytes'] / 1e6:,.1f} MB"))
            rounds = []
            for i in range(EXPORT_ROUNDS):
                r = fetch_export(base, path, marker, pid)
                rounds.append(r)
                ctx.log(f"  GET {path} #{i + 1}: HTTP {r['status']}, {r['bytes'] / 1e6:,.1f} MB, "
                        f"{r['datasets']:,} datasets, last byte {r['last_byte_ms']:,.0f} ms, "
                        f"peak {r['peak_mb']:,.0f} MB (VmRSS before {(r['rss_before_kib'] or 0) / 1024:,.0f} MiB)")
                if r["status"] != 200 or r["datasets"] != published:
                    problems.append(f"{path} round {i + 1}: HTTP {r['status']}, {r['datasets']:,} datasets "
                                    f"(expected {published:,})")
            exports[fmt] = rounds
            rows += export_rows(self.name, ctx.subject, fmt, rounds, published)
            exports[fmt + " first after the load"] = [fill]
        details["exports"] = exports

        # -- the pages -----------------------------------------------------------------------------
        entry = _first_code(database, PROVINCE)
        measured = pages(PROVINCE, entry)
        checks: dict[str, dict] = {}
        runs: dict[str, list[WrkResult]] = {}
        c = o.latency_connections
        for label, path in measured.items():
            headers = {**NO_CACHE, **({"Accept": "application/json"} if path.startswith("/api/") else {})}
            t = time.perf_counter()
            status, head, body = _get(base, path, headers)
            first_ms = (time.perf_counter() - t) * 1000
            checks[label] = {"path": path, "status": status, "bytes": len(body), "first_ms": round(first_ms, 1),
                             "cache_control": head.get("cache-control", "")}
            ctx.log(f"  GET {path}: HTTP {status}, {len(body):,} bytes, first answer {first_ms:,.0f} ms")
            target = f"{ctx.subject} GET {path} (c{c}, no-cache)"
            if status != 200:
                problems.append(f"{path}: HTTP {status}")
                rows.append(Row(self.name, target, "subject", goal=PAGE_P99_GOAL_MS, goal_metric="p99", goal_op="<=",
                                goal_unit="ms", passed=False, note=f"not measured: HTTP {status}"))
                continue
            # A slow answer is measured, not dropped as a time-out (the quality filter assesses every entry).
            if o.warmup > 0:
                ctx.wrk(base + path, duration=min(o.warmup, PAGE_WARMUP_S), connections=c, threads=1,
                        headers=headers, timeout_s=PAGE_TIMEOUT_S)
            rs = [ctx.wrk(base + path, connections=c, threads=1, headers=headers, timeout_s=PAGE_TIMEOUT_S)
                  for _ in range(o.repeats)]
            runs[label] = rs
            ctx.log(f"    {rs[-1].rps or 0:,.1f} req/s, p50 {rs[-1].latency_ms.get('p50')} ms, "
                    f"p99 {rs[-1].latency_ms.get('p99')} ms, errors {rs[-1].errors}")
            row = page_row(self.name, target, rs)
            row.note = "; ".join(x for x in (row.note, f"first answer after start {first_ms:,.0f} ms") if x)
            problems += runs_problems(label, rs)
            rows.append(row)
        details["pages"] = checks
        details["runs"] = {label: [r.to_json(with_raw=False) for r in rs] for label, rs in runs.items()}

        after = read_memory(pid)
        details["memory_after_kib"] = after
        rows.append(Row(self.name, f"{ctx.subject} resident memory at the end (info)", "info",
                        after.get("VmRSS", 0) * 1024 / 1e6, "MB",
                        note=f"VmHWM {after.get('VmHWM', 0) * 1024 / 1e6:,.0f} MB since the last reset; after "
                             f"start {after_start.get('VmRSS', 0) * 1024 / 1e6:,.0f} MB"))
        details["problems"] = problems
        verdicts = [r.passed for r in rows if r.kind == "subject"]
        status = "invalid" if problems else ("pass" if all(v is True for v in verdicts) else "fail")
        return ScenarioResult(self.name, status, rows, details)


def _get(base: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _get_json(base: str, path: str) -> tuple[int, dict]:
    status, _, body = _get(base, path, {"Accept": "application/json", **NO_CACHE})
    return status, (json.loads(body) if status == 200 else {})


def _first_code(database: Path, owner: str) -> str:
    """The first database `owner` keeps, or the catalogue's first when it keeps none."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        first = "SELECT code FROM catalogue_entries WHERE published IS NOT NULL {} ORDER BY code LIMIT 1"
        row = db.execute(first.format("AND owner = ?"), (owner,)).fetchone() or db.execute(first.format("")).fetchone()
    finally:
        db.close()
    if not row:
        raise HarnessError("the catalogue is empty")
    return row[0]
