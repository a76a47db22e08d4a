"""Warnings that depend on what is already loaded: they load with the file, located like errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from etl.model import FUNDING_COLUMNS, PROGRESS_COLUMNS, SOURCE_COLUMNS, ParsedFile
from etl.reading.normalise import fold
from etl.writing.db_warnings import is_close_name
from etl.writing.warehouse import load_parsed


def progress_file(name: str, rows: list[tuple]) -> ParsedFile:
    """rows: (month, region, project_name, indicator, actual); data from spreadsheet row 3."""
    records = [
        (2020, month, region, "13", project, indicator, 1000.0, actual, "人", None, "其他", "进度", i + 3)
        for i, (month, region, project, indicator, actual) in enumerate(rows)
    ]  # fmt: skip
    parsed = ParsedFile(name, Path(name), hashlib.sha256(repr(rows).encode()).hexdigest())
    parsed.progress = pd.DataFrame(records, columns=PROGRESS_COLUMNS + SOURCE_COLUMNS)
    return parsed


MAY = progress_file(
    "5月.xlsx",
    [
        (5, "铜官区", "就业创业促进", "就业见习", 600.0),
        (5, "义安区", "就业创业促进", "就业见习", 300.0),
    ],
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("铜官 区", "铜官区"), ("铜官\u3000区", "铜官区"), ("ＡＢ区", "AB区"), (" 郊区 ", "郊区")],
)
def test_normalise_name(raw, expected):
    assert fold(raw) == expected  # names are folded by the reader's one rule


@pytest.mark.parametrize(
    ("new", "known", "close"),
    [
        ("铜官 区", "铜官区", True),  # spaces
        ("铜官县", "铜官区", True),  # 县/区 swapped
        ("铜官", "铜官区", True),  # suffix left off
        ("义安区", "铜官区", False),
        ("郊区", "经开区", False),
        ("枞阳县", "铜官区", False),
        ("铜官区", "铜官区", False),  # the same name is not "new"
        ("市", "县", False),  # too short to judge
        ("铜官区", "铜 官区", True),
        ("ＡＢ新区", "AB新区", True),  # full-width folded
        ("东湖区", "西湖区", False),  # real, different districts
        ("弋江区", "鸠江区", False),
        ("鸠江县", "弋江区", False),
        ("三山经开区", "三山经济区", True),  # one edit, long enough to be a typo
        ("三山经开区", "三山开区", True),  # one character left out
        ("市交通局", "市教育局", False),  # two edits
        ("市交通局", "市交通厅", True),  # one character replaced
    ],
)
def test_is_close_name(new, known, close):
    assert is_close_name(new, known) is close


@pytest.mark.parametrize(
    ("june_rows", "expected"),
    [
        pytest.param(
            [
                (6, "铜官区", "就业创业促进", "就业见习", 569.0),
                (6, "义安区", "就业创业促进", "就业见习", 300.0),
            ],
            [
                "警告 6月.xlsx:进度:3:累计完成: 累计完成 569 低于 5月的 600，累计数一般不会减少，请核对"
            ],
            id="cumulative-drop",
        ),
        pytest.param(
            [
                (6, "铜官 区", "就业创业促进", "就业见习", 700.0),
                (6, "铜官县", "就业创业促进", "就业见习", 1.0),
            ],
            [
                "警告 6月.xlsx:进度:3:地区: 地区“铜官 区”在数据库中没有，与已有的“铜官区”相似，请确认是否为同一个",
                "警告 6月.xlsx:进度:4:地区: 地区“铜官县”在数据库中没有，与已有的“铜官区”相似，请确认是否为同一个",
            ],
            id="near-region-names",
        ),
        pytest.param(
            [(6, "铜官区", "就业创业促进工程", "就业见习", 700.0)],
            [
                "警告 6月.xlsx:进度:3:项目名称: 项目名称“就业创业促进工程”在数据库中没有，与已有的“就业创业促进”相似，请确认是否为同一个"
            ],
            id="near-project-name",
        ),
        pytest.param(
            [
                (6, "铜陵市", "就业创业促进", "就业见习", 1200.0),
                (6, "铜官区", "就业创业促进", "就业见习", 700.0),
            ],
            [
                "警告 6月.xlsx:进度:3:地区: 2020年6月 指标“就业见习”既有全市数据（铜陵市）又有县区数据，汇总时会重复计算"
            ],
            id="city-wide-and-county",
        ),
        pytest.param(
            [
                (6, "铜官区", "就业创业促进", "就业见习", 700.0),
                (6, "义安区", "就业创业促进", "就业见习", 300.0),
            ],
            [],
            id="plain-month",
        ),
    ],
)
def test_database_warnings(tmp_path, june_rows, expected):
    db = tmp_path / "wh.duckdb"
    load_parsed([MAY], db)
    [june] = load_parsed([progress_file("6月.xlsx", june_rows)], db)
    assert not june.refused
    assert [str(w) for w in june.warnings] == expected


def test_same_name_spelled_two_ways_in_one_file(tmp_path):
    rows = [
        (5, "铜官区", "就业创业促进", "就业见习", 1.0),
        (5, "铜官 区", "就业创业促进", "就业见习", 2.0),
    ]
    [result] = load_parsed([progress_file("5月.xlsx", rows)], tmp_path / "wh.duckdb")
    assert [w.row for w in result.warnings] == [4]
    assert "“铜官 区”" in result.warnings[0].message


def test_cumulative_drop_inside_one_file(tmp_path):
    rows = [
        (5, "铜官区", "就业创业促进", "就业见习", 600.0),
        (6, "铜官区", "就业创业促进", "就业见习", 500.0),
    ]
    [result] = load_parsed([progress_file("5-6月.xlsx", rows)], tmp_path / "wh.duckdb")
    assert [(w.row, w.column) for w in result.warnings] == [(4, "累计完成")]


def test_one_month_file_compares_with_the_latest_earlier_month_the_warehouse_holds(tmp_path):
    """A one-month file is checked by its own query (cumulative_drops_one_month). The month
    compared with is the latest earlier one holding the indicator, as loaded now (a replaced
    month counts as replaced); a later month already loaded does not count."""
    db = tmp_path / "wh.duckdb"
    project = "就业创业促进"
    loads = [
        ("4月.xlsx", [(4, "铜官区", project, "就业见习", 700.0), (4, "义安区", project, "就业见习", 100.0)]),
        ("5月.xlsx", [(5, "铜官区", project, "技能培训", 10.0), (5, "义安区", project, "就业见习", 900.0)]),
        ("5月更正.xlsx", [(5, "铜官区", project, "技能培训", 10.0), (5, "义安区", project, "就业见习", 250.0)]),
        ("7月.xlsx", [(7, "义安区", project, "就业见习", 50.0)]),
    ]  # fmt: skip
    for name, rows in loads:
        [result] = load_parsed([progress_file(name, rows)], db)
        assert not result.refused
    june = [(6, "铜官区", project, "就业见习", 650.0), (6, "义安区", project, "就业见习", 240.0)]
    [result] = load_parsed([progress_file("6月.xlsx", june)], db)
    assert [str(w) for w in result.warnings] == [
        "警告 6月.xlsx:进度:3:累计完成: 累计完成 650 低于 4月的 700，累计数一般不会减少，请核对",
        "警告 6月.xlsx:进度:4:累计完成: 累计完成 240 低于 5月的 250，累计数一般不会减少，请核对",
    ]


@pytest.mark.parametrize("month_of_file", [4, 5, 6, 8])
def test_one_month_query_finds_what_the_general_query_finds(tmp_path, month_of_file):
    """The one-month query is the general one made faster: on a warehouse of several months
    (one replaced), a file of any month gets the same warnings from both."""
    from etl.writing.db_write import incoming_tables, named_queries, register_incoming
    from metrics.schema import read_only_connection

    db = tmp_path / "wh.duckdb"
    regions, indicators = ["铜官区", "义安区", "郊区"], ["就业见习", "技能培训", "创业担保"]
    for month in (3, 4, 5, 5, 7):  # May twice: the second replaces the first
        rows = [
            (month, region, "就业创业促进", indicator, float((month * 37 + r * 11 + i * 7) % 90))
            for r, region in enumerate(regions)
            for i, indicator in enumerate(indicators)
            if (month + r + i) % 4  # every month leaves some indicators out
        ]
        load_parsed([progress_file(f"{month}月-{len(rows)}.xlsx", rows)], db)
    file_rows = [
        (month_of_file, region, "就业创业促进", indicator, float((r * 13 + i * 29) % 60))
        for r, region in enumerate(regions)
        for i, indicator in enumerate(indicators)
    ]
    parsed = progress_file("新.xlsx", file_rows)
    queries = named_queries("warnings.sql")
    con = read_only_connection(db)
    try:
        register_incoming(con, incoming_tables(parsed))
        general = con.execute(queries["cumulative_drops"]).fetchall()
        one_month = con.execute(queries["cumulative_drops_one_month"]).fetchall()
    finally:
        con.close()
    assert one_month == general
    assert general or month_of_file < 4  # the scenario does have drops to find


def funding_file(name: str, rows: list[tuple]) -> ParsedFile:
    """rows: (month, region, project_code, budget); data from spreadsheet row 3."""
    records = [
        (2020, month, region, code, f"项目{code}", budget, 0.0, 0.0, "资金", i + 3)
        for i, (month, region, code, budget) in enumerate(rows)
    ]  # fmt: skip
    parsed = ParsedFile(name, Path(name), hashlib.sha256(repr(rows).encode()).hexdigest())
    parsed.funding = pd.DataFrame(records, columns=FUNDING_COLUMNS + SOURCE_COLUMNS)
    return parsed


def grouped_rows(con, query: str, params: list) -> list[int]:
    """The groups each GROUP BY of `query` made, as DuckDB ran it (EXPLAIN ANALYZE)."""
    [(_, text)] = con.execute(f"EXPLAIN (ANALYZE, FORMAT json) {query}", params).fetchall()

    def walk(node: dict):
        if node.get("type") == "HASH_GROUP_BY":
            yield node["intermediate_rows"]
        for child in node.get("children", []):
            yield from walk(child)

    return [n for node in json.loads(text)["operator"] for n in walk(node)]


def test_the_scale_check_reads_only_the_files_indicators_and_projects(tmp_path):
    """Far-above warnings against the largest figure of the same indicator (project) loaded so
    far; that maximum is taken over the file's own indicators and projects only, not over every
    indicator of a province-sized table on each load."""
    from etl.reading.magnitude import HUGE_MONEY, HUGE_TARGET, SCALE_FACTOR
    from etl.writing.db_write import incoming_tables, named_queries, register_incoming
    from metrics.schema import read_only_connection

    db = tmp_path / "wh.duckdb"
    indicators = [f"指标{i}" for i in range(12)]
    may = [(5, "铜官区", "就业创业促进", name, 10.0) for name in indicators]
    load_parsed([progress_file("5月.xlsx", may)], db)
    load_parsed([funding_file("5月资金.xlsx", [(5, "铜官区", str(c), 50.0) for c in range(9)])], db)
    june = progress_file("6月.xlsx", [(6, "铜官区", "就业创业促进", "指标3", 10.0)])
    june.progress["target"] = 200_000.0  # 1000 before: 200 times the largest
    june_funds = funding_file(
        "6月资金.xlsx", [(6, "铜官区", "4", 6_000.0), (6, "义安区", "新", 9e5)]
    )
    [progress_result] = load_parsed([june], db)
    [funding_result] = load_parsed([june_funds], db)
    assert [str(w) for w in progress_result.warnings + funding_result.warnings] == [
        "警告 6月.xlsx:进度:3:年度目标: 年度目标（200000）是数据库中该指标已有最大值（1000）的100倍以上，请核实数值和单位",
        "警告 6月资金.xlsx:资金:3:计划投入: 计划投入（6000万元）是数据库中该项目已有最大值（50万元）的100倍以上，请核实数值和单位",
    ]  # fmt: skip
    queries = named_queries("scale_warnings.sql")
    con = read_only_connection(db)
    try:
        register_incoming(con, incoming_tables(june))
        assert grouped_rows(con, queries["huge_targets"], [SCALE_FACTOR, HUGE_TARGET]) == [1]
        register_incoming(con, incoming_tables(june_funds))
        # the file's two projects (both loaded now), not the ten the table holds
        assert grouped_rows(con, queries["huge_budgets"], [SCALE_FACTOR, HUGE_MONEY]) == [2]
    finally:
        con.close()
