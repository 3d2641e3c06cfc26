#!/usr/bin/env python3
"""Deterministic generator of national-scale benchmark data for Mandate.

Writes CSV files in the formats that Mandate imports (documented in
bench/README.md):

    units.csv       committee, ministries, provinces, communes, partners
    indicators.csv  100+ indicators of the programme
    values.csv      indicator values per unit and DHIS2-style period
    tasks.csv       programme tasks with lead and coordinating units
    reports.csv     progress reports on those tasks
    manifest.json   what was generated: options, row counts, SHA-256 of each file

Everything is derived from one seed (default 57): the same command gives the
same bytes on any machine, and each file has its own random stream, so
`generate.py values` writes the same values.csv as `generate.py all`.

Large files are streamed row by row; nothing the size of values.csv is ever
held in memory. Standard library only.

Examples:
    python3 bench/generate.py                         # small set in bench/data/
    python3 bench/generate.py --scale national        # 10M values, 50k tasks, 500k reports
    python3 bench/generate.py values --values 2000000 --missing-rate 0.1 --out /tmp/d
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import math
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DEFAULT_SEED = 57
REPO_ROOT = Path(__file__).resolve().parent.parent
# The real units (34 provinces, 3,321 communes) shipped with the product. When
# present, the generator reuses their codes and names so that generated values
# and tasks refer to units that exist in a fresh Mandate database.
REAL_UNITS_CSV = REPO_ROOT / "Sources" / "MandateStore" / "Resources" / "vn-units-2025.csv"

UNIT_COLUMNS = ["level", "code", "name", "short_name", "type", "parent_code", "lat", "lon", "area_km2"]
INDICATOR_COLUMNS = ["code", "name_vi", "name_en", "unit_of_measure", "value_type", "direction",
                     "frequency", "applies_to", "rollup"]
VALUE_COLUMNS = ["indicator", "unit", "period", "value", "comment"]
TASK_COLUMNS = ["code", "title", "lead_unit", "coordinating_units", "start", "deadline", "status_hint"]
REPORT_COLUMNS = ["task_code", "unit", "percent", "submitted_at", "narrative"]

UNIT_KINDS = ("committee", "ministry", "province", "commune", "partner")
STATUS_HINTS = ("not_started", "in_progress", "completed", "cancelled")

# Size presets. Explicit --values/--tasks/--reports override them.
SCALES = {
    "small": {"values": 100_000, "tasks": 1_000, "reports": 10_000},
    "national": {"values": 10_000_000, "tasks": 50_000, "reports": 500_000},
}

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

_MASK64 = (1 << 64) - 1


def mix64(x: int) -> int:
    """SplitMix64 finaliser: a fast, well-spread hash of an integer.

    Used for per-series constants (baseline, trend) so that they do not depend
    on the order in which cells are visited.
    """
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def rng_for(seed: int, stream: str) -> random.Random:
    """An independent random stream per file. Seeding with a str is stable
    across Python runs and versions (it hashes with SHA-512)."""
    return random.Random(f"mandate-bench:{seed}:{stream}")


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder).

    The parts always add up to `total` exactly, which is what makes the row
    counts asked for on the command line exact.
    """
    s = sum(weights)
    if total == 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    short = total - sum(parts)
    by_remainder = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in by_remainder[:short]:
        parts[i] += 1
    return parts


class Progress:
    """Prints `label: done / total (pct) rate` to stderr at most every 2 s."""

    def __init__(self, label: str, total: int, quiet: bool = False):
        self.label, self.total, self.quiet = label, total, quiet
        self.start = self.last = time.monotonic()

    def update(self, done: int) -> None:
        now = time.monotonic()
        if self.quiet or now - self.last < 2.0:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        pct = 100.0 * done / self.total if self.total else 100.0
        print(f"  {self.label}: {done:,} / {self.total:,} ({pct:5.1f}%)  {rate:,.0f} rows/s",
              file=sys.stderr, flush=True)


def open_csv(path: Path, columns: list[str]):
    """Open a CSV for writing: UTF-8, no BOM, \\n line ends, minimal quoting."""
    f = open(path, "w", encoding="utf-8", newline="")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(columns)
    return f, w


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------

@dataclass
class Unit:
    level: str
    code: str
    name: str
    short_name: str
    type: str
    parent_code: str
    lat: float | None
    lon: float | None
    area_km2: float | None
    raw: list[str] | None = None  # the row as read from the shipped file, written back verbatim

    def row(self) -> list[str]:
        if self.raw is not None:
            return [*self.raw[:5], self.parent_code, *self.raw[6:]]

        return [self.level, self.code, self.name, self.short_name, self.type, self.parent_code,
                _decimal(self.lat, 4), _decimal(self.lon, 4), _decimal(self.area_km2, 2)]


def _decimal(x: float | None, places: int) -> str:
    """At most `places` decimals, without trailing zeros; empty for None."""
    if x is None:
        return ""
    return f"{x:.{places}f}".rstrip("0").rstrip(".")


# Syllables of Vietnamese place names, used to build synthetic names.
SYLLABLES = [
    "An", "Bình", "Hòa", "Phú", "Đông", "Tây", "Nam", "Bắc", "Tân", "Thạnh", "Phước", "Long",
    "Hưng", "Thịnh", "Quang", "Minh", "Đức", "Trung", "Hải", "Sơn", "Thủy", "Lâm", "Xuân",
    "Cẩm", "Mỹ", "Lộc", "Hiệp", "Thuận", "Vĩnh", "Khánh", "Định", "Ninh", "Gia", "Yên", "Hồng",
    "Lạc", "Thái", "Phong", "Điền", "Quý", "Trà", "Ngọc", "Kim", "Vạn", "Châu", "Thượng",
    "Tiến", "Thắng", "Lợi", "Đồng", "Cát", "Thạch", "Liên", "Nghĩa", "Tường", "Hương", "Đại",
]

