"""报送 (issue 19) on a real warehouse built from the demo reports: a unit sends its month, the
民生办 returns or accepts it, and the 报送情况 view says where each unit stands."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from etl.writing import activity
from etl.writing.activity import SubmissionRefused
from etl.writing.warehouse import load_paths
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    progress_row,
    progress_workbook,
    write_workbook,
)

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
OWN = "2025-01_北岭县.xlsx"
OTHER = "2025-01_南溪县.xlsx"
BY_DUE = dt.datetime(2025, 2, 3, 9, 30)  # January is due on 5 February
AFTER_DUE = dt.datetime(2025, 2, 8, 16, 0)


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory) -> Path:
    """南溪县 and 东湖区 January, loaded by the 民生办 itself (built once, copied per test)."""
    db = tmp_path_factory.mktemp("base") / "minsheng.duckdb"
    results = load_paths([DEMO / OTHER, DEMO / "2025-01_东湖区.xlsx"], db, loaded_by="张三")
    assert not any(r.refused for r in results), [r.lines() for r in results]
    return db


@pytest.fixture
def db(base_warehouse, tmp_path) -> Path:
    db = tmp_path / "minsheng.duckdb"
    shutil.copyfile(base_warehouse, db)
    return db


def send(db: Path, name: str = OWN, unit: str = "北岭县", *, at=BY_DUE, kind="县区", **kw):
    content = kw.pop("content", None) or (DEMO / name).read_bytes()
    return activity.submit(
        db, unit_kind=kind, unit=unit, file_name=name, content=content, by="北岭县填报员",
        at=at, **kw,
    )  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_own_file_waits_for_review_and_the_warehouse_is_unchanged(db):
    before = digest(db)
    sent = send(db)
    assert (sent.status, sent.unit, sent.year, sent.month) == ("待审核", "北岭县", 2025, 1)
    assert sent.on_time and sent.submitted_at == BY_DUE and sent.kinds == ("进度", "资金")
    assert digest(db) == before
    assert activity.submission_file(db, sent.id) == (OWN, (DEMO / OWN).read_bytes())
    assert [s.id for s in activity.submissions(db, status="待审核")] == [sent.id]
    [event] = activity.audit_events(db).to_dict("records")
    assert (event["user"], event["action"], event["unit"]) == ("北岭县填报员", "上传报送", "北岭县")


def test_another_countys_file_is_refused_naming_file_sheet_row_and_region(db):
    activity.record(db, user="张三", role="民生办", action="登录")  # the store exists already
    store, warehouse = activity.activity_path(db), digest(db)
    store_before = store.read_bytes()
    with pytest.raises(SubmissionRefused) as refused:
        send(db, OTHER)
    first = refused.value.errors[0]
    file_name, sheet, row, column, message = first.split(":", 4)
    assert (file_name, sheet, column) == (OTHER, "1.项目进度", "地区")
    assert int(row) >= 2 and "南溪县" in message and "北岭县" in message
    assert any(":2.资金进度:" in line for line in refused.value.errors)
    assert store.read_bytes() == store_before and digest(db) == warehouse
    assert activity.submissions(db) == []


def test_return_then_corrected_file_then_accept_loads_it(db):
    first = send(db)
    returned = activity.return_submission(
        db,
        first.id,
        by="民生办王五",
        note="资金表拨付数请核实",
        errors=["x.xlsx:资金:3:拨付资金: 偏大"],
        at=BY_DUE + dt.timedelta(days=1),
    )
    assert (returned.status, returned.note, returned.reviewed_by) == (
        "已退回",
        "资金表拨付数请核实",
        "民生办王五",
    )
    assert returned.errors == ["x.xlsx:资金:3:拨付资金: 偏大"]
    again = send(db, at=AFTER_DUE)
    assert again.status == "待审核" and not again.on_time
    result = activity.accept(db, again.id, by="民生办王五", at=AFTER_DUE + dt.timedelta(days=1))
    assert not result.refused and result.load_id is not None, result.lines()
    loaded = activity.submission(db, again.id)
    assert (loaded.status, loaded.load_id, loaded.reviewed_by) == (
        "已入库",
        result.load_id,
        "民生办王五",
    )
    rows = query(
        db, "SELECT count(*) FROM v_progress WHERE region = '北岭县' AND year = 2025 AND month = 1"
    )
    assert rows[0][0] > 0
    assert query(
        db, "SELECT file_name, loaded_by FROM load_log WHERE load_id = ?", [result.load_id]
    ) == [(OWN, "民生办王五")]
    actions = activity.audit_events(db)["action"].tolist()
    assert actions == ["接收入库", "上传报送", "退回", "上传报送"]


def test_only_a_waiting_file_can_be_returned_or_accepted(db):
    sent = send(db)
    with pytest.raises(SubmissionRefused, match="退回说明"):
        activity.return_submission(db, sent.id, by="王五", note="   ")
    with pytest.raises(SubmissionRefused, match="500"):
        activity.return_submission(db, sent.id, by="王五", note="长" * 501)
    assert activity.submission(db, sent.id).status == "待审核"
    activity.return_submission(db, sent.id, by="王五", note="请补充")
    result = activity.accept(db, sent.id, by="王五")
    assert result.refused and "已退回" in result.errors[0].message
    with pytest.raises(SubmissionRefused, match="待审核"):
        activity.return_submission(db, sent.id, by="王五", note="再退")
    with pytest.raises(SubmissionRefused, match="没有编号为 99"):
        activity.return_submission(db, 99, by="王五", note="x")


def test_a_load_not_approved_keeps_the_file_waiting(db):
    sent = send(db)
    before = digest(db)
    result = activity.accept(db, sent.id, by="王五", approve=lambda plan: "未确认替换")
    assert result.refused and result.unconfirmed
    assert activity.submission(db, sent.id).status == "待审核" and digest(db) == before


def test_a_new_file_replaces_the_waiting_one_without_counting_as_a_return(db):
    old = send(db)
    new = send(db, at=BY_DUE + dt.timedelta(hours=1))
    replaced = activity.submission(db, old.id)
    assert (replaced.status, replaced.note) == ("已撤回", "已被新报送的文件替代")
    [row] = activity.reporting_status(db, 2025, 1, [("县区", "北岭县")]).to_dict("records")
    assert (row["status"], row["submission_id"], row["returns"]) == ("待审核", new.id, 0)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2025-01_市民生办_考评.xlsx", "考评表只由市民生办填写"),
        ("2025_序时计划.xlsx", "序时计划表只由市民生办填写"),
    ],
)
def test_scores_and_schedules_are_the_offices_alone(db, name, expected):
    with pytest.raises(SubmissionRefused) as refused:
        send(db, name)
    assert any(expected in line for line in refused.value.errors)


def test_a_file_of_two_months_is_refused(db, tmp_path):
    rows = [progress_row(year=2025, month=m, region="北岭县") for m in (1, 2)]
    path = progress_workbook(tmp_path / "两个月.xlsx", rows)
    with pytest.raises(SubmissionRefused, match="2025年1月、2025年2月"):
        send(db, path.name, content=path.read_bytes())


def test_too_big_or_wrong_type_is_refused_before_reading(db):
    with pytest.raises(SubmissionRefused, match="超过单个文件上限"):
        send(db, max_bytes=1000)
    with pytest.raises(SubmissionRefused, match=".xlsx 工作簿或 .csv"):
        send(db, "报表.pdf", content=b"%PDF-1.4")
    with pytest.raises(SubmissionRefused, match="报送单位类型"):
        send(db, kind="乡镇")
    assert activity.submissions(db) == []


def department_file(path: Path, departments: list[str], funding_codes: list[str]) -> Path:
    rows = [
        progress_row("13", f"岗位{i}", department=dept, year=2025, month=1, region=region)
        for i, dept in enumerate(departments)
        for region in ("北岭县", "南溪县")
    ]  # fmt: skip
    funding = [[2025, 1, "北岭县", code, "就业创业促进", 100, 50, 20] for code in funding_codes]
    return write_workbook(
        path, {"进度": [PROGRESS_HEADER, *rows], "资金": [FUNDING_HEADER, *funding]}
    )


def test_a_department_sends_its_own_rows_of_every_region(db, tmp_path):
    path = department_file(tmp_path / "市人社局1月.xlsx", ["市人社局"], ["13"])
    sent = send(db, path.name, "市人社局", kind="市直单位", content=path.read_bytes())
    assert sent.status == "待审核" and sent.unit_kind == "市直单位"


def test_a_department_cannot_send_another_departments_rows(db, tmp_path):
    path = department_file(tmp_path / "市人社局1月.xlsx", ["市人社局", "市交通局"], ["13", "99"])
    with pytest.raises(SubmissionRefused) as refused:
        send(db, path.name, "市人社局", kind="市直单位", content=path.read_bytes())
    errors = refused.value.errors
    assert any(":进度:" in e and ":责任单位:" in e and "市交通局" in e for e in errors)
    assert any(":资金:3:项目编号:" in e and "“99”" in e for e in errors)
    assert not any(":资金:2:" in e for e in errors)  # project 13 is its own (its 进度 rows)


def test_reporting_status_per_unit(db):
    units = [("县区", "北岭县"), ("县区", "西山区"), ("县区", "青阳县"), ("县区", "南溪县")]
    returned = send(db)
    activity.return_submission(db, returned.id, by="王五", note="请改")
    send(db, at=AFTER_DUE)  # the corrected file, after the due day
    send(db, "2025-01_西山区.xlsx", "西山区", at=AFTER_DUE)
    frame = activity.reporting_status(db, 2025, 1, units, today=dt.date(2025, 2, 10))
    rows = {row["unit"]: row for row in frame.to_dict("records")}
    assert list(rows) == ["北岭县", "西山区", "青阳县", "南溪县"]
    assert (rows["北岭县"]["status"], rows["北岭县"]["on_time"], rows["北岭县"]["returns"]) == (
        "待审核",
        "按时",
        1,
    )
    assert (rows["西山区"]["status"], rows["西山区"]["on_time"]) == ("待审核", "逾期")
    assert (rows["青阳县"]["status"], rows["青阳县"]["on_time"]) == ("未报送", "逾期")
    assert (rows["南溪县"]["status"], rows["南溪县"]["source"]) == ("已入库", "民生办导入")
    assert rows["北岭县"]["due"] == dt.date(2025, 2, 5)
    early = activity.reporting_status(db, 2025, 1, units[2:3], today=dt.date(2025, 2, 5))
    assert early.loc[0, "on_time"] == "未到期"


def test_units_in_warehouse(db):
    units = activity.units_in_warehouse(db, 2025)
    assert units[:2] == [("县区", "东湖区"), ("县区", "南溪县")]
    assert ("市直单位", "市人社局") in units and activity.units_in_warehouse(db, 2030) == []


def test_due_date_rolls_into_the_next_year():
    assert activity.due_date(2025, 12) == dt.date(2026, 1, 5)


def test_temp_files_are_removed_on_every_path(db, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    sent = send(db)
    with pytest.raises(SubmissionRefused):
        send(db, OTHER)
    activity.accept(db, sent.id, by="王五", approve=lambda plan: "不同意")
    activity.accept(db, sent.id, by="王五")
    assert list(scratch.iterdir()) == []
