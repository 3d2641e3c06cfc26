"""The values-import scenario's pure parts: command lines, the importer's summary, rates,
the order of repeats and copying a SQLite database with its WAL sidecars."""

import sqlite3
import sys
import tempfile
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.procs import HarnessError  # noqa: E402
from harness.registry import REGISTRY  # noqa: E402
from harness.scenarios import values_import as vi  # noqa: E402


class CommandLines(unittest.TestCase):
    def test_subject_is_a_draft_import_unless_asked(self):
        db, csv = Path("/tmp/x/mandate.sqlite"), Path("/tmp/d/values.csv")
        self.assertEqual(vi.subject_argv(["/bin/mandate"], csv, db),
                         ["/bin/mandate", "import", "/tmp/d/values.csv", "--draft", "--database",
                          "sqlite:/tmp/x/mandate.sqlite"])
        self.assertNotIn("--draft", vi.subject_argv(["/bin/mandate"], csv, db, draft=False))

    def test_reference_is_the_shells_csv_import(self):
        self.assertEqual(vi.reference_argv("/usr/bin/sqlite3", Path("/tmp/r/plain.sqlite")),
                         ["/usr/bin/sqlite3", "/tmp/r/plain.sqlite", ".import --csv values.csv v"])

    def test_generate_writes_indicators_and_values(self):
        argv = vi.generate_argv(Path("/tmp/d"), 1000)
        self.assertTrue(argv[1].endswith("generate.py"))
        self.assertEqual(argv[2:], ["indicators", "values", "--values", "1000", "--out", "/tmp/d", "--quiet"])

    def test_cached_data_is_per_size(self):
        self.assertNotEqual(vi.cache_dir(Path("/c"), 1000), vi.cache_dir(Path("/c"), 2000))


class Figures(unittest.TestCase):
    def test_summary_of_the_importer(self):
        text = ("Read 10000 rows from /tmp/v.csv; checking and storing…\n"
                "Imported /tmp/v.csv: 9990 created, 10 updated, 0 unchanged in 0.5 s (20692 rows/s).\n")
        self.assertEqual(vi.parse_summary(text), {"created": 9990, "updated": 10, "unchanged": 0, "seconds": 0.5,
                                                  "rows_per_s": 20692})
        self.assertEqual(vi.parse_summary("Segmentation fault"), {})

    def test_rate(self):
        self.assertEqual(vi.rate(1_000_000, 2.0), 500_000)
        self.assertIsNone(vi.rate(10, 0.0))

    def test_repeats_alternate_which_side_goes_first(self):
        self.assertEqual([vi.repeat_order(i)[0] for i in range(4)], ["reference", "subject", "reference", "subject"])
        self.assertEqual(set(vi.repeat_order(1)), {"reference", "subject"})


class Databases(unittest.TestCase):
    def test_copy_brings_the_sidecars_and_drops_stale_ones(self):
        with tempfile.TemporaryDirectory() as d:
            src, dst = Path(d) / "a.sqlite", Path(d) / "b.sqlite"
            src.write_bytes(b"main")
            Path(str(src) + "-wal").write_bytes(b"wal")
            Path(str(dst) + "-shm").write_bytes(b"stale")
            vi.copy_database(src, dst)
            self.assertEqual(dst.read_bytes(), b"main")
            self.assertEqual(Path(str(dst) + "-wal").read_bytes(), b"wal")
            self.assertFalse(Path(str(dst) + "-shm").exists())

    def test_checkpoint_folds_the_wal_and_rows_are_counted(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "t.sqlite"
            db = sqlite3.connect(path)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE data_values (x)")
            db.executemany("INSERT INTO data_values VALUES (?)", [(i,) for i in range(7)])
            db.commit()
            vi.checkpoint(path)
            self.assertEqual(Path(str(path) + "-wal").stat().st_size, 0)
            db.close()
            copy = Path(d) / "copy.sqlite"
            vi.copy_database(path, copy)
            self.assertEqual(vi.count_rows(copy, "data_values"), 7)

    def test_a_failed_command_reports_its_output(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(HarnessError) as cm:
                vi.timed(["sh", "-c", "echo 'line 3: unknown unit' >&2; exit 1"], Path(d) / "log", 10, "mandate import")
            self.assertIn("unknown unit", str(cm.exception))
            seconds, out = vi.timed(["sh", "-c", "echo done"], Path(d) / "log2", 10, "x")
            self.assertGreater(seconds, 0)
            self.assertEqual(out.strip(), "done")


class Registration(unittest.TestCase):
    def test_registered_needs_sqlite3_and_not_in_selftests(self):
        s = REGISTRY["values-import"]
        self.assertFalse(s.selftest)
        self.assertTrue(s.needs_server)
        self.assertEqual(s.tools, ("sqlite3",))


if __name__ == "__main__":
    unittest.main()