COMMITTEE = Unit("committee", "BCD",
                 "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo "
                 "và chuyển đổi số",
                 "Ban Chỉ đạo Trung ương", "Ban Chỉ đạo", "", 21.0285, 105.8542, None)

# The 14 ministries and 3 ministry-level agencies of the government since 2025.
MINISTRIES = [
    ("BQP", "Quốc phòng", "Bộ"), ("BCA", "Công an", "Bộ"), ("BNG", "Ngoại giao", "Bộ"),
    ("BNV", "Nội vụ", "Bộ"), ("BTP", "Tư pháp", "Bộ"), ("BTC", "Tài chính", "Bộ"),
    ("BCT", "Công Thương", "Bộ"), ("BNNMT", "Nông nghiệp và Môi trường", "Bộ"),
    ("BXD", "Xây dựng", "Bộ"), ("BVHTTDL", "Văn hóa, Thể thao và Du lịch", "Bộ"),
    ("BKHCN", "Khoa học và Công nghệ", "Bộ"), ("BGDDT", "Giáo dục và Đào tạo", "Bộ"),
    ("BYT", "Y tế", "Bộ"), ("BDTTG", "Dân tộc và Tôn giáo", "Bộ"),
    ("NHNN", "Ngân hàng Nhà nước Việt Nam", "Cơ quan ngang Bộ"),
    ("TTCP", "Thanh tra Chính phủ", "Cơ quan ngang Bộ"),
    ("VPCP", "Văn phòng Chính phủ", "Cơ quan ngang Bộ"),
]

# Kinds of partner organisations: (type, name prefix).
PARTNER_KINDS = [
    ("Doanh nghiệp", "Công ty Cổ phần Công nghệ"),
    ("Doanh nghiệp", "Tổng công ty Viễn thông"),
    ("Viện nghiên cứu", "Viện Nghiên cứu Công nghệ số"),
    ("Trường đại học", "Trường Đại học Kỹ thuật"),
    ("Hiệp hội", "Hiệp hội Phần mềm và Dịch vụ số"),
    ("Quỹ", "Quỹ Đổi mới sáng tạo"),
]


def _vn_lonlat(rng: random.Random) -> tuple[float, float]:
    """A rough point inside Vietnam's S shape: longitude range depends on latitude."""
    lat = rng.uniform(8.8, 23.0)
    if lat > 20.0:
        lo, hi = 103.0, 107.5
    elif lat > 16.0:
        lo, hi = 105.0, 107.8
    elif lat > 11.0:
        lo, hi = 107.2, 109.2
    else:
        lo, hi = 104.8, 107.2
    return lat, rng.uniform(lo, hi)


def _place_name(rng: random.Random) -> str:
    a, b = rng.sample(SYLLABLES, 2)
    return f"{a} {b}"


def read_real_units(path: Path) -> tuple[list[Unit], list[Unit]]:
    """Provinces and communes from the product's shipped units file."""
    provinces, communes = [], []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            u = Unit(r["level"], r["code"], r["name"], r["short_name"], r["type"], r["parent_code"],
                     float(r["lat"]) if r["lat"] else None, float(r["lon"]) if r["lon"] else None,
                     float(r["area_km2"]) if r["area_km2"] else None,
                     raw=[r[c] for c in UNIT_COLUMNS])
            (provinces if u.level == "province" else communes).append(u)
    return provinces, communes


