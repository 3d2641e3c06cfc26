"""The log-append scenario's own parts: the raw SQLite limit (the rows the store wrote to its
tlog-tiles tables, in the same batches) and its refusal to run on the stand-in."""

import hashlib
import sqlite3
import sys
import tempfile
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.registry import REGISTRY, Context, Options  # noqa: E402
from harness.scenarios import transparency_log  # noqa: E402
from harness.scenarios.transparency_log import batches, raw_sqlite_limit, read_log  # noqa: E402

# As in a store's sqlite_master (migration 009), with log_checkpoints, which the limit leaves out.
SCHEMA = [
    'CREATE TABLE "log_checkpoints" ("size" INTEGER PRIMARY KEY, "root" TEXT NOT NULL, "note" TEXT NOT NULL, '
    '"signed_at" TEXT NOT NULL)',
    'CREATE TABLE "log_bundles" ("idx" INTEGER PRIMARY KEY, "width" INTEGER NOT NULL, "data" BLOB NOT NULL)',
    'CREATE TABLE "log_tiles" ("level" INTEGER NOT NULL, "idx" INTEGER NOT NULL, "width" INTEGER NOT NULL, '
    '"hashes" BLOB NOT NULL, PRIMARY KEY ("level", "idx"))',
    'CREATE TABLE "log_keys" ("key_hash" INTEGER PRIMARY KEY, "idx" INTEGER NOT NULL)',
    'CREATE TABLE "log_key_overflow" ("fact_key" TEXT PRIMARY KEY, "idx" INTEGER NOT NULL)',
    'CREATE TABLE "log_appends" ("first" INTEGER PRIMARY KEY, "published_at" TEXT NOT NULL)',
]
TABLES = {"log_bundles": "idx", "log_tiles": "level, idx", "log_keys": "key_hash",
          "log_key_overflow": "fact_key", "log_appends": "first"}
APPENDS = (100, 300, 300)  # 700 leaves: level-0 tiles 0 and 1 full, 2 partial; a level-1 tile of 2


def leaf_bytes(n: int) -> bytes:
    return f'{{"key":"k/{n}","value":"{"x" * (n % 50)}"}}'.encode()


def root(hashes: list[bytes]) -> bytes:
    """The RFC 6962 root of a power-of-two run of hashes."""
    while len(hashes) > 1:
        hashes = [hashlib.sha256(b"\x01" + hashes[i] + hashes[i + 1]).digest() for i in range(0, len(hashes), 2)]
    return hashes[0]


def rows_at(size: int) -> dict[str, list[tuple]]:
    """The log tables' rows of a log of `size` leaves appended APPENDS at a time (tlog-tiles layout)."""
    bundles, tiles = [], []
    for idx in range(0, (size + 255) // 256):
        entries = [leaf_bytes(n) for n in range(256 * idx, min(size, 256 * idx + 256))]
        bundles.append((idx, len(entries), b"".join(len(e).to_bytes(2, "big") + e for e in entries)))
    level_hashes = [hashlib.sha256(b"\x00" + leaf_bytes(n)).digest() for n in range(size)]
    level = 0
    while level_hashes:
        for idx in range(0, (len(level_hashes) + 255) // 256):
            chunk = level_hashes[256 * idx:256 * idx + 256]
            tiles.append((level, idx, len(chunk), b"".join(chunk)))
        # The next level holds the roots of the full tiles of this one.
        level_hashes = [root(level_hashes[i:i + 256]) for i in range(0, len(level_hashes) - 255, 256)]
        level += 1
    keys = sorted((int.from_bytes(hashlib.sha256(f"k/{n}".encode()).digest()[:8], "big", signed=True), n)
                  for n in range(size))
    firsts = [sum(APPENDS[:i]) for i in range(len(APPENDS))]
    appends = [(first, f"2026-01-01T00:00:0{i}.000Z") for i, first in enumerate(firsts) if first < size]
    return {"log_bundles": bundles, "log_tiles": tiles, "log_keys": keys, "log_key_overflow": [],
            "log_appends": appends}


def write_log(path: Path) -> dict[str, list[tuple]]:
    """A store's file holding the log of sum(APPENDS) leaves; returns its rows."""
    rows = rows_at(sum(APPENDS))
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    for sql in SCHEMA:
        db.execute(sql)
    for table, table_rows in rows.items():
        for row in table_rows:
            db.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})", row)
    db.execute("INSERT INTO log_checkpoints VALUES (700, 'root', 'note', '2026-01-01')")
    db.commit()
    db.close()
    return rows


