"""The 数据管理 actions without the UI: check a batch, load what passed, undo exactly."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from dashboard import admin_actions
from dashboard.intake import IntakeLimits
from etl.writing.warehouse import load_paths
from metrics import admin
from metrics.export import to_csv_bytes
from tests.dashboard.admin_files import BAD, BASE, GOOD, jobs_row, workbook

TABLES = ("progress_report", "funding_report", "score_report", "schedule_plan")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "minsheng.duckdb"
    source = tmp_path / "测试市2025年5-6月.xlsx"
    source.write_bytes(BASE)
    load_paths([source], path, loaded_by="cli")
    return path


def every_row(db: Path) -> dict[str, list[tuple]]:
    """All rows of the data tables, superseded ones included, in a stable order."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def test_check_reports_each_file_and_writes_nothing(db):
    before = db.read_bytes()
    batch = admin_actions.check_uploads(
        [GOOD, BAD, ("说明.xlsx", b"not a workbook")], db, IntakeLimits()
    )

    assert [(f.name, f.passed) for f in batch.files] == [
        ("铜官区6月.xlsx", True),
        ("枞阳县6月.xlsx", False),
        ("说明.xlsx", False),
    ]
    assert batch.files[0].rows == {"进度": 1, "资金": 0, "考评": 0, "序时计划": 0}
    assert db.read_bytes() == before


def test_return_list_is_a_csv_of_the_refused_files_errors(db):
    batch = admin_actions.check_uploads([GOOD, BAD], db, IntakeLimits())
    frame = pd.read_csv(io.BytesIO(to_csv_bytes(batch.return_list())), dtype=str)

    assert frame.to_dict("records") == [
        {
            "文件": "枞阳县6月.xlsx",
            "工作表": "进度",
            "行": "3",
            "列": "累计完成",
            "问题": "不能为负数",
        }
    ]


def test_undo_restores_the_replaced_rows_exactly(db):
    original = every_row(db)
    batch = admin_actions.check_uploads([GOOD], db, IntakeLimits())
    [loaded] = admin_actions.load_passed(batch, db, user="张三")
    assert not loaded.refused
    assert every_row(db) != original

    result = admin_actions.undo(db, loaded.load_id, user="张三")

    assert result is not None and not result.refused
    assert every_row(db) == original  # superseded_by cleared again, the new rows gone
    with duckdb.connect(str(db), read_only=True) as con:
        log = con.execute(
            "SELECT load_id, loaded_by, undo_of, undone_by FROM load_log ORDER BY load_id"
        ).fetchall()
    assert log[1:] == [(loaded.load_id, "张三", None, result.load_id),
                       (result.load_id, "张三", loaded.load_id, None)]  # fmt: skip
    # an undone load is not offered again, and asking anyway does nothing
    assert loaded.load_id not in set(admin_actions.undoable_loads(db)["load_id"])
    assert admin_actions.undo(db, loaded.load_id, user="张三") is None


def test_undo_of_a_load_that_a_later_one_replaced_is_refused(db, tmp_path):
    first = admin_actions.load_passed(
        admin_actions.check_uploads([GOOD], db, IntakeLimits()), db, user="张三"
    )[0]
    again = ("铜官区6月-更正.xlsx", workbook([jobs_row(6, "铜官区", 100, 50)]))
    admin_actions.load_passed(
        admin_actions.check_uploads([again], db, IntakeLimits()), db, user="张三"
    )
    before = every_row(db)

    result = admin_actions.undo(db, first.load_id, user="张三")

    assert result is not None and result.refused
    assert "铜官区6月-更正.xlsx" in result.errors[0].message
    assert every_row(db) == before


@pytest.mark.parametrize(
    ("loads", "expected"),
    [
        ([], False),
        ([("demo", True)], True),
        ([("demo", False), ("cli", True)], False),  # the demo load was undone
        ([("demo", True), ("张三", True)], True),
    ],
)
def test_holds_demo_data(loads, expected):
    history = pd.DataFrame(
        {"loaded_by": [who for who, _ in loads], "can_undo": [live for _, live in loads]}
    )
    assert admin.holds_demo_data(history) is expected


def far_cell_workbook() -> bytes:
    """A tiny workbook whose one far cell would make a reader allocate 17 billion cells."""
    book = openpyxl.Workbook()
    book.active.title = "进度"
    book.active.cell(row=1_048_576, column=16_384, value=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_hostile_workbook_is_refused_by_the_loaders_guards(db):
    batch = admin_actions.check_uploads(
        [("铜官区6月.xlsx", far_cell_workbook())], db, IntakeLimits()
    )

    [checked] = batch.files
    assert not checked.passed
    assert checked.errors[0].file == "铜官区6月.xlsx"
    assert "范围过大" in checked.errors[0].message


def test_check_counts_schedule_plans_as_the_load_records_them(db):
    """序时计划: the check says as many rows as the sheet has and load_log records (2 plans),
    not the 12 monthly rows each plan is stored as."""
    plans = Path(__file__).resolve().parents[2] / "data" / "demo" / "2025_序时计划.xlsx"
    batch = admin_actions.check_uploads([(plans.name, plans.read_bytes())], db, IntakeLimits())
    assert batch.files[0].rows["序时计划"] == 2
    load_paths([plans], db, loaded_by="cli")
    with duckdb.connect(str(db), read_only=True) as con:
        recorded = con.execute(
            "SELECT rows_schedule FROM load_log ORDER BY load_id DESC LIMIT 1"
        ).fetchone()[0]
    assert recorded == 2
