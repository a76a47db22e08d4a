"""A small real warehouse for the bulletin tests (imported as tests.bulletin.bulletin_db): seed 004's 9月 county scores, a few departments,
cumulative history for months 1–8, and progress rows of 2020年9月 with lagging items."""

from __future__ import annotations

from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = REPO_ROOT / "warehouse" / "sql"
MARTS_DIR = REPO_ROOT / "metrics" / "sql" / "marts"
YEAR, MONTH = 2020, 9

# (unit_type, unit, base score 9月, 加扣分, 说明, 1-9月 cumulative score) — seed 004's 9月.
SCORES_SEPTEMBER = [
    ("县区", "义安区", 1.398, 0.1, "部分项目点未使用民生工程标识牌扣0.05分；省民生网站刊登信息加0.1分", 13.715),
    ("县区", "铜官区", 1.448, 0.05, "部分项目点未使用民生工程标识牌扣0.05分；省民生网站刊登信息加0.1分", 13.441),
    ("县区", "枞阳县", 1.445, 0.05, "省民生网站刊登信息加0.05分", 13.611),
    ("县区", "郊区", 1.542, -0.05, "部分项目点未使用民生工程标识牌扣0.05分", 13.573),
    ("县区", "经开区", 1.535, -0.05, "未按时报送资金报表扣0.05分", 13.405),
    ("市直单位", "市委组织部", 1.5, 0.05, "信息被省民生工程网站采用", 13.5),
    ("市直单位", "市教体局", 1.5, 0.0, None, 13.475),
    ("市直单位", "市退役军人局", 1.5, 0.0, "信息被省民生工程网站采用；未按时公示民生工程进展扣0.05分", 13.325),
    ("市直单位", "市数据资源局", 1.5, -0.075, "“安康码”平台建设进展未达计划进度", 13.3),
    ("市直单位", "市交通局", 1.5, -0.1, "9月份督查发现“四好农村路”建设未达计划进度；上报进展时审核不严", 13.1),
    ("市直单位", "市水利局", 1.35, -0.1, "水利薄弱环节治理项目整体进展滞后影响我市在全省排名", 12.65),
]  # fmt: skip

# (region, project_code, project_name, indicator, target, actual, unit, department, category)
# Default 序时进度 of 9月 is 9/12 = 75%.
PROGRESS_SEPTEMBER = [
    ("枞阳县", "4", "“四好农村路”建设", "农村公路扩面延伸工程完工", 100, 40, "公里", "市交通局", "工程类"),
    ("郊区", "4", "“四好农村路”建设", "农村公路扩面延伸工程完工", 50, 30, "公里", "市交通局", "工程类"),
    ("义安区", "4", "“四好农村路”建设", "农村公路扩面延伸工程完工", 80, 70, "公里", "市交通局", "工程类"),
    ("枞阳县", "11", "农村改厕及资源化利用", "农村户厕改造", 5000, 2000, "户", "市农业农村局", "工程类"),
    ("义安区", "11", "农村改厕及资源化利用", "农村户厕改造", 3000, 2700, "户", "市农业农村局", "工程类"),
    ("枞阳县", "12-1", "美丽乡村建设", "中心村建设", 10, 5, "个", "市农业农村局", "工程类"),
    ("铜官区", "13", "就业创业促进工程", "公益性岗位开发", 200, 100, "个", "市人社局", "补助类"),
    ("郊区", "13", "就业创业促进工程", "公益性岗位开发", 100, 90, "个", "市人社局", "补助类"),
]  # fmt: skip

# (region, project_code, project_name, budget, arrived, disbursed) in 万元
FUNDING_SEPTEMBER = [
    ("枞阳县", "4", "“四好农村路”建设", 3000.0, 2400.0, 1800.0),
    ("义安区", "4", "“四好农村路”建设", 2000.0, 2000.0, 1500.0),
    ("铜官区", "13", "就业创业促进工程", 500.0, 400.0, 300.0),
]  # fmt: skip

# The three-way tie-free cumulative order and the month ranks of seed 004 (义安区 and 铜官区 tie).
EXPECTED_COUNTY_ROWS = [
    ("义安区", "1.498", "1", "13.715", "1"),
    ("铜官区", "1.498", "1", "13.441", "4"),
    ("枞阳县", "1.495", "3", "13.611", "2"),
    ("郊区", "1.492", "4", "13.573", "3"),
    ("经开区", "1.485", "5", "13.405", "5"),
]


def _insert_scores(con: duckdb.DuckDBPyConnection) -> None:
    rows = []
    for unit_type, unit, base, adjustment, note, cumulative in SCORES_SEPTEMBER:
        # Months 1–7 score 1.5 each; month 8 takes the rest so 1–9月 sums to seed 004's total.
        month_eight = round(cumulative - 7 * 1.5 - (base + adjustment), 6)
        rows += [(YEAR, m, unit_type, unit, 1.5, 0.0, None) for m in range(1, 8)]
        rows.append((YEAR, 8, unit_type, unit, month_eight, 0.0, None))
        rows.append((YEAR, MONTH, unit_type, unit, base, adjustment, note))
    con.executemany(
        "INSERT INTO score_report (year, month, unit_type, unit, base_score, adjustment, note, "
        "load_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        rows,
    )


def build_warehouse(path: Path, *, with_scores: bool = True) -> Path:
    """A DuckDB file with the project's schema and views and the rows above (without the
    考评 rows when `with_scores` is False: metrics then ranks by 进度指数)."""
    con = duckdb.connect(str(path))
    try:
        con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        con.execute((MARTS_DIR / "views.sql").read_text(encoding="utf-8"))
        con.execute(
            "INSERT INTO load_log (load_id, file_name, sha256, loaded_at, loaded_by, refused) "
            "VALUES (1, '9月考评.xlsx', 'x', TIMESTAMP '2020-10-10 09:00:00', 'test', false)"
        )
        if with_scores:
            _insert_scores(con)
        con.executemany(
            "INSERT INTO progress_report (year, month, region, project_code, project_name, "
            "indicator, target, actual, unit, department, category, load_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [(YEAR, MONTH, *row) for row in PROGRESS_SEPTEMBER],
        )
        con.executemany(
            "INSERT INTO funding_report (year, month, region, project_code, project_name, budget, "
            "arrived, disbursed, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [(YEAR, MONTH, *row) for row in FUNDING_SEPTEMBER],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def view_rows(path: Path, unit_type: str, year: int = YEAR, month: int = MONTH) -> list[tuple]:
    """v_scores rows of a month straight from the view, for cell-by-cell comparison."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        return con.execute(
            "SELECT unit, score, rank, cumulative_score, cumulative_rank FROM wh.v_scores "
            "WHERE year = ? AND month = ? AND unit_type = ? ORDER BY rank, unit",
            [year, month, unit_type],
        ).fetchall()
    finally:
        con.close()
