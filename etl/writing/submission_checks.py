"""What a unit may send in its 报送 (issue 19), beyond the loader's own checks.

A 县区 sends the rows of its own 地区; a 市直单位 the rows whose 责任单位 is itself. A 资金 row has
no 责任单位 column, so a department's 资金 row must be for a project it leads: one of its own
进度 rows in the file, or in the warehouse that year. 考评 and 序时计划 are the 民生办's alone: a
county's 序时计划 would change the 序时进度 of every region. One report is one month.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.model import Finding, ParsedFile
from etl.writing.activity_store import queries
from metrics.config import UNIT_TYPES
from metrics.schema import read_only_connection
from warehouse.connection import has_warehouse_tables

COUNTY = UNIT_TYPES[0]  # 县区 (the other type is 市直单位)
MAX_ROW_ERRORS = 200  # rows named one by one; a whole wrong file would list thousands
KIND_LABELS = {"progress": "进度", "funding": "资金"}
OFFICE_ONLY = {"scores": "考评", "schedules": "序时计划"}


def unit_findings(parsed: ParsedFile, unit_kind: str, unit: str, db_path: Path) -> list[Finding]:
    """Every row of the file that is not the unit's to send, and sheets only the 民生办 fills."""
    findings = _office_only_sheets(parsed)
    if unit_kind == COUNTY:
        rows = [_wrong_region(parsed.name, parsed.progress, unit)]
        rows.append(_wrong_region(parsed.name, parsed.funding, unit))
    else:
        rows = [_wrong_department(parsed.name, parsed.progress, unit)]
        rows.append(_foreign_projects(parsed, unit, db_path))
    wrong = [finding for part in rows for finding in part]
    findings += wrong[:MAX_ROW_ERRORS]
    if len(wrong) > MAX_ROW_ERRORS:
        left = len(wrong) - MAX_ROW_ERRORS
        message = f"另有 {left} 行不属于本单位“{unit}”，未逐行列出"
        findings.append(Finding(parsed.name, "", None, None, message))
    return findings


def report_month(parsed: ParsedFile) -> tuple[tuple[int, int] | None, list[Finding]]:
    """The one (year, month) of the file's 进度 and 资金 rows, or why there is not one."""
    months: set[tuple[int, int]] = set()
    for frame in (parsed.progress, parsed.funding):
        pairs = frame[["year", "month"]].dropna().drop_duplicates()
        months.update((int(y), int(m)) for y, m in pairs.itertuples(index=False))
    if len(months) == 1:
        return next(iter(months)), []
    if not months:
        message = "文件中没有进度表或资金表的数据行，无法报送"
    else:
        shown = "、".join(f"{y}年{m}月" for y, m in sorted(months))
        message = f"文件中有多个月份的数据（{shown}），一次只能报送一个月，请分成每月一个文件"
    return None, [Finding(parsed.name, "", None, None, message)]


def sheet_kinds(parsed: ParsedFile) -> list[str]:
    """The labels of the kinds with rows, e.g. ["进度", "资金"]."""
    return [label for kind, label in KIND_LABELS.items() if parsed.row_count(kind)]


def _office_only_sheets(parsed: ParsedFile) -> list[Finding]:
    findings = []
    for kind, label in OFFICE_ONLY.items():
        if not parsed.row_count(kind):
            continue
        for sheet in sorted(set(getattr(parsed, kind)["source_sheet"].dropna())):
            message = f"{label}表只由市民生办填写，报送的文件中不能有这张表，请删除后再报送"
            findings.append(Finding(parsed.name, sheet, None, None, message))
    return findings


def _wrong_region(file_name: str, frame: pd.DataFrame, unit: str) -> list[Finding]:
    wrong = frame[frame["region"].fillna("") != unit]
    return [
        Finding(file_name, sheet, row, "地区",
                f"地区是“{_shown(region)}”，不是本单位“{unit}”：只能报送本地区的数据")
        for sheet, row, region in _rows(wrong, "region")
    ]  # fmt: skip


def _wrong_department(file_name: str, frame: pd.DataFrame, unit: str) -> list[Finding]:
    wrong = frame[frame["department"].fillna("") != unit]
    findings = []
    for sheet, row, department in _rows(wrong, "department"):
        if _shown(department) == "（空）":
            message = f"责任单位为空：本单位报送的每一行都要填责任单位“{unit}”"
        else:
            message = f"责任单位是“{department}”，不是本单位“{unit}”：只能报送本单位牵头的数据"
        findings.append(Finding(file_name, sheet, row, "责任单位", message))
    return findings


def _foreign_projects(parsed: ParsedFile, unit: str, db_path: Path) -> list[Finding]:
    funding = parsed.funding
    if funding.empty:
        return []
    progress = parsed.progress
    own = set(progress.loc[progress["department"] == unit, "project_code"].dropna())
    years = {int(y) for y in funding["year"].dropna()}
    own |= _warehouse_codes(db_path, unit, years)
    wrong = funding[~funding["project_code"].isin(own)]
    return [
        Finding(parsed.name, sheet, row, "项目编号",
                f"项目编号“{_shown(code)}”不是本单位“{unit}”牵头的项目（本文件的进度表和已入库的"
                "数据中都没有本单位的这个项目）：资金表只能报送本单位牵头的项目")
        for sheet, row, code in _rows(wrong, "project_code")
    ]  # fmt: skip


def _warehouse_codes(db_path: Path, department: str, years: set[int]) -> set[str]:
    """The project codes the department leads in the warehouse, in those years."""
    if not years or not Path(db_path).exists():
        return set()
    con = read_only_connection(Path(db_path))
    try:
        if not has_warehouse_tables(con):
            return set()
        found: set[str] = set()
        for year in years:
            params = {"year": year, "department": department}
            rows = con.execute(queries()["warehouse_department_codes"], params).fetchall()
            found.update(code for (code,) in rows)
        return found
    except duckdb.Error:  # a warehouse without the views yet: the file's own rows decide
        return set()
    finally:
        con.close()


def _rows(frame: pd.DataFrame, column: str):
    """(sheet, row, value) of each row, in the file's order."""
    ordered = frame.sort_values(["source_sheet", "source_row"], kind="stable")
    return zip(
        ordered["source_sheet"].tolist(),
        [None if pd.isna(r) else int(r) for r in ordered["source_row"]],
        ordered[column].tolist(),
        strict=True,
    )


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return "（空）"
    return str(value)
