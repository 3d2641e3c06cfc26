"""The log-append scenario's own parts: the stored-hash layout it batches by, the raw
SQLite limit (same rows, same batches), and its refusal to run on the stand-in."""

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
from harness.scenarios.transparency_log import raw_sqlite_limit, stored_index  # noqa: E402

SCHEMA = [
    'CREATE TABLE "log_entries" ("idx" INTEGER PRIMARY KEY, "fact_key" TEXT NOT NULL UNIQUE, '
    '"kind" TEXT NOT NULL, "data" TEXT NOT NULL, "leaf_hash" TEXT NOT NULL, "published_at" TEXT NOT NULL)',
    'CREATE TABLE "log_hashes" ("idx" INTEGER PRIMARY KEY, "hash" TEXT NOT NULL)',
]


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def write_log(path: Path, leaves: int) -> list[tuple[int, str]]:
    """A log of `leaves` leaves in the store's layout; returns its hash rows."""
    db = sqlite3.connect(path)
    for sql in SCHEMA:
        db.execute(sql)
    hashes: list[tuple[int, str]] = []
    stack: list[bytes] = []  # the right border: complete subtrees, largest first
    for n in range(leaves):
        data = f'{{"key":"k/{n}"}}'
        leaf = hashlib.sha256(b"\x00" + data.encode()).digest()
        db.execute("INSERT INTO log_entries VALUES (?, ?, 'approved-value', ?, ?, '2026-01-01')",
                   (n, f"k/{n}", data, leaf.hex()))
        hashes.append((len(hashes), leaf.hex()))
        stack.append(leaf)
        for _ in range(((n + 1) & -(n + 1)).bit_length() - 1):  # the subtrees leaf n completes
            right, left = stack.pop(), stack.pop()
            stack.append(node(left, right))
            hashes.append((len(hashes), stack[-1].hex()))
    db.executemany("INSERT INTO log_hashes VALUES (?, ?)", hashes)
    db.commit()
    db.close()
    return hashes


class StoredIndex(unittest.TestCase):
    def test_leaf_hashes_sit_where_the_tlog_layout_puts_them(self):
        # Leaf n is followed by the hashes of the subtrees it completes (Go's sumdb/tlog).
        self.assertEqual([stored_index(n) for n in range(9)], [0, 1, 3, 4, 7, 8, 10, 11, 15])
        with tempfile.TemporaryDirectory() as tmp:
            hashes = write_log(Path(tmp) / "log.sqlite", 9)
        self.assertEqual(len(hashes), 2 * 9 - bin(9).count("1"))


class RawLimit(unittest.TestCase):
    def test_copies_every_row_in_batches(self):
        with tempfile.TemporaryDirectory() as tmp:
            source, target = Path(tmp) / "log.sqlite", Path(tmp) / "raw.sqlite"
            hashes = write_log(source, 37)
            result = raw_sqlite_limit(source, target, 10)
            self.assertEqual((result["leaves"], result["hash_rows"]), (37, len(hashes)))
            self.assertGreater(result["leaves_per_s"], 0)
            copy = sqlite3.connect(target)
            self.assertEqual(copy.execute("SELECT idx, hash FROM log_hashes ORDER BY idx").fetchall(), hashes)
            self.assertEqual(copy.execute("SELECT COUNT(*) FROM log_entries").fetchone()[0], 37)
            self.assertEqual(copy.execute("PRAGMA journal_mode").fetchone()[0], "wal")
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
