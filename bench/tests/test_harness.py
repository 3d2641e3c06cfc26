"""The runner's plumbing: loopback guard, nginx config, process cleanup, and
(when nginx and wrk are installed) a short end-to-end self-test."""

import json
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from harness.nginx import StaticNginx  # noqa: E402
from harness.procs import HarnessError, ManagedProcess, assert_loopback, wait_http_ok  # noqa: E402
from harness.registry import REGISTRY  # noqa: E402
from harness.scenarios import units_provinces  # noqa: E402,F401
from harness.tools import which  # noqa: E402


class Loopback(unittest.TestCase):
    def test_only_loopback_targets(self):
        for ok in ["http://127.0.0.1:80/", "http://127.9.9.9/x", "http://localhost:1/", "http://[::1]:8/"]:
            assert_loopback(ok)
        for bad in ["http://10.0.0.1/", "http://192.168.1.2:80/", "http://example.org/", "http://8.8.8.8/"]:
            with self.assertRaises(HarnessError):
                assert_loopback(bad)


class NginxConfig(unittest.TestCase):
    def test_config_is_private_and_sized(self):
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "body.json"
            f.write_bytes(b"{}")
            ngx = StaticNginx("/usr/sbin/nginx", Path(d) / "ngx", {"/api/v1/units": (f, "application/json")},
                              workers=3, port=4242)
            conf = ngx.config_text()
        self.assertIn("worker_processes 3;", conf)
        self.assertIn("access_log off;", conf)
        self.assertIn("daemon off;", conf)
        self.assertIn(f"pid {d}/ngx/nginx.pid;", conf)
        self.assertIn("listen 127.0.0.1:4242", conf)
        self.assertIn("default_type application/json;", conf)
        self.assertIn(f"alias {f};", conf)
        self.assertNotIn("/etc/nginx", conf)


class Processes(unittest.TestCase):
    def test_child_that_exits_is_reported_with_its_log(self):
        with tempfile.TemporaryDirectory() as d:
            p = ManagedProcess("dies", ["sh", "-c", "echo boom; exit 3"], Path(d) / "log").start()
            with self.assertRaises(HarnessError) as cm:
                wait_http_ok("http://127.0.0.1:9/healthz", 10, p)
            self.assertIn("boom", str(cm.exception))
            self.assertIn("code 3", str(cm.exception))

    def test_stop_kills_the_whole_group(self):
        with tempfile.TemporaryDirectory() as d:
            p = ManagedProcess("tree", ["sh", "-c", "sleep 60 & sleep 60 & wait"], Path(d) / "log").start()
            time.sleep(0.3)
            pgid = p.pid
            p.stop(grace=5)
            ps = subprocess.run(["ps", "-o", "stat=", "-g", str(pgid)], stdout=subprocess.PIPE).stdout.decode()
            alive = [s for s in ps.split() if not s.startswith("Z")]  # zombies are dead, awaiting init
            self.assertEqual(alive, [], "no live process left in the child's group")


class Build(unittest.TestCase):
    def test_build_release_runs_swift_in_the_repo_and_finds_the_binary(self):
        from unittest import mock
        import os
        from harness import server
        with tempfile.TemporaryDirectory() as d:
            root, fakebin = Path(d) / "repo", Path(d) / "bin"
            root.mkdir()
            fakebin.mkdir()
            swift = fakebin / "swift"
            # A fake `swift` that records its arguments and "builds" the binary.
            swift.write_text('#!/bin/sh\necho "$@" > args.txt\nmkdir -p .build/release\n'
                             'touch .build/release/mandate\n')
            swift.chmod(0o755)
            env = {**os.environ, "PATH": f"{fakebin}:{os.environ['PATH']}"}
            with mock.patch.object(server, "REPO_ROOT", root), mock.patch.dict(os.environ, env):
                binary = server.build_release(log=lambda _: None)
            self.assertEqual(binary, root / ".build" / "release" / "mandate")
            self.assertEqual((root / "args.txt").read_text().split(),
                             ["build", "-c", "release", "--product", "mandate"])


class Registry(unittest.TestCase):
    def test_units_provinces_registered(self):
        s = REGISTRY["units-provinces"]
        self.assertEqual(set(s.tools), {"nginx", "wrk"})
        self.assertTrue(s.needs_server)


@unittest.skipUnless(which("nginx") and which("wrk"), "nginx and wrk are not installed")
class EndToEnd(unittest.TestCase):
    def test_selftest_runs_and_cleans_up(self):
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, str(BENCH / "run.py"), "--selftest", "--duration", "1",
                                "--warmup", "0", "--connections", "8", "--out", out],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
            text = r.stdout.decode(errors="replace")
            self.assertEqual(r.returncode, 0, text)
            rec = json.loads((Path(out) / "latest-selftest.json").read_text(encoding="utf-8"))
            res = rec["results"][0]
            self.assertEqual(res["name"], "units-provinces")
            self.assertIn(res["status"], ("pass", "fail"))
            rows = {row["kind"]: row for row in res["rows"]}
            self.assertGreater(rows["subject"]["throughput"], 0)
            self.assertGreater(rows["limit"]["throughput"], 0)
            self.assertIsNotNone(rows["subject"]["p99_ms"])
            self.assertEqual(res["details"]["nginx_content_type"], "application/json")
            self.assertEqual(rec["machine"]["nproc"], rec["options"]["threads"])
            left = subprocess.run(["pgrep", "-f", "standin_server.py serve"], stdout=subprocess.PIPE)
            self.assertEqual(left.stdout.strip(), b"", "the stand-in server was stopped")


if __name__ == "__main__":
    unittest.main()
