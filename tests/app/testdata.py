"""A small, hand-made 测试市 warehouse for the page tests (AppTest and browser).

Built from warehouse/sql/schema.sql + metrics/sql/marts/views.sql with rows inserted directly, so the figures below are
the whole truth a test can check against. Year 2025, months 4–6; 序时进度 is month/12 except
project 13 (工程类), whose published plan says 40% by the end of June.

End of June (month 6), per region:
- 公益性岗位开发 (个, 市人社局, 补助类): 铜官区 15/100 = 15% (35 points behind: 红, also behind in
  April and May), 义安区 60/100 = 60% (ahead), 枞阳县 22/50 = 44% (6 behind: 黄).
- 农村公路扩面延伸工程开工/完工 (公里, 市交通局, 工程类, plan 40%): 铜官区 开工 8/10, 完工
  2.5/10 = 25% (15 behind: 橙); 义安区 开工 18/20, 完工 10/20 = 50%.
- 城乡居民养老保险参保 (人, 市人社局, 参保服务类): every region 900/1000 = 90%.
Scores (考评) for June: 义安区 1.448 + 0.05 = 1.498 and 铜官区 1.498 share rank 1, 枞阳县 1.495
is 3rd (seed 004's figures).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = REPO_ROOT / "warehouse" / "sql"
MARTS_DIR = REPO_ROOT / "metrics" / "sql" / "marts"

YEAR = 2025
LATEST_MONTH = 6
REGIONS = ("铜官区", "义安区", "枞阳县")

JOBS = ("1", "公益性岗位开发", "公益性岗位开发", "个", "市人社局", "补助类")
ROAD_START = (
    "13",
    "农村公路扩面延伸工程",
    "农村公路扩面延伸工程开工",
    "公里",
    "市交通局",
    "工程类",
)
ROAD_DONE = ("13", "农村公路扩面延伸工程", "农村公路扩面延伸工程完工", "公里", "市交通局", "工程类")
PENSION = ("5", "城乡居民养老保险", "城乡居民养老保险参保", "人", "市人社局", "参保服务类")

# (month, region, item, target, actual)
PROGRESS_ROWS = [
    (4, "铜官区", JOBS, 100, 5),
    (5, "铜官区", JOBS, 100, 10),
    (6, "铜官区", JOBS, 100, 15),
    (4, "义安区", JOBS, 100, 40),
    (5, "义安区", JOBS, 100, 50),
    (6, "义安区", JOBS, 100, 60),
    (4, "枞阳县", JOBS, 50, 15),
    (5, "枞阳县", JOBS, 50, 20),
    (6, "枞阳县", JOBS, 50, 22),
    (4, "铜官区", ROAD_START, 10, 3),
    (5, "铜官区", ROAD_START, 10, 6),
    (6, "铜官区", ROAD_START, 10, 8),
    (4, "铜官区", ROAD_DONE, 10, 0),
    (5, "铜官区", ROAD_DONE, 10, 1),
    (6, "铜官区", ROAD_DONE, 10, 2.5),
    (4, "义安区", ROAD_START, 20, 10),
    (5, "义安区", ROAD_START, 20, 15),
    (6, "义安区", ROAD_START, 20, 18),
    (4, "义安区", ROAD_DONE, 20, 4),
    (5, "义安区", ROAD_DONE, 20, 7),
    (6, "义安区", ROAD_DONE, 20, 10),
]
PROGRESS_ROWS += [
    (m, r, PENSION, 1000, a) for m, a in ((4, 700), (5, 800), (6, 900)) for r in REGIONS
]

# (month, region, project_code, project_name, budget, arrived, disbursed) in 万元
FUNDING_ROWS = [
    (6, "铜官区", "1", "公益性岗位开发", 500, 300, 120),
    (6, "义安区", "1", "公益性岗位开发", 800, 600, 540),
    (6, "枞阳县", "1", "公益性岗位开发", 400, 200, 150),
    (6, "铜官区", "13", "农村公路扩面延伸工程", 12000, 6000, 3000),
    (6, "义安区", "13", "农村公路扩面延伸工程", 20000, 15000, 9000),
    (6, "铜官区", "5", "城乡居民养老保险", 3000, 3000, 2700),
    (6, "义安区", "5", "城乡居民养老保险", 3500, 3500, 3000),
    (6, "枞阳县", "5", "城乡居民养老保险", 4000, 3000, 2000),
    (5, "铜官区", "1", "公益性岗位开发", 500, 250, 100),
    (5, "义安区", "1", "公益性岗位开发", 800, 500, 400),
    (5, "枞阳县", "1", "公益性岗位开发", 400, 150, 100),
]

# (month, unit_type, unit, base_score, adjustment, note)
SCORE_ROWS = [
    (5, "县区", "义安区", 1.450, 0.0, None),
    (5, "县区", "铜官区", 1.480, 0.0, None),
    (5, "县区", "枞阳县", 1.490, 0.0, None),
    (6, "县区", "义安区", 1.448, 0.05, "信息被省民生工程网站采用，加0.05分"),
    (6, "县区", "铜官区", 1.498, 0.0, None),
    (6, "县区", "枞阳县", 1.545, -0.05, "未按时报送资金报表，扣0.05分"),
    (5, "市直单位", "市人社局", 1.500, 0.0, None),
    (5, "市直单位", "市交通局", 1.450, 0.0, None),
    (6, "市直单位", "市人社局", 1.480, 0.0, None),
    (6, "市直单位", "市交通局", 1.520, 0.0, None),
]

# project 13's published plan (序时计划), percent at each month end
ROAD_PLAN = (0, 5, 10, 20, 30, 40, 55, 70, 85, 100, 100, 100)


def create_schema(db_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(db_path))
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    con.execute((MARTS_DIR / "views.sql").read_text(encoding="utf-8"))
    return con


def build_empty_database(db_path: Path) -> Path:
    """Schema and views, no rows: what a fresh install holds before any load."""
    create_schema(db_path).close()
    return db_path


def build_test_database(db_path: Path) -> Path:
    con = create_schema(db_path)
    con.execute(
        "INSERT INTO load_log (load_id, file_name, sha256, loaded_at, loaded_by, refused) "
        "VALUES (nextval('load_id_seq'), '测试市2025年月报.xlsx', 'test',"
        " TIMESTAMP '2025-07-05 09:00:00', 'test', false)"
    )  # nextval keeps the sequence ahead of this row, so a later real load gets load_id 2
    con.executemany(
        "INSERT INTO progress_report (year, month, region, project_code, project_name, indicator,"
        " unit, department, category, target, actual, load_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [
            (YEAR, month, region, code, name, indicator, unit, dept, cat, target, actual)
            for month, region, (code, name, indicator, unit, dept, cat), target, actual in (
                PROGRESS_ROWS
            )
        ],
    )
    con.executemany(
        "INSERT INTO funding_report (year, month, region, project_code, project_name, budget,"
        " arrived, disbursed, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
        [(YEAR, *row) for row in FUNDING_ROWS],
    )
    con.executemany(
        "INSERT INTO score_report (year, month, unit_type, unit, base_score, adjustment, note,"
        " load_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        [(YEAR, *row) for row in SCORE_ROWS],
    )
    con.executemany(
        "INSERT INTO schedule_plan (year, project_code, category, month, planned_rate, load_id) "
        "VALUES (?, '13', NULL, ?, ?, 1)",
        [(YEAR, month, pct / 100) for month, pct in enumerate(ROAD_PLAN, start=1)],
    )
    con.execute("CHECKPOINT")
    con.close()
    return db_path
