"""The clean-file fast path (etl.reading.fast) gives exactly what the usual way gives, and leaves every
file that needs repair or reporting to the usual way.

Each workbook is parsed twice, fast path on and off: errors, warnings, notices and tables must
be equal. The cases are what clerks' files hold (title rows, columns in another order, codes as
numbers, 12-1 sub-projects, 万元/元 headers, warnings) and what must send a file the usual way
(spaces around text, 合计 rows, footers, blank rows, merged cells, mixed cells, duplicates).
A 考评 or 序时计划 sheet beside 进度/资金 is read the usual way while those two are read fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import etl.reading.fast
from etl.reading.parse import parse_file
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    assert_same_parse,
    progress_row,
    write_workbook,
)

REPO = Path(__file__).resolve().parents[2]
TITLE = ["某市2024年民生工程6月份进度表"]
SCORES_HEADER = ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"]


def funding_row(region="芜湖市", code="13", budget=500.0, arrived=400.0, paid=300.0, **kw):
    return [kw.get("year", 2024), kw.get("month", 6), region, code, "就业创业促进",
            budget, arrived, paid]  # fmt: skip


def rows(n: int = 40, **changes) -> list[list]:
    """n clean 进度 rows (distinct indicators); `changes` maps a row position to a new row."""
    made = [
        progress_row(indicator=f"指标{i}", target=100 + i, actual=50 + i, year=2024)
        for i in range(n)
    ]
    for position, row in changes.items():
        made[int(position.lstrip("r"))] = row
    return made


def both_ways(path: Path, monkeypatch) -> tuple[object, object, bool]:
    """parse_file with the fast path, then without; and whether the fast path took the file."""
    taken = []
    read_clean = etl.reading.fast.read_clean

    def spy(*args, **kwargs):
        result = read_clean(*args, **kwargs)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(etl.reading.fast, "read_clean", spy)
    fast = parse_file(path)
    monkeypatch.setattr(etl.reading.fast, "ENABLED", False)
    usual = parse_file(path)
    monkeypatch.setattr(etl.reading.fast, "ENABLED", True)
    return fast, usual, bool(taken and taken[0])


def read_the_usual_way(path: Path, monkeypatch) -> tuple[object, object]:
    """Both ways, asserting the fast path left the file to the usual way with the same result."""
    fast, usual, taken = both_ways(path, monkeypatch)
    assert not taken
    assert_same_parse(fast, usual)
    return fast, usual


def reordered(header: list, body: list[list], order: list[int]) -> list[list]:
    return [[row[i] if i < len(row) else None for i in order] for row in [header, *body]]


PROGRESS_ORDER = list(range(11))
SHUFFLED = [0, 1, 2, 3, 4, 5, 8, 6, 7, 10, 9]  # 年份 still first
NO_OPTIONAL = list(range(8))  # 计量单位, 责任单位, 类别 left out

CLEAN = {
    "header-in-row-1": {"进度": [PROGRESS_HEADER, *rows()]},
    "title-rows-above": {"进度": [TITLE, [], ["单位：个"], PROGRESS_HEADER, *rows()]},
    "columns-in-another-order": {"进度": reordered(PROGRESS_HEADER, rows(), SHUFFLED)},
    "no-optional-columns": {"进度": reordered(PROGRESS_HEADER, rows(), NO_OPTIONAL)},
    "codes-as-numbers": {
        "进度": [PROGRESS_HEADER, *[[*r[:3], 13, *r[4:]] for r in rows()]],
    },
    "sub-project-codes": {
        "进度": [
            PROGRESS_HEADER,
            *[[*r[:3], f"12-{i % 3 + 1}", *r[4:]] for i, r in enumerate(rows())],
        ],
    },
    "leading-zero-codes-kept": {
        "进度": [PROGRESS_HEADER, *[[*r[:3], "013", *r[4:]] for r in rows()]]
    },
    "empty-optional-cells": {
        "进度": [
            PROGRESS_HEADER,
            *rows(
                r3=progress_row(indicator="x", unit=None, department=None, category=None, year=2024)
            ),
        ],
    },  # fmt: skip
    "warnings-above-300-percent": {
        "进度": [
            PROGRESS_HEADER,
            *rows(r5=progress_row(indicator="高", target=10, actual=99, year=2024)),
        ],
    },
    "project-name-with-ji": {
        "进度": [
            PROGRESS_HEADER,
            *rows(r2=progress_row(indicator="奖扶", name="计划生育家庭奖励扶助", year=2024)),
        ],
    },  # fmt: skip
    "chinese-punctuation-and-units-in-names": {
        "进度": [
            PROGRESS_HEADER,
            *rows(
                r2=progress_row(indicator="改造（二期）“四好”", unit="㎡", year=2024),
                r3=progress_row(indicator="供水·排水—管网", unit="m³", year=2024),
            ),
        ],
    },
    "funding-in-wan-yuan": {
        "进度": [PROGRESS_HEADER, *rows()],
        "资金": [FUNDING_HEADER, *[funding_row(region=f"地区{i}") for i in range(30)]],
    },
    "funding-in-yuan-with-a-warning": {
        "资金": [
            [
                "年份",
                "月份",
                "地区",
                "项目编号",
                "项目名称",
                "计划投入（元）",
                "到位资金（元）",
                "拨付资金（元）",
            ],
            *[funding_row(region=f"地区{i}", budget=5e6, arrived=4e6, paid=3e6) for i in range(9)],
            funding_row(region="超拨县", budget=5e6, arrived=1e6, paid=2e6),
        ],
    },  # fmt: skip
    # a province's month: 考评 (read the usual way) beside 进度 and 资金 (read the fast way)
    "a-scores-sheet-beside-progress-and-funding": {
        "进度": [PROGRESS_HEADER, *rows()],
        "资金": [FUNDING_HEADER, funding_row()],
        "考评": [SCORES_HEADER, [2024, 6, "县区", "东湖区", 90, 1, "按时报送"]],
    },
    "a-scores-sheet-first-and-warnings-after-it": {
        "考评": [SCORES_HEADER, [2024, 6, "县区", "东湖区", 90, None, None]],
        "资金": [FUNDING_HEADER, funding_row(region="超拨县", arrived=100.0, paid=200.0)],
        "进度": [
            PROGRESS_HEADER,
            *rows(r3=progress_row(indicator="x", target=10, actual=50, year=2024)),
        ],
        "序时计划": [
            ["年份", "项目编号", *[f"{m}月" for m in range(1, 13)]],
            [2024, "13", *range(5, 65, 5)],
        ],
    },
    "an-ignored-sheet": {"进度": [PROGRESS_HEADER, *rows()], "说明": [["本表说明"]]},
}

USUAL = {
    "spaces-around-a-region": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", region=" 芜湖市", year=2024))]},
    "full-width-space-after-a-name": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", name="就业创业促进\u3000", year=2024))]},
    "totals-row": {"进度": [PROGRESS_HEADER, *rows(), ["", "", "合计", "", "", "", 1, 1]]},
    "totals-in-a-spaced-region": {"进度": [PROGRESS_HEADER, *rows(r9=progress_row(
        indicator="x", region="全市 合计", year=2024))]},
    "footer-row": {"进度": [PROGRESS_HEADER, *rows(), ["填报人：张三"]]},
    "blank-row-inside": {"进度": [PROGRESS_HEADER, *rows()[:10], [], *rows()[10:]]},
    "missing-required-cell": {"进度": [PROGRESS_HEADER, *rows(r7=progress_row(
        indicator=None, year=2024))]},
    "number-written-as-text": {"进度": [PROGRESS_HEADER, *rows(r1=progress_row(
        indicator="x", target="1,234", year=2024))]},
    "year-not-first": {"进度": reordered(PROGRESS_HEADER, rows(), [1, 0, *range(2, 11)])},
    "zero-target": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x", target=0,
                                                                    year=2024))]},
    "negative-actual": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x", actual=-1,
                                                                        year=2024))]},
    "unknown-category": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x",
                                                                         category="工程", year=2024))]},
    "duplicate-key": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="指标4", year=2024))]},
    "month-13": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(indicator="x", month=13,
                                                                 year=2024))]},
    "full-width-code": {"进度": [PROGRESS_HEADER, *[[*r[:3], "１３", *r[4:]] for r in rows()]]},
    "unknown-money-unit": {"资金": [["年份", "月份", "地区", "项目编号", "项目名称", "计划投入（美元）",
                                     "到位资金", "拨付资金"], funding_row()]},
    "true-false-in-a-text-column": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(
        indicator="x", unit=True, year=2024))]},
    "error-cell-in-a-text-column": {"进度": [PROGRESS_HEADER, *rows(r3=progress_row(
        indicator="x", department="#N/A", year=2024))]},
    "two-progress-sheets": {"进度": [PROGRESS_HEADER, *rows()], "进度(续)": [PROGRESS_HEADER,
                                                                          *rows()]},
    # names etl.reading.names cleans (issue 22): a warning, or an error when nothing is left
    "zero-width-space-in-a-region": {"进度": [PROGRESS_HEADER, *[[*r[:2], "芜湖\u200b市", *r[3:]]
                                                               for r in rows()]]},
    "bom-before-a-project-name": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", name="\ufeff就业创业促进", year=2024))]},
    "combining-accent-on-an-indicator": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="指\u0301标4", year=2024))]},
    "only-a-zero-width-space-as-region": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", region="\u200b", year=2024))]},
    "full-width-letters-in-a-department": {"进度": [PROGRESS_HEADER, *rows(r4=progress_row(
        indicator="x", department="市ＲＳ局", year=2024))]},
    "zero-width-space-in-a-funding-code": {"资金": [FUNDING_HEADER, funding_row(code="1\u200b3")]},
    "duplicate-region-column": {"进度": [[*PROGRESS_HEADER, "地区"], *[[*r, "别处"] for r in rows()]]},
    "duplicate-region-column-same-values": {"进度": [[*PROGRESS_HEADER, "县区"], *[[*r, r[2]]
                                                                               for r in rows()]]},
}  # fmt: skip


@pytest.mark.parametrize("case", list(CLEAN))
def test_a_clean_file_takes_the_fast_path_and_reads_the_same(case, tmp_path, monkeypatch):
    path = write_workbook(tmp_path / f"{case}.xlsx", CLEAN[case])
    fast, usual, taken = both_ways(path, monkeypatch)
    assert taken
    assert_same_parse(fast, usual)
    assert not usual.errors


@pytest.mark.parametrize("case", list(USUAL))
def test_a_file_needing_repair_or_a_report_is_read_the_usual_way(case, tmp_path, monkeypatch):
    path = write_workbook(tmp_path / f"{case}.xlsx", USUAL[case])
    read_the_usual_way(path, monkeypatch)


def test_merged_cells_are_filled_the_usual_way(tmp_path, monkeypatch):
    body = rows()
    for row in body[1:5]:
        row[9] = None  # 责任单位 merged down rows 2–6: the usual way fills it in
    path = write_workbook(
        tmp_path / "m.xlsx", {"进度": [PROGRESS_HEADER, *body]}, merged={"进度": ["J2:J6"]}
    )
    fast, _ = read_the_usual_way(path, monkeypatch)
    assert fast.progress["department"].tolist()[:5] == ["市人社局"] * 5


def test_the_warnings_of_a_clean_file_are_the_usual_ones(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "w.xlsx", CLEAN["funding-in-yuan-with-a-warning"])
    fast, _, taken = both_ways(path, monkeypatch)
    assert taken
    assert [str(w) for w in fast.warnings] == [
        "警告 w.xlsx:资金:11:拨付资金（元）: 拨付资金（200万元）高于到位资金（100万元）"
    ]


def test_every_workbook_of_the_repository_reads_the_same_both_ways(monkeypatch):
    """The demo months (some clean, some with a clerk's mess), and the seeds' workbooks."""
    books = sorted((REPO / "data").rglob("*.xlsx"))
    assert len(books) > 50
    taken = 0
    for book in books:
        fast, usual, took = both_ways(book, monkeypatch)
        assert_same_parse(fast, usual)
        taken += took
    assert 0 < taken < len(books)  # both ways are exercised