def synth_units(rng: random.Random, n_provinces: int, n_communes: int) -> tuple[list[Unit], list[Unit]]:
    """Synthetic provinces (2-digit codes) and communes (5-digit codes, ascending by province)."""
    if not 1 <= n_provinces <= 99:
        raise SystemExit("--provinces must be between 1 and 99 (2-digit codes)")
    if not n_provinces <= n_communes <= 99_999:
        raise SystemExit("--communes must be between --provinces and 99,999 (5-digit codes)")
    codes = sorted(rng.sample(range(1, 100), n_provinces))
    provinces = []
    for c in codes:
        is_city = rng.random() < 0.15
        short = _place_name(rng)
        kind = "Thành phố" if is_city else "Tỉnh"
        lat, lon = _vn_lonlat(rng)
        provinces.append(Unit("province", f"{c:02d}", f"{kind} {short}", short, kind, "", lat, lon, 0.0))
    per_province = allocate(n_communes - n_provinces, [rng.uniform(0.4, 1.6) for _ in provinces])
    per_province = [k + 1 for k in per_province]  # every province has at least one commune
    # Ascending codes with random gaps, keeping the mean gap small enough to fit 5 digits.
    max_step = max(1, min(9, 2 * (99_999 // n_communes) - 1))
    code, serial, communes = 0, 0, []
    for prov, k in zip(provinces, per_province):
        for _ in range(k):
            code += rng.randint(1, max_step)
            serial += 1
            r = rng.random()
            kind = "Phường" if r < 0.2 else ("Đặc khu" if r < 0.204 else "Xã")
            short = f"{_place_name(rng)} {serial}"
            area = round(rng.uniform(5.0, 300.0) if kind != "Phường" else rng.uniform(1.0, 30.0), 2)
            communes.append(Unit("commune", f"{code:05d}", f"{kind} {short}", short, kind, prov.code,
                                 prov.lat + rng.uniform(-0.3, 0.3), prov.lon + rng.uniform(-0.3, 0.3),
                                 area))
            prov.area_km2 += area
    return provinces, communes


def build_units(args) -> list[Unit]:
    """All units, parents before children: committee, ministries, partners, provinces, communes."""
    rng = rng_for(args.seed, "units")
    units = [COMMITTEE]
    for code, short, kind in MINISTRIES:
        name = f"{'Bộ ' if kind == 'Bộ' else ''}{short}"
        units.append(Unit("ministry", code, name, short, kind, COMMITTEE.code, 21.0285, 105.8542, None))
    for i in range(args.partners):
        kind, prefix = PARTNER_KINDS[i % len(PARTNER_KINDS)]
        short = _place_name(rng)
        lat, lon = (21.03, 105.80) if rng.random() < 0.6 else (10.78, 106.70)  # Hà Nội or TP.HCM
        units.append(Unit("partner", f"DT{i + 1:02d}", f"{prefix} {short}", short, kind, COMMITTEE.code,
                          lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05), None))
    if REAL_UNITS_CSV.exists() and not args.synthetic_units:
        provinces, communes = read_real_units(REAL_UNITS_CSV)
        args.units_source = str(REAL_UNITS_CSV.relative_to(REPO_ROOT))
    else:
        provinces, communes = synth_units(rng, args.provinces, args.communes)
        args.units_source = "synthetic"
    for p in provinces:
        p.parent_code = args.province_parent
    return units + provinces + communes


def write_units(path: Path, units: list[Unit]) -> int:
    f, w = open_csv(path, UNIT_COLUMNS)
    with f:
        for u in units:
            w.writerow(u.row())
    return len(units)


# --------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------

@dataclass
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit_of_measure: str
    value_type: str  # number | percent | yesno
    direction: str  # higher | lower
    frequency: str  # monthly | quarterly | yearly
    applies_to: tuple[str, ...]
    rollup: str  # sum | mean | none
    scale: float = 1.0  # typical commune-level value of a number indicator
    decimals: int = 0  # decimals of a number indicator

    def row(self) -> list[str]:
        return [self.code, self.name_vi, self.name_en, self.unit_of_measure, self.value_type,
                self.direction, self.frequency, ";".join(self.applies_to), self.rollup]


PC = ("province", "commune")
MPC = ("ministry", "province", "commune")
ALL = UNIT_KINDS

# Hand-written indicators of the programme's pillars:
# (pillar, name_vi, name_en, unit, value_type, direction, frequency, applies_to, rollup, scale, decimals)
BASE_INDICATORS = [
    ("CQS", "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
     "Share of administrative procedures processed fully online", "%", "percent", "higher", "monthly", PC, "mean", 1, 1),
    ("CQS", "Số hồ sơ thủ tục hành chính tiếp nhận trực tuyến", "Administrative dossiers received online",
     "hồ sơ", "number", "higher", "monthly", PC, "sum", 300, 0),
    ("CQS", "Tỷ lệ hồ sơ giải quyết quá hạn", "Share of dossiers resolved late", "%", "percent", "lower",
     "monthly", MPC, "mean", 1, 1),
    ("CQS", "Thời gian giải quyết hồ sơ trung bình", "Mean dossier processing time", "ngày", "number",
     "lower", "monthly", PC, "mean", 5, 1),
    ("CQS", "Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa",
     "Share of procedure results digitised", "%", "percent", "higher", "monthly", MPC, "mean", 1, 1),
    ("CQS", "Có hệ thống quản lý văn bản điều hành kết nối liên thông",
     "Document management system interconnected", "có/không", "yesno", "higher", "quarterly", MPC, "none", 1, 0),
    ("CQS", "Tỷ lệ văn bản điện tử có chữ ký số", "Share of electronic documents digitally signed", "%",
     "percent", "higher", "monthly", ALL, "mean", 1, 1),
    ("CQS", "Mức độ hài lòng của người dân với dịch vụ công trực tuyến",
     "Citizen satisfaction with online public services", "%", "percent", "higher", "quarterly", PC, "mean", 1, 1),
    ("XHS", "Tỷ lệ người trưởng thành có tài khoản định danh điện tử mức 2",
     "Share of adults with a level-2 electronic identity", "%", "percent", "higher", "monthly", PC, "mean", 1, 1),
    ("XHS", "Số người dân được tập huấn kỹ năng số", "Residents trained in digital skills", "người",
     "number", "higher", "monthly", PC, "sum", 120, 0),
    ("XHS", "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang",
     "Share of households with fibre broadband", "%", "percent", "higher", "quarterly", PC, "mean", 1, 1),
    ("XHS", "Tỷ lệ người dân thanh toán không dùng tiền mặt", "Share of residents paying cashless", "%",
     "percent", "higher", "quarterly", PC, "mean", 1, 1),
    ("XHS", "Có tổ công nghệ số cộng đồng hoạt động", "Community digital technology team active",
     "có/không", "yesno", "higher", "quarterly", PC, "none", 1, 0),
    ("KTS", "Tỷ trọng kinh tế số trong GRDP", "Digital economy share of GRDP", "%", "percent", "higher",
     "yearly", ("province",), "mean", 1, 1),
    ("KTS", "Số doanh nghiệp công nghệ số đang hoạt động", "Active digital technology enterprises",
     "doanh nghiệp", "number", "higher", "quarterly", PC, "sum", 8, 0),
    ("KTS", "Doanh thu thương mại điện tử", "E-commerce revenue", "tỷ đồng", "number", "higher",
     "quarterly", PC, "sum", 12, 1),
    ("KTS", "Số hộ sản xuất đưa sản phẩm lên sàn thương mại điện tử",
     "Producer households selling on e-commerce platforms", "hộ", "number", "higher", "monthly", PC, "sum", 25, 0),
    ("HTS", "Tỷ lệ thôn, bản có sóng di động 4G/5G", "Share of villages with 4G/5G coverage", "%",
     "percent", "higher", "quarterly", PC, "mean", 1, 1),
    ("HTS", "Số trạm phát sóng 5G", "5G base stations", "trạm", "number", "higher", "quarterly", PC, "sum", 4, 0),
    ("HTS", "Có trung tâm dữ liệu đạt chuẩn", "Has a certified data centre", "có/không", "yesno", "higher",
     "yearly", ("ministry", "province"), "none", 1, 0),
    ("KHCN", "Chi cho nghiên cứu và phát triển", "Research and development expenditure", "tỷ đồng",
     "number", "higher", "yearly", ("ministry", "province", "partner"), "sum", 50, 1),
    ("KHCN", "Số đơn đăng ký sáng chế", "Patent applications filed", "đơn", "number", "higher", "quarterly",
     ("ministry", "province", "partner"), "sum", 6, 0),
    ("KHCN", "Số bài báo khoa học quốc tế", "International scientific publications", "bài", "number",
     "higher", "yearly", ("ministry", "province", "partner"), "sum", 40, 0),
    ("KHCN", "Tỷ lệ ngân sách chi cho khoa học, công nghệ", "Share of budget spent on science and technology",
     "%", "percent", "higher", "yearly", ("ministry", "province"), "mean", 1, 1),
    ("DMST", "Số doanh nghiệp khởi nghiệp sáng tạo", "Innovative start-ups", "doanh nghiệp", "number",
     "higher", "quarterly", PC, "sum", 2, 0),
    ("DMST", "Số sáng kiến đổi mới sáng tạo được công nhận", "Recognised innovation initiatives",
     "sáng kiến", "number", "higher", "quarterly", MPC, "sum", 2, 0),
    ("NL", "Số cán bộ, công chức được đào tạo về chuyển đổi số",
     "Civil servants trained in digital transformation", "người", "number", "higher", "monthly", MPC, "sum", 10, 0),
    ("NL", "Tỷ lệ cán bộ chuyên trách công nghệ thông tin", "Share of dedicated IT staff", "%", "percent",
     "higher", "yearly", MPC, "mean", 1, 1),
    ("DL", "Số cơ sở dữ liệu kết nối nền tảng chia sẻ dữ liệu quốc gia",
     "Databases connected to the national data-sharing platform", "cơ sở dữ liệu", "number", "higher",
     "quarterly", MPC, "sum", 2, 0),
    ("DL", "Số bộ dữ liệu mở được công bố", "Open data sets published", "bộ dữ liệu", "number", "higher",
     "quarterly", ("ministry", "province"), "sum", 3, 0),
    ("DL", "Có danh mục cơ sở dữ liệu được cập nhật", "Database catalogue kept up to date", "có/không",
     "yesno", "higher", "quarterly", ALL, "none", 1, 0),
    ("TC", "Tỷ lệ giải ngân kinh phí chuyển đổi số", "Disbursement rate of digital transformation funds",
     "%", "percent", "higher", "monthly", MPC, "mean", 1, 1),
    ("TC", "Kinh phí chuyển đổi số đã giải ngân", "Digital transformation funds disbursed", "triệu đồng",
     "number", "higher", "monthly", PC, "sum", 200, 0),
    ("CDS", "Số sự cố an toàn thông tin", "Information security incidents", "sự cố", "number", "lower",
     "monthly", MPC, "sum", 0.6, 0),
    ("CDS", "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn",
     "Share of information systems with an approved security level", "%", "percent", "higher", "quarterly",
     MPC, "mean", 1, 1),
    ("CDS", "Chỉ số chuyển đổi số (DTI)", "Digital transformation index (DTI)", "điểm", "number", "higher",
     "yearly", ("ministry", "province"), "none", 0.6, 3),
]

# Record domains, crossed with the measures below to make the rest of the set.
DOMAINS = [
    ("hồ sơ hộ tịch", "civil status records"), ("hồ sơ đất đai", "land records"),
    ("hồ sơ sức khỏe điện tử", "electronic health records"), ("học bạ", "school records"),
    ("hồ sơ an sinh xã hội", "social protection records"), ("hồ sơ doanh nghiệp", "business records"),
    ("giấy phép xây dựng", "building permits"), ("dữ liệu dân cư", "population data"),
    ("dữ liệu giao thông", "transport data"), ("dữ liệu nông nghiệp", "agricultural data"),
    ("dữ liệu tài nguyên nước", "water resources data"), ("hồ sơ bảo hiểm xã hội", "social insurance records"),
    ("hồ sơ thuế", "tax records"), ("hồ sơ lao động", "labour records"),
    ("dữ liệu di sản văn hóa", "cultural heritage data"), ("dữ liệu khí tượng thủy văn", "hydro-meteorological data"),
    ("hồ sơ người có công", "veterans' records"), ("dữ liệu quy hoạch", "planning data"),
    ("dữ liệu môi trường", "environmental data"), ("hồ sơ tư pháp", "judicial records"),
    ("dữ liệu giáo dục", "education data"), ("dữ liệu y tế cơ sở", "primary health care data"),
    ("dữ liệu du lịch", "tourism data"), ("dữ liệu thủy sản", "fisheries data"),
    ("dữ liệu lâm nghiệp", "forestry data"), ("hồ sơ cư trú", "residence records"),
    ("hồ sơ công chứng", "notarial records"), ("dữ liệu phòng cháy, chữa cháy", "fire safety data"),
]
# (pillar, name_vi, name_en, unit, value_type, direction, frequency, applies_to, rollup, scale, decimals)
MEASURES = [
    ("DL", "Tỷ lệ {vi} được số hóa", "Share of {en} digitised", "%", "percent", "higher", "monthly", PC,
     "mean", 1, 1),
    ("DL", "Số bản ghi {vi} được cập nhật", "{en} records updated", "bản ghi", "number", "higher", "monthly",
     PC, "sum", 150, 0),
    ("DL", "Tỷ lệ {vi} phải hiệu chỉnh do sai lệch", "Share of {en} corrected for errors", "%", "percent",
     "lower", "quarterly", PC, "mean", 1, 1),
]


def build_indicators(n: int) -> list[Indicator]:
    """`n` indicators: the hand-written ones, then measure × domain, then numbered phases."""
    specs = list(BASE_INDICATORS)
    for dom_vi, dom_en in DOMAINS:
        for m in MEASURES:
            en = m[2].format(en=dom_en)
            specs.append((m[0], m[1].format(vi=dom_vi), en[0].upper() + en[1:], *m[3:]))
    base_len = len(specs)
    phase = 2
    while len(specs) < n:  # only for very large --indicators
        for s in specs[:base_len]:
            if len(specs) >= n:
                break
            specs.append((s[0], f"{s[1]} (giai đoạn {phase})", f"{s[2]} (phase {phase})", *s[3:]))
        phase += 1
    per_pillar: dict[str, int] = {}
    out = []
    for s in specs[:n]:
        per_pillar[s[0]] = per_pillar.get(s[0], 0) + 1
        out.append(Indicator(f"{s[0]}{per_pillar[s[0]]:03d}", *s[1:]))
    return out


def write_indicators(path: Path, indicators: list[Indicator]) -> int:
    f, w = open_csv(path, INDICATOR_COLUMNS)
    with f:
        for ind in indicators:
            w.writerow(ind.row())
    return len(indicators)


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

@dataclass
class Period:
    id: str  # DHIS2-style: 2026, 2026Q1, 202603
    frequency: str
    t: float  # years since 1 January of the epoch year, at the period's end
    end: date  # last day of the period


def _month_end(y: int, m: int) -> date:
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def periods_until(first_year: int, today: date, epoch: int) -> list[Period]:
    """Periods that have ended by `today`, oldest first. Periods ending on the
    same day are ordered year, quarter, month, so that the newest cells (which
    a small --values keeps) are the latest month's."""
    out = []
    for y in range(first_year, today.year + 1):
        for m in range(1, 13):
            t, end = (y - epoch) + m / 12.0, _month_end(y, m)
            if m == 12:
                out.append(Period(f"{y}", "yearly", t, end))
            if m % 3 == 0:
                out.append(Period(f"{y}Q{m // 3}", "quarterly", t, end))
            out.append(Period(f"{y}{m:02d}", "monthly", t, end))
    return [p for p in out if p.end <= today]


COMMENTS = [
    "Số liệu ước tính", "Đã hiệu chỉnh theo báo cáo quý", "Báo cáo muộn do sự cố hệ thống",
    "Số liệu sơ bộ, sẽ cập nhật", "Theo báo cáo của Sở Khoa học và Công nghệ",
    "Bao gồm số liệu của đơn vị sáp nhập", "Đã đối chiếu với cơ sở dữ liệu quốc gia",
]


class Series:
    """Per-indicator constants for each unit it is reported by: baseline and trend.

    Derived by hashing (seed, indicator, unit), so a value depends only on its
    cell and the noise stream, never on which other cells were generated.
    """

    def __init__(self, seed: int, ind: Indicator, units: list[Unit], communes_in: dict[str, int]):
        self.ind = ind
        self.codes = [u.code for u in units]
        n = len(units)
        self.base = array("d", [0.0] * n)
        self.trend = array("d", [0.0] * n)
        sign = 1.0 if ind.direction == "higher" else -1.0
        ind_key = mix64(seed ^ mix64(hash_str(ind.code)))
        for j, u in enumerate(units):
            # Two independent 24-bit uniforms from one hash of (seed, indicator, unit).
            h = mix64(ind_key ^ hash_str(u.code))
            a, b = (h >> 40) / 16777216.0, ((h >> 16) & 0xFFFFFF) / 16777216.0
            if ind.value_type == "percent":
                # Percent: level plus a yearly drift in points, in the good direction.
                self.base[j] = 20 + 65 * a if ind.direction == "higher" else 2 + 28 * a
                self.trend[j] = sign * 6.0 * b
            elif ind.value_type == "yesno":
                # Yes/no: when the unit adopts (years after the epoch); then it stays yes.
                self.base[j] = -1.0 + 8.0 * a
            else:
                # Number: log-normal level; provinces sum their communes when the rollup is a sum.
                size = communes_in.get(u.code, 1) if (u.level == "province" and ind.rollup == "sum") else 1
                self.base[j] = ind.scale * size * math.exp(0.6 * (2 * a - 1))
                self.trend[j] = (0.25 * b) if sign > 0 else (-0.2 * b)


@functools.lru_cache(maxsize=None)
def hash_str(s: str) -> int:
    """A stable 64-bit hash of a unit code (Python's hash() is salted per run)."""
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")


def generate_values(path: Path, args, units: list[Unit], indicators: list[Indicator]) -> dict:
    """Stream values.csv: exactly `args.values` rows, newest periods always complete.

    The due cells are (period, indicator, unit) for every unit of a kind the
    indicator applies to (and in --value-kinds), every period of its frequency.
    Counting back from the newest period, the generator takes just enough cells
    that N rows leave a fraction `missing_rate` of them absent, then picks
    exactly N of those cells uniformly (selection sampling, Knuth's Algorithm S)
    in chronological order. So the oldest period may be partly covered, which
    looks like data collection starting mid-period.
    """
    rng = rng_for(args.seed, "values")
    rnd, gauss = rng.random, rng.gauss
    kinds = set(args.value_kinds)
    value_units = [u for u in units if u.level in kinds]
    communes_in: dict[str, int] = {}
    for u in units:
        if u.level == "commune":
            communes_in[u.parent_code] = communes_in.get(u.parent_code, 0) + 1

    series: dict[str, Series] = {}
    by_freq: dict[str, list[Series]] = {"monthly": [], "quarterly": [], "yearly": []}
    for ind in indicators:
        us = [u for u in value_units if u.level in ind.applies_to]
        if us:
            s = Series(args.seed, ind, us, communes_in)
            series[ind.code] = s
            by_freq[ind.frequency].append(s)

    # Periods that have ended by --today. Trends are anchored four years
    # earlier, so the newest data looks the same whatever --max-years is.
    first_year = args.today.year - args.max_years + 1
    periods = periods_until(first_year, args.today, epoch=args.today.year - 4)
    due = [sum(len(s.codes) for s in by_freq[p.frequency]) for p in periods]
    n = args.values
    need = math.ceil(n / (1.0 - args.missing_rate)) if args.missing_rate < 1 else 0
    total_due = sum(due)
    capped = False
    if need > total_due:
        # Not enough cells within --max-years: take them all, minus the missing share.
        need = total_due
        n = min(n, int(total_due * (1.0 - args.missing_rate)))
        capped = True
    # Find the oldest period needed and how many of its cells to skip.
    acc, start = 0, len(periods)
    while acc < need:
        start -= 1
        acc += due[start]
    skip = acc - need

    remaining_cells, remaining_rows = need, n
    written = 0
    prog = Progress("values", n, args.quiet)
    f, w = open_csv(path, VALUE_COLUMNS)
    writerow = w.writerow
    with f:
        for p in periods[start:]:
            pid, t = p.id, p.t
            for s in by_freq[p.frequency]:
                codes = s.codes
                j0 = 0
                if skip:
                    if skip >= len(codes):
                        skip -= len(codes)
                        continue
                    j0, skip = skip, 0
                ind = s.ind
                vt, code, base, trend = ind.value_type, ind.code, s.base, s.trend
                fmt = "{:.%df}" % (1 if vt == "percent" else ind.decimals)
                for j in range(j0, len(codes)):
                    # Algorithm S: keep this cell with probability rows_left / cells_left.
                    keep = rnd() * remaining_cells < remaining_rows
                    remaining_cells -= 1
                    if not keep:
                        continue
                    remaining_rows -= 1
                    if vt == "percent":
                        v = base[j] + trend[j] * t + gauss(0.0, 2.5)
                        val = fmt.format(100.0 if v > 100.0 else (0.0 if v < 0.0 else v))
                    elif vt == "yesno":
                        val = "1" if t >= base[j] else "0"
                    else:
                        v = base[j] * (1.0 + trend[j]) ** t * (1.0 + gauss(0.0, 0.15))
                        val = fmt.format(v if v > 0.0 else 0.0)
                    comment = COMMENTS[int(rnd() * len(COMMENTS))] if rnd() < 0.01 else ""
                    writerow((code, codes[j], pid, val, comment))
                    written += 1
                    if written & 0xFFFF == 0:
                        prog.update(written)
    return {
        "rows": written,
        "requested": args.values,
        "capped": capped,
        "first_period": periods[start].id if written else None,
        "last_period": periods[-1].id,
        "due_cells": need,
        "missing_rate": round(1 - written / need, 4) if need else None,
        "indicators_with_values": len(series),
        "units_with_values": len(value_units),
    }


# --------------------------------------------------------------------------
# Tasks and reports
# --------------------------------------------------------------------------

@dataclass
class Task:
    code: str
    title: str
    lead: Unit
    coordinating: list[str]
    start: date
    deadline: date
    status: str
    weight: float = field(default=0.0)  # relative number of progress reports

    def row(self) -> list[str]:
        return [self.code, self.title, self.lead.code, ";".join(self.coordinating),
                self.start.isoformat(), self.deadline.isoformat(), self.status]


# (verbs, objects) that make sense together.
TASK_PHRASES = [
    (["Xây dựng", "Triển khai", "Nâng cấp", "Vận hành", "Tích hợp"],
     ["hệ thống quản lý văn bản điều hành", "cổng dịch vụ công", "nền tảng chia sẻ dữ liệu",
      "hệ thống thông tin báo cáo", "trung tâm điều hành thông minh (IOC)", "hệ thống camera giám sát",
      "ứng dụng công dân số", "phần mềm một cửa điện tử"]),
    (["Số hóa", "Chuẩn hóa", "Kết nối", "Rà soát", "Làm sạch"],
     ["cơ sở dữ liệu hộ tịch", "dữ liệu đất đai", "hồ sơ sức khỏe điện tử", "cơ sở dữ liệu dân cư",
      "dữ liệu an sinh xã hội", "dữ liệu doanh nghiệp", "hồ sơ thủ tục hành chính"]),
    (["Đào tạo", "Bồi dưỡng", "Tập huấn"],
     ["kỹ năng số cho cán bộ, công chức", "kỹ năng số cho người dân", "đội ngũ chuyên trách chuyển đổi số",
      "tổ công nghệ số cộng đồng"]),
    (["Ban hành", "Xây dựng", "Rà soát", "Đánh giá"],
     ["kế hoạch chuyển đổi số năm {year}", "quy chế khai thác, sử dụng dữ liệu",
      "cơ chế thử nghiệm có kiểm soát (sandbox)", "chương trình hỗ trợ khởi nghiệp sáng tạo",
      "đề án phát triển hạ tầng số"]),
]
LEAD_KIND_WEIGHTS = [("committee", 0.01), ("ministry", 0.12), ("province", 0.25), ("commune", 0.57),
                     ("partner", 0.05)]
DEADLINE_DAYS = [30, 60, 90, 120, 180, 270, 365, 540]


def build_tasks(args, units: list[Unit]) -> list[Task]:
    """All tasks, in memory (50,000 is small); reports are streamed from them."""
    rng = rng_for(args.seed, "tasks")
    by_kind: dict[str, list[Unit]] = {k: [] for k in UNIT_KINDS}
    for u in units:
        by_kind[u.level].append(u)
    communes_of: dict[str, list[Unit]] = {}
    for u in by_kind["commune"]:
        communes_of.setdefault(u.parent_code, []).append(u)
    kinds = [k for k, _ in LEAD_KIND_WEIGHTS if by_kind[k]]
    weights = [wt for k, wt in LEAD_KIND_WEIGHTS if by_kind[k]]
    today = args.today
    first_start = date(args.today.year - 1, 1, 1)
    span = (date(args.today.year, 12, 31) - first_start).days
    tasks = []
    for i in range(args.tasks):
        kind = rng.choices(kinds, weights)[0]
        lead = rng.choice(by_kind[kind])
        verbs, objects = rng.choice(TASK_PHRASES)
        start = first_start + timedelta(days=rng.randrange(span + 1))
        obj = rng.choice(objects).format(year=start.year)
        if kind == "commune":
            scope = f"tại {lead.name}"
        elif kind == "province":
            scope = f"trên địa bàn {lead.name}"
        elif kind == "ministry":
            scope = f"thuộc lĩnh vực {lead.short_name}"
        elif kind == "partner":
            scope = f"do {lead.name} chủ trì"
        else:
            scope = "trên phạm vi toàn quốc"
        title = f"{rng.choice(verbs)} {obj} {scope}"
        # Coordinating units: the parent province, a ministry, a partner or a neighbour commune.
        pool: list[Unit] = []
        if kind == "commune":
            pool += [u for u in by_kind["province"] if u.code == lead.parent_code]
            pool += rng.sample(communes_of.get(lead.parent_code, []), min(2, len(communes_of.get(lead.parent_code, []))))
        pool += rng.sample(by_kind["ministry"], min(2, len(by_kind["ministry"])))
        if by_kind["partner"]:
            pool.append(rng.choice(by_kind["partner"]))
        coord_codes = []
        for u in rng.sample(pool, min(rng.choice([0, 1, 1, 2, 2, 3]), len(pool))):
            if u.code != lead.code and u.code not in coord_codes:
                coord_codes.append(u.code)
        deadline = start + timedelta(days=rng.choice(DEADLINE_DAYS) + rng.randrange(-10, 11))
        # The status as a unit would have reported it; "overdue" is computed by Mandate, never stored.
        r = rng.random()
        if start > today:
            status = "not_started"
        elif deadline < today:
            status = "completed" if r < 0.75 else ("in_progress" if r < 0.95 else "cancelled")
        else:
            status = "in_progress" if r < 0.80 else ("completed" if r < 0.92 else "not_started")
        t = Task(f"NV{i + 1:06d}", title, lead, coord_codes, start, deadline, status)
        if status != "not_started":
            end = min(today, deadline)
            months = max(1.0, (end - start).days / 30.0)
            t.weight = min(months, 18.0) * rng.uniform(0.5, 1.5)
        tasks.append(t)
    return tasks


def write_tasks(path: Path, tasks: list[Task]) -> int:
    f, w = open_csv(path, TASK_COLUMNS)
    with f:
        for t in tasks:
            w.writerow(t.row())
    return len(tasks)


def generate_reports(path: Path, args, tasks: list[Task]) -> dict:
    """Stream reports.csv: exactly `args.reports` rows spread over the started tasks.

    Each task gets a share proportional to its weight (months running × noise);
    within a task, percent never goes down and reaches 100 if it is completed;
    reports are dated between the start and the earlier of today and the
    deadline + 30 days, in office hours, Vietnam time (+07:00).
    """
    rng = rng_for(args.seed, "reports")
    counts = allocate(args.reports, [t.weight for t in tasks])
    if args.reports and not any(counts):
        raise SystemExit("no task has started yet, so no report can be generated: raise --tasks or --today")
    prog = Progress("reports", args.reports, args.quiet)
    written = 0
    f, w = open_csv(path, REPORT_COLUMNS)
    with f:
        for t, k in zip(tasks, counts):
            if not k:
                continue
            end = min(args.today, t.deadline + timedelta(days=30))
            window = max(1, (end - t.start).days)
            days = sorted(rng.randrange(window) for _ in range(k))
            last = 100 if t.status == "completed" else rng.randint(5, 95)
            # Only the last report of a completed task is final (the lead unit's, at 100 %):
            # Mandate takes no report on a task after its final one is accepted.
            pcts = sorted(rng.randint(0, min(last, 99)) for _ in range(k - 1)) + [last]
            previous = (-1, 0)
            for i, (d, pct) in enumerate(zip(days, pcts)):
                unit = t.lead.code
                if t.coordinating and rng.random() < 0.15:
                    unit = rng.choice(t.coordinating)
                if i == k - 1 and t.status == "completed":
                    unit = t.lead.code
                minute = 7 * 60 + 30 + rng.randrange(10 * 60)  # 07:30–17:30
                if d == previous[0]:
                    # Times follow the percent: a task's reports of one day keep their order.
                    minute = max(minute, previous[1] + 1)
                previous = (d, minute)
                when = (t.start + timedelta(days=d)).isoformat()
                w.writerow((t.code, unit, pct, f"{when}T{minute // 60:02d}:{minute % 60:02d}:00+07:00",
                            f"Tiến độ đạt {pct}% (số liệu minh họa)"))
                written += 1
                if written & 0xFFFF == 0:
                    prog.update(written)
    return {"rows": written, "tasks_with_reports": sum(1 for c in counts if c)}


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

FILES = {"units": "units.csv", "indicators": "indicators.csv", "values": "values.csv",
         "tasks": "tasks.csv", "reports": "reports.csv"}


def parse_args(argv: list[str] | None = None):
    ap = argparse.ArgumentParser(
        description="Generate deterministic national-scale benchmark data for Mandate (CSV).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("what", nargs="*", metavar="WHAT",
                    help="files to write: all (default), " + ", ".join(FILES)
                         + " (dependencies are computed in memory, not written)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data",
                    help="output directory")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--scale", choices=SCALES, default="small",
                    help="size preset: small = 100k values, 1k tasks, 10k reports; "
                         "national = 10M values, 50k tasks, 500k reports")
    ap.add_argument("--values", type=int, help="rows of values.csv (overrides --scale)")
    ap.add_argument("--tasks", type=int, help="rows of tasks.csv (overrides --scale)")
    ap.add_argument("--reports", type=int, help="rows of reports.csv (overrides --scale)")
    ap.add_argument("--missing-rate", type=float, default=0.05,
                    help="fraction of due values that are absent (not reported)")
    ap.add_argument("--indicators", type=int, default=120, help="number of indicators (at least 1)")
    ap.add_argument("--value-kinds", default="province,commune",
                    help="unit kinds that report values, comma-separated")
    ap.add_argument("--max-years", type=int, default=10,
                    help="oldest year of values is at most this many years back")
    ap.add_argument("--today", type=date.fromisoformat, default=date(2026, 6, 30),
                    help="reference date: values cover periods ended by then; task statuses and "
                         "report dates are relative to it")
    ap.add_argument("--partners", type=int, default=30)
    ap.add_argument("--synthetic-units", action="store_true",
                    help="generate provinces and communes even if the real units file is present")
    ap.add_argument("--provinces", type=int, default=34, help="synthetic provinces")
    ap.add_argument("--communes", type=int, default=3321, help="synthetic communes")
    ap.add_argument("--province-parent", default="",
                    help="parent_code written for provinces (the shipped file leaves it empty)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args(argv)
    for k in ("values", "tasks", "reports"):
        if getattr(args, k) is None:
            setattr(args, k, SCALES[args.scale][k])
        if getattr(args, k) < 0:
            ap.error(f"--{k} must not be negative")
    if not 0.0 <= args.missing_rate < 1.0:
        ap.error("--missing-rate must be in [0, 1)")
    if args.indicators < 1 or args.max_years < 1:
        ap.error("--indicators and --max-years must be at least 1")
    args.value_kinds = [k.strip() for k in args.value_kinds.split(",") if k.strip()]
    bad = set(args.value_kinds) - set(UNIT_KINDS)
    if bad:
        ap.error(f"unknown unit kinds in --value-kinds: {', '.join(sorted(bad))}")
    unknown = set(args.what) - {"all", *FILES}
    if unknown:
        ap.error(f"unknown file kinds: {', '.join(sorted(unknown))} (choose from all, {', '.join(FILES)})")
    args.what = set(FILES) if not args.what or "all" in args.what else set(args.what)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    summary: dict[str, dict] = {}

    def done(name: str, info: dict, started: float) -> None:
        path = args.out / FILES[name]
        info.update(file=FILES[name], bytes=path.stat().st_size, sha256=sha256_of(path),
                    seconds=round(time.monotonic() - started, 2))
        summary[name] = info
        print(f"{FILES[name]:<15} {info['rows']:>12,} rows {info['bytes'] / 1e6:>10.1f} MB "
              f"{info['seconds']:>8.1f} s", flush=True)

    units = build_units(args)
    indicators = build_indicators(args.indicators)
    if "units" in args.what:
        s = time.monotonic()
        done("units", {"rows": write_units(args.out / FILES["units"], units),
                       "by_level": {k: sum(1 for u in units if u.level == k) for k in UNIT_KINDS},
                       "source": args.units_source}, s)
    if "indicators" in args.what:
        s = time.monotonic()
        done("indicators", {"rows": write_indicators(args.out / FILES["indicators"], indicators)}, s)
    if "values" in args.what:
        s = time.monotonic()
        info = generate_values(args.out / FILES["values"], args, units, indicators)
        if info["capped"]:
            print(f"warning: only {info['rows']:,} values fit in {args.max_years} years at missing rate "
                  f"{args.missing_rate}; raise --max-years or --indicators for more", file=sys.stderr)
        done("values", info, s)
    if args.what & {"tasks", "reports"}:
        tasks = build_tasks(args, units)
        if "tasks" in args.what:
            s = time.monotonic()
            done("tasks", {"rows": write_tasks(args.out / FILES["tasks"], tasks),
                           "by_status": {k: sum(1 for t in tasks if t.status == k) for k in STATUS_HINTS}}, s)
        if "reports" in args.what:
            s = time.monotonic()
            done("reports", generate_reports(args.out / FILES["reports"], args, tasks), s)

    manifest = {
        "generator": "bench/generate.py",
        "seed": args.seed,
        "options": {k: (v.isoformat() if isinstance(v, date) else sorted(v) if isinstance(v, set)
                        else str(v) if isinstance(v, Path) else v)
                    for k, v in vars(args).items() if k not in ("quiet",)},
        "files": summary,
        "seconds": round(time.monotonic() - t0, 2),
    }
    # A partial run (e.g. `generate.py values`) updates only its own entries.
    mpath = args.out / "manifest.json"
    if mpath.exists() and set(FILES) - args.what:
        try:
            old = json.loads(mpath.read_text(encoding="utf-8"))
            if old.get("seed") == args.seed:
                manifest["files"] = {**old.get("files", {}), **summary}
        except (OSError, ValueError):
            pass
    mpath.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"seed {args.seed}, units from {args.units_source}, total {manifest['seconds']:.1f} s "
          f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
