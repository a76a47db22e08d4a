"""Read side of the 数据管理 page: 导入记录, 报送情况 and 数据质量 from load_log and the data tables.

Opens the warehouse the readers' way (metrics.schema.read_only_connection: a fresh in-memory
DuckDB with the file ATTACHed READ_ONLY), so a load running at the same time never blocks or
breaks this page. SQL lives in metrics/sql/admin/; the page's links to other pages are the
dashboard's (dashboard/admin_warnings.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd

from metrics.db import SQL_DIR, WarehouseUnavailable
from metrics.lineage import loader_name
from metrics.schema import read_only_connection
from warehouse.model import DEMO_LOADED_BY
from warehouse.sql import named_queries, sql_text

ADMIN_SQL = SQL_DIR / "admin"
FINDING_COLUMNS = ["文件", "工作表", "行", "列", "问题"]
# A printed finding: a sheet name never holds ':' (Excel forbids it), a row is digits or '-',
# and the message follows the first ': ' after them.
_PRINTED_FINDING = re.compile(r"(.*):([^:]*):([0-9]+|-):(.*?): (.*)", re.DOTALL)


def _sql(name: str) -> str:
    return sql_text(ADMIN_SQL, f"{name}.sql")


def _month_warnings_sql(source: str) -> str:
    """admin/month_warnings.sql's query reading the warnings from `source` (stored | printed)."""
    parts = named_queries(ADMIN_SQL, "month_warnings.sql")
    ctes = ",\n\n".join((parts["month_rows"], parts[source], parts["concerns"]))
    return f"WITH {ctes}\n\n{parts[f'{source}_select']}"


def _query(
    db_path: Path, *statements: str, params: dict[str, object] | None = None
) -> pd.DataFrame:
    """Run a statement on a read-only attachment; empty frame when there is no db.

    A db file written before the schema had the tables a statement reads runs the next one
    instead (if given), else gives an empty frame. Raises WarehouseUnavailable (a Chinese sentence) when the
    file is not a readable DuckDB database (0 bytes, damaged, no permission): the page shows that
    instead of a traceback.
    """
    if not db_path.exists():
        return pd.DataFrame()
    try:
        con = read_only_connection(db_path)
    except duckdb.Error as exc:
        raise WarehouseUnavailable(unreadable_sentence(db_path)) from exc
    try:
        for statement in statements:
            try:
                return con.execute(statement, params or {}).df()
            except duckdb.CatalogException:
                continue
        return pd.DataFrame()
    except duckdb.Error as exc:
        raise WarehouseUnavailable(unreadable_sentence(db_path)) from exc
    finally:
        con.close()


def unreadable_sentence(db_path: Path) -> str:
    return (
        f"数据库文件 {db_path.name} 无法读取（文件损坏、不是 DuckDB 数据库或无读取权限），"
        "请联系管理员恢复备份或重新生成数据库。"
    )


def load_history(db_path: Path) -> pd.DataFrame:
    """导入记录: one row per load attempt, newest first (see admin/load_history.sql)."""
    return _query(db_path, _sql("load_history"))


def holds_demo_data(history: pd.DataFrame) -> bool:
    """True when a demo load is still in force: real loads would sit beside 示例市's figures."""
    if history.empty:
        return False
    in_force = history[history["can_undo"].astype(bool)]
    return bool((in_force["loaded_by"] == DEMO_LOADED_BY).any())


def history_for_people(history: pd.DataFrame) -> pd.DataFrame:
    """导入记录 as the page shows it: Chinese headers, one 状态 word per load."""

    def state(row) -> str:
        if row.refused:
            return "已拒绝"
        if pd.notna(row.undo_of):
            return f"撤销了编号 {int(row.undo_of)}"
        if pd.notna(row.undone_by):
            return "已撤销"
        if pd.notna(row.unchanged_of):
            return "内容未变"
        return "已导入"

    return pd.DataFrame(
        {
            "编号": history["load_id"],
            "文件": history["file_name"],
            "导入人": history["loaded_by"].map(loader_name),  # 命令行, 示例数据, or the name
            "时间": history["loaded_at"],
            "状态": [state(r) for r in history.itertuples()],
            "进度行": history["rows_progress"],
            "资金行": history["rows_funding"],
            "考评行": history["rows_scores"],
            "序时计划行": history["rows_schedule"],
            "警告": history["n_warnings"],
        }
    )