def table_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall() for t, order in TABLES.items()}
    finally:
        db.close()


class Fixture(unittest.TestCase):
    def test_the_log_has_partial_and_upper_level_tiles(self):
        rows = rows_at(700)
        self.assertEqual([(i, w) for i, w, _ in rows["log_bundles"]], [(0, 256), (1, 256), (2, 188)])
        self.assertEqual([(lv, i, w) for lv, i, w, _ in rows["log_tiles"]],
                         [(0, 0, 256), (0, 1, 256), (0, 2, 188), (1, 0, 2)])


class RawLimit(unittest.TestCase):
    def test_writes_what_the_store_wrote_batch_by_batch(self):
        # Batches of 300 split bundles and tiles: each batch's rows are those of the log at its end
        # that differ from the log at its start.
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "log.sqlite"
            write_log(source)
            written = batches(read_log(source), 300)
        self.assertEqual(len(written), 3)
        for (start, end), (bundle_rows, tile_rows, key_rows, overflow, appends) in zip(
                [(0, 300), (300, 600), (600, 700)], written):
            before, after = rows_at(start), rows_at(end)
            self.assertEqual(bundle_rows, [r for r in after["log_bundles"] if r not in before["log_bundles"]])
            self.assertEqual(tile_rows, [r for r in after["log_tiles"] if r not in before["log_tiles"]])
            self.assertEqual(key_rows, [r for r in after["log_keys"] if start <= r[1] < end])  # by key hash
            self.assertEqual(overflow, [])
            self.assertEqual(appends, [r for r in after["log_appends"] if r not in before["log_appends"]])
        self.assertEqual([(lv, i, w) for lv, i, w, _ in written[0][1]], [(0, 0, 256), (0, 1, 44), (1, 0, 1)])
        self.assertEqual([(i, w) for i, w, _ in written[0][0]], [(0, 256), (1, 44)])

    def test_copy_equals_the_source_row_for_row(self):
        with tempfile.TemporaryDirectory() as tmp:
            source, target = Path(tmp) / "log.sqlite", Path(tmp) / "raw.sqlite"
            rows = write_log(source)
            result = raw_sqlite_limit(source, target, 300)
            self.assertEqual((result["leaves"], result["bundle_rows"], result["tile_rows"], result["key_rows"]),
                             (700, 5, 7, 700))
            self.assertGreater(result["leaves_per_s"], 0)
            self.assertEqual(table_rows(target), table_rows(source))
            self.assertEqual(table_rows(target), {t: sorted(r) for t, r in rows.items()})
            copy = sqlite3.connect(target)
            self.assertEqual(copy.execute("PRAGMA journal_mode").fetchone()[0], "wal")
            names = {n for (n,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            self.assertEqual(names, set(TABLES))  # log_checkpoints is not part of an append
            copy.close()


class StandIn(unittest.TestCase):
    def test_is_skipped_without_the_mandate_binary(self):
        scenario = REGISTRY["log-append"]
        self.assertIs(type(scenario), transparency_log.LogAppend)
        with Context(Options(), {}, ["python3", "standin_server.py"], 2, log=lambda _: None,
                     subject="stand-in") as ctx:
            result = scenario.run(ctx)
        self.assertEqual(result.status, "skipped")


if __name__ == "__main__":
    unittest.main()
