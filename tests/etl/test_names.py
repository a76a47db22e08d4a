"""Names with invisible, combining or compatibility characters (issue 22): `东湖\\u200b区`, a BOM
before a name or an accent on a Chinese character made a new region that looked exactly like
东湖区, silently; `\\u200b` alone was accepted as a region. Now the loader stores the cleaned
name with a located warning saying what was removed, refuses a name nothing is left of, and warns
when a new name looks like a known one. Both ways of reading (etl.reading.fast, the usual way) agree."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb
import pytest

from etl.reading.names import SAFE_RANGES, SUSPECT, clean_name, name_skeleton, visible
from etl.reading.parse import parse_file
from etl.writing.warehouse import load_paths
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    SCORES_HEADER,
    progress_row,
    write_csv,
    write_workbook,
)
from tests.etl.test_fast import both_ways


def progress_file(path: Path, *rows: list) -> Path:
    return write_workbook(path, {"进度": [PROGRESS_HEADER, *rows]})


def regions(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [
            r[0]
            for r in con.execute("SELECT DISTINCT region FROM v_progress ORDER BY 1").fetchall()
        ]


# --- the cleaning itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean", "said"),
    [
        ("东湖\u200b区", "东湖区", "去掉了不可见字符 U+200B（零宽空格）"),
        ("\ufeff东湖区", "东湖区", "去掉了不可见字符 U+FEFF（字节顺序标记 BOM）"),
        ("东\u0301湖区", "东湖区", "去掉了附加符号 U+0301"),
        ("东湖\u00ad区", "东湖区", "去掉了不可见字符 U+00AD（软连字符）"),
        ("东湖\u2062区", "东湖区", "去掉了不可见字符 U+2062（不可见运算符）"),
        ("\u202e区湖东", "区湖东", "去掉了不可见字符 U+202E（文字方向控制符）"),
        ("市ＲＳ局", "市RS局", "把“Ｒ”改为“R”、“Ｓ”改为“S”"),
        ("\u2fa6寨县", "金寨县", "把“\u2fa6”改为“金”"),  # a Kangxi radical that looks like 金
        ("\u200b", "", "去掉了不可见字符 U+200B（零宽空格）"),
    ],
)
def test_clean_name_says_what_it_removed(raw, clean, said):
    assert clean_name(raw) == (clean, [said])


@pytest.mark.parametrize(
    "name",
    [
        "东湖区",
        "城镇老旧小区改造（二期）",
        "“四好农村路”",
        "面积㎡",
        "m²",
        "供水·排水—管网",
        "Café",
        "①号",
    ],
)
def test_names_as_written_on_purpose_are_kept(name):
    assert clean_name(name) == (name, [])


def test_every_character_the_quick_test_passes_is_kept_as_it_is():
    """SAFE_RANGES is what lets a column skip the cleaning: none of it may change."""
    for low, high in SAFE_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            if unicodedata.category(char) == "Cn":
                continue  # unassigned: no file holds it
            assert SUSPECT.search(f"a{char}b") is None
            assert clean_name(f"东{char}区") == (f"东{char}区", []), hex(code)


def test_look_alike_skeletons_and_visible_names():
    same = ["东湖区", "东湖\u200b区", "东湖 区", "东湖　区", "（东湖区）", "\ufeff东湖区"]
    assert {name_skeleton(n) for n in same} == {"东湖区"}
    assert name_skeleton("西湖区") != name_skeleton("东湖区")
    assert name_skeleton("Сity") == name_skeleton("city")  # a Cyrillic С
    assert visible("东湖\u200b区") == "东湖<U+200B>区"
    assert visible("东\u0301湖区") == "东<U+0301>湖区"


# --- the loader: located warnings and errors, the same both ways -------------------------------


def test_a_zero_width_space_in_a_region_is_removed_with_a_located_warning(tmp_path, monkeypatch):
    path = progress_file(
        tmp_path / "东湖区6月.xlsx",
        progress_row(region="东湖\u200b区", indicator="a"),
        progress_row(region="东湖\u200b区", indicator="b"),
    )
    fast, usual, _ = both_ways(path, monkeypatch)
    for parsed in (fast, usual):
        assert not parsed.errors
        assert [str(w) for w in parsed.warnings] == [
            "警告 东湖区6月.xlsx:进度:2:地区: 去掉了不可见字符 U+200B（零宽空格），按“东湖区”导入"
        ]
        assert parsed.progress["region"].tolist() == ["东湖区", "东湖区"]

    db = tmp_path / "wh.duckdb"
    load_paths(
        [progress_file(tmp_path / "东湖区5月.xlsx", progress_row(region="东湖区", month=5))], db
    )
    [result] = load_paths([path], db)
    assert not result.refused
    assert regions(db) == ["东湖区"]  # no second 东湖区 that looks the same


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (progress_row(name="\ufeff就业创业促进"), "项目名称",
         "去掉了不可见字符 U+FEFF（字节顺序标记 BOM），按“就业创业促进”导入"),
        (progress_row(region="东\u0301湖区"), "地区", "去掉了附加符号 U+0301，按“东湖区”导入"),
        (progress_row(department="市人社局\u200d"), "责任单位",
         "去掉了不可见字符 U+200D（零宽连字），按“市人社局”导入"),
        (progress_row(unit="ｋｍ"), "计量单位", "把“ｋ”改为“k”、“ｍ”改为“m”，按“km”导入"),
        (progress_row(code="1\u200b3"), "项目编号", "去掉了不可见字符 U+200B（零宽空格），按“13”导入"),
    ],
)  # fmt: skip
def test_each_name_column_is_cleaned_with_a_warning(tmp_path, monkeypatch, row, column, message):
    path = progress_file(tmp_path / "6月.xlsx", row)
    fast, usual, _ = both_ways(path, monkeypatch)
    for parsed in (fast, usual):
        assert [str(w) for w in parsed.warnings] == [f"警告 6月.xlsx:进度:2:{column}: {message}"]
        assert not parsed.errors


def test_a_name_of_invisible_characters_only_is_a_located_error(tmp_path, monkeypatch):
    path = progress_file(
        tmp_path / "6月.xlsx",
        progress_row(indicator="a"),
        progress_row(region="\u200b", indicator="b"),
        progress_row(region="\ufeff\u200b", indicator="c"),
    )
    fast, usual, _ = both_ways(path, monkeypatch)
    for parsed in (fast, usual):
        assert [str(e) for e in parsed.errors] == [
            "6月.xlsx:进度:3:地区: 去掉了不可见字符 U+200B（零宽空格）后为空，请填写有效的名称",
            "6月.xlsx:进度:4:地区: 去掉了不可见字符 U+FEFF（字节顺序标记 BOM）、"
            "不可见字符 U+200B（零宽空格）后为空，请填写有效的名称",
        ]


def test_funding_scores_and_csv_names_are_cleaned_too(tmp_path):
    workbook = write_workbook(
        tmp_path / "6月.xlsx",
        {
            "资金": [FUNDING_HEADER, [2020, 6, "芜湖\u200b市", "13", "就业创业促进", 10, 8, 5]],
            "考评": [SCORES_HEADER, [2020, 6, "县区", "\ufeff铜官区", 1.4, 0, None]],
        },
    )
    parsed = parse_file(workbook)
    assert [str(w) for w in parsed.warnings] == [
        "警告 6月.xlsx:资金:2:地区: 去掉了不可见字符 U+200B（零宽空格），按“芜湖市”导入",
        "警告 6月.xlsx:考评:2:对象名称: 去掉了不可见字符 U+FEFF（字节顺序标记 BOM），按“铜官区”导入",
    ]
    assert parsed.funding["region"].tolist() == ["芜湖市"]
    assert parsed.scores["unit"].tolist() == ["铜官区"]
    csv = write_csv(
        tmp_path / "6月进度.csv", [PROGRESS_HEADER, progress_row(region="芜湖\u2060市")]
    )
    assert [str(w) for w in parse_file(csv).warnings] == [
        "警告 6月进度.csv:进度:2:地区: 去掉了不可见字符 U+2060（零宽不换行空格），按“芜湖市”导入"
    ]


def test_two_spellings_of_one_name_in_a_file_are_one_key(tmp_path):
    """`东湖区` and `东湖\\u200b区` with the same indicator are the same row key twice."""
    path = progress_file(
        tmp_path / "6月.xlsx", progress_row(region="东湖区"), progress_row(region="东湖\u200b区")
    )
    assert [str(e) for e in parse_file(path).errors] == [
        "6月.xlsx:进度:3:-: 与第2行重复（年份、月份、地区、项目编号、指标名称相同）"
    ]


# --- look-alike names against the database ------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "column", "known"),
    [
        ("东湖 区", "地区", "东湖区"),
        ("东湖区。", "地区", "东湖区"),
        ("（东湖区）", "地区", "东湖区"),
        ("市人社局 ", None, None),  # trimmed: the same name, nothing to say
    ],
)
def test_a_new_region_that_looks_like_a_known_one_is_warned(tmp_path, new, column, known):
    db = tmp_path / "wh.duckdb"
    load_paths([progress_file(tmp_path / "5月.xlsx", progress_row(region="东湖区", month=5))], db)
    [result] = load_paths([progress_file(tmp_path / "6月.xlsx", progress_row(region=new))], db)
    expected = (
        [
            f"警告 6月.xlsx:进度:2:地区: 地区“{new}”在数据库中没有，与已有的“{known}”相似，请确认是否为同一个"
        ]
        if column
        else []
    )
    assert [str(w) for w in result.warnings if "相似" in w.message] == expected


def test_a_new_department_that_looks_like_a_known_one_is_warned(tmp_path):
    db = tmp_path / "wh.duckdb"
    load_paths([progress_file(tmp_path / "5月.xlsx", progress_row(month=5))], db)  # 市人社局
    six = progress_file(
        tmp_path / "6月.xlsx",
        progress_row(department="市人社局。", indicator="a"),
        progress_row(department="市教育局", indicator="b"),  # one edit from nothing known: fine
    )
    [result] = load_paths([six], db)
    assert [str(w) for w in result.warnings] == [
        "警告 6月.xlsx:进度:2:责任单位: 责任单位“市人社局。”在数据库中没有，与已有的“市人社局”相似，"
        "请确认是否为同一个"
    ]


def test_a_known_name_with_invisible_characters_is_shown_visibly(tmp_path, monkeypatch):
    """A name loaded before the cleaning existed (here: put in by hand) is spelled out."""
    db = tmp_path / "wh.duckdb"
    load_paths([progress_file(tmp_path / "5月.xlsx", progress_row(region="东湖区", month=5))], db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE progress_report SET region = '东湖' || chr(8203) || '区'")
    [result] = load_paths([progress_file(tmp_path / "6月.xlsx", progress_row(region="东湖区"))], db)
    assert [w.message for w in result.warnings] == [
        "地区“东湖区”在数据库中没有，与已有的“东湖<U+200B>区”相似，请确认是否为同一个"
    ]