def report_months(db_path: Path) -> list[tuple[int, int]]:
    """(year, month) pairs holding current progress or funding rows, newest first."""
    frame = _query(db_path, _sql("report_months"))
    return [(int(y), int(m)) for y, m in frame.itertuples(index=False)] if len(frame) else []


@dataclass(frozen=True)
class RegionSheets:
    """What the warehouse holds of one month: a row per region known that year, and which
    regions lack a sheet. Not whether they were on time: that is etl.writing.submission_status's
    报送情况, which knows the due day."""

    regions: (
        pd.DataFrame
    )  # region, has_progress, has_funding, progress_loaded_at, funding_loaded_at
    missing_progress: list[str]
    missing_funding: list[str]

    @property
    def incomplete(self) -> list[str]:
        """Regions missing progress or funding rows for the month, in name order."""
        return sorted(set(self.missing_progress) | set(self.missing_funding))


def region_sheets(db_path: Path, year: int, month: int) -> RegionSheets:
    frame = _query(db_path, _sql("region_sheets"), params={"year": year, "month": month})
    if frame.empty:
        return RegionSheets(frame, [], [])
    return RegionSheets(
        frame,
        sorted(frame.loc[~frame["has_progress"].astype(bool), "region"]),
        sorted(frame.loc[~frame["has_funding"].astype(bool), "region"]),
    )


def split_finding_text(text: str) -> dict[str, str]:
    """A finding as printed (`[警告 ]file:sheet:row:column: message`) → the export columns.
    Only for databases without load_finding: a ':' in a file or header name misplaces parts."""
    body = text.removeprefix("警告 ")
    match = _PRINTED_FINDING.match(body)
    if match is None:
        return dict(zip(FINDING_COLUMNS, ["", "", "", "", body], strict=True))
    return dict(zip(FINDING_COLUMNS, match.groups(), strict=True))


class Place(NamedTuple):
    """Where a stored finding is, as etl.model.Finding has it (findings_frame reads either)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class MonthFindings:
    """数据质量 of a month: the printed places (导入编号 and FINDING_COLUMNS) and, row for row,
    what each concerns (kind, region, project_code, indicator) for the page's links."""

    places: pd.DataFrame
    concerns: pd.DataFrame


def month_findings(db_path: Path, year: int, month: int) -> MonthFindings | None:
    """The loader's warnings of the loads holding the month's current rows; None when there are
    none. Places come from load_finding as the loader found them (a ':' in a header such as
    `计划投入(单位:元)` stays in 列); a database written before that table existed falls back to
    splitting load_log's printed lines."""
    params = {"year": year, "month": month}
    statements = (_month_warnings_sql("stored"), _month_warnings_sql("printed"))
    frame = _query(db_path, *statements, params=params)
    if frame.empty:
        return None
    if "warning" in frame.columns:  # the legacy query: printed lines
        parts = pd.DataFrame([split_finding_text(w) for w in frame["warning"]])
    else:  # printed as Finding prints them (`-` where none applies)
        places = frame[["file", "sheet", "row", "col", "message"]].itertuples(index=False)
        parts = findings_frame(
            [
                Place(file, sheet, None if pd.isna(row) else int(row), col, message)
                for file, sheet, row, col, message in places
            ]
        )
    parts.insert(0, "导入编号", frame["load_id"].astype(int).to_numpy())
    return MonthFindings(parts, frame[["kind", "region", "project_code", "indicator"]])


def findings_frame(findings: Iterable[Place]) -> pd.DataFrame:
    """Findings (etl.model.Finding or Place) as a table a county clerk can read (also the CSV
    sent back to the county)."""
    rows = [
        {
            "文件": f.file,
            "工作表": f.sheet or "-",
            "行": "-" if f.row is None else str(f.row),
            "列": f.column or "-",
            "问题": f.message,
        }
        for f in findings
    ]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
