"""`mandate tasks import`: tasks and their progress reports from CSV, checked by the
rules of the task pages, all or nothing; accepted reports enter the transparency log. A work
plan imported again revises its tasks by code and keeps their reports; a dry run writes
nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mandate_testkit import MandateServer, run_cli, sqlite_dump

TASKS = """code,title,lead_unit,coordinating_units,start,deadline,status_hint
IMP-1,Số hóa hồ sơ hộ tịch tại Hà Nội,01,48,2026-01-05,2026-06-30,completed
IMP-2,Triển khai cổng dịch vụ công tại Đà Nẵng,48,,2026-02-01,2026-12-31,cancelled
IMP-3,Đào tạo kỹ năng số,01,48;79,2026-03-01,2026-11-30,in_progress
"""

# Out of time order on purpose: each task's reports are taken by their time.
REPORTS = """task_code,unit,percent,submitted_at,narrative
IMP-1,01,100,2026-05-02T10:00:00+07:00,Hoàn thành và bàn giao
IMP-1,48,40,2026-03-01T09:00:00+07:00,Đã số hóa 40% hồ sơ
IMP-2,48,10,2026-03-10T08:00:00+07:00,Khởi động
IMP-3,79,30,2026-04-01T14:30:00+07:00,Đã mở hai lớp
"""


@pytest.fixture
def prepared_db(start_server, tmp_path: Path) -> tuple[str, Path]:
    """A SQLite database the server created (demo programme and units), server stopped."""
    path = tmp_path / "m.sqlite"
    srv: MandateServer = start_server(f"sqlite:{path}")
    assert srv.client().get("/api/v1/tasks/IMP-1").status == 404
    srv.assert_graceful_stop()
    return f"sqlite:{path}", path


def tree_size(srv: MandateServer) -> int:
    return int(srv.client().get("/api/v1/log").json()["treeSize"])


def import_tasks(binary: str, db: str, tmp_path: Path, tasks: str, reports: str | None, *extra: str):
    (tmp_path / "tasks.csv").write_text(tasks, encoding="utf-8")
    args = ["tasks", "import", str(tmp_path / "tasks.csv"), "--database", db, *extra]
    if reports is not None:
        (tmp_path / "reports.csv").write_text(reports, encoding="utf-8")
        args += ["--reports", str(tmp_path / "reports.csv")]
    p = run_cli(binary, args, cwd=tmp_path)
    return p.returncode, p.stdout + p.stderr


def test_tasks_and_reports_import_and_show(mandate_binary: str, prepared_db, start_server, tmp_path: Path) -> None:
    db, _ = prepared_db
    srv = start_server(db)
    size_before = tree_size(srv)
    srv.assert_graceful_stop()

    code, out = import_tasks(mandate_binary, db, tmp_path, TASKS, REPORTS)
    assert code == 0, out
    assert re.search(r"3 tasks created, 0 updated, 0 unchanged, 1 cancelled; 4 reports \(4 accepted\)", out), out

    srv = start_server(db)
    c = srv.client()
    one = c.get("/api/v1/tasks/IMP-1").json()
    assert one["task"]["status"] == "accepted_on_time", one["task"]
    assert one["task"]["coordinatingUnits"] == ["48"]
    assert one["task"]["programme"] == "NQ57"
    assert one["task"]["deliverable"] == one["task"]["title"]
    reports = sorted(one["reports"], key=lambda r: r["submittedAt"])
    assert [(r["unit"], r["percent"], r["state"]) for r in reports] == [("48", 40, "accepted"), ("01", 100, "accepted")]
    # Times are stored in UTC, as the pages write them.
    assert reports[0]["submittedAt"] == "2026-03-01T02:00:00.000Z"
    two = c.get("/api/v1/tasks/IMP-2").json()["task"]
    assert two["status"] == "cancelled", two
    three = c.get("/api/v1/tasks/IMP-3").json()
    assert three["task"]["status"] in ("in_progress", "overdue"), three["task"]
    assert [(r["unit"], r["percent"]) for r in three["reports"]] == [("79", 30)]
    # Each accepted report is a published fact.
    assert tree_size(srv) == size_before + 4
    srv.assert_graceful_stop()

    # The same files again: the reports name tasks this import does not create; nothing changes.
    before = sqlite_dump(Path(db.removeprefix("sqlite:")))
    code, out = import_tasks(mandate_binary, db, tmp_path, TASKS, REPORTS)
    assert code == 65, out
    assert re.search(r"line 2, column task_code: task IMP-1 was not imported with this file", out), out
    # The work plan alone again: every task stays as it is.
    code, out = import_tasks(mandate_binary, db, tmp_path, TASKS, None)
    assert code == 0, out
    assert re.search(r"0 tasks created, 0 updated, 3 unchanged", out), out
    assert sqlite_dump(Path(db.removeprefix("sqlite:"))) == before

    # A changed plan: a dry run says what would change and writes nothing; the import revises
    # IMP-3 by its code and keeps its report.
    changed = TASKS.replace("Đào tạo kỹ năng số,01,48;79,2026-03-01,2026-11-30", "Đào tạo kỹ năng số cho cán bộ,01,48;79,2026-03-01,2027-03-31")
    code, out = import_tasks(mandate_binary, db, tmp_path, changed, None, "--dry-run")
    assert code == 0, out
    assert "line 4: update IMP-3 (title, deliverable, deadline)" in out, out
    assert re.search(r"Dry run, nothing written", out), out
    assert sqlite_dump(Path(db.removeprefix("sqlite:"))) == before
    code, out = import_tasks(mandate_binary, db, tmp_path, changed, None)
    assert code == 0, out
    assert re.search(r"0 tasks created, 1 updated, 2 unchanged", out), out
    srv = start_server(db)
    three = srv.client().get("/api/v1/tasks/IMP-3").json()
    assert three["task"]["title"] == "Đào tạo kỹ năng số cho cán bộ" and three["task"]["deadline"] == "2027-03-31"
    assert [(r["unit"], r["percent"]) for r in three["reports"]] == [("79", 30)]
    srv.assert_graceful_stop()


def test_a_bad_row_in_either_file_changes_nothing(
    mandate_binary: str, prepared_db, tmp_path: Path
) -> None:
    db, path = prepared_db
    before = sqlite_dump(path)
    bad_tasks = TASKS + "IMP-4,Nhiệm vụ lỗi,ZZ99,,2026-01-01,2025-12-31,\n"
    code, out = import_tasks(mandate_binary, db, tmp_path, bad_tasks, REPORTS)
    assert code == 65, out
    assert re.search(r"tasks\.csv has 2 problem", out), out
    assert re.search(r"line 5, column lead_unit: unknown unit \"ZZ99\"", out), out
    assert re.search(r"line 5, column deadline: the deadline 2025-12-31 is before the start", out), out
    assert sqlite_dump(path) == before

    bad_reports = REPORTS + "\n".join([
        "IMP-1,01,90,2026-06-01T09:00:00+07:00,Sau khi đã hoàn thành",  # line 6: after the final report
        "IMP-3,02,20,2026-04-02T09:00:00+07:00,Đơn vị khác",  # line 7: neither leads nor coordinates
        "IMP-3,01,20,2026-02-01T09:00:00+07:00,Trước ngày bắt đầu",  # line 8: before the start
        "IMP-9,01,20,2026-04-02T09:00:00+07:00,Không có nhiệm vụ",  # line 9: no such task
        "IMP-3,01,120,2026-04-03 09:00,",  # line 10: percent, time, narrative
    ]) + "\n"
    code, out = import_tasks(mandate_binary, db, tmp_path, TASKS, bad_reports)
    assert code == 65, out
    assert re.search(r"reports\.csv has \d+ problem", out), out
    for line, pattern in [
        (6, r"column task_code: task IMP-1 is already accepted"),
        (7, r"column unit: 02 neither leads nor coordinates task IMP-3"),
        (8, r"column submitted_at: the report is dated before the task's start 2026-03-01"),
        (9, r"column task_code: no task has code \"IMP-9\""),
        (10, r"column percent: a percent is between 0 and 100|column submitted_at: expected a time"),
    ]:
        assert re.search(rf"line {line}, {pattern}", out), (line, out)
    assert sqlite_dump(path) == before
