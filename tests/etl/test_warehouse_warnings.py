"""Warnings that depend on what is already loaded: they load with the file, located like errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from etl.db_warnings import is_close_name, normalise_name
from etl.model import PROGRESS_COLUMNS, SOURCE_COLUMNS, ParsedFile
from etl.warehouse import load_parsed


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
    assert normalise_name(raw) == expected


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
                "警告 6月.xlsx:进度:3:地区: “铜官 区”是新出现的名称，与已有的“铜官区”相近，请确认是否为同一个",
                "警告 6月.xlsx:进度:4:地区: “铜官县”是新出现的名称，与已有的“铜官区”相近，请确认是否为同一个",
            ],
            id="near-region-names",
        ),
        pytest.param(
            [(6, "铜官区", "就业创业促进工程", "就业见习", 700.0)],
            [
                "警告 6月.xlsx:进度:3:项目名称: “就业创业促进工程”是新出现的名称，与已有的“就业创业促进”相近，请确认是否为同一个"
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
