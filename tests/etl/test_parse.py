"""parse_file on real files: every error kind located at its row and column, as a clerk reads it."""

import zipfile

import pytest

from etl.reading.parse import parse_file
from tests.etl.fixtures import (
    FUNDING_HEADER,
    PROGRESS_HEADER,
    SCORES_HEADER,
    SEED003_INDICATORS,
    build_seed003_workbook,
    progress_row,
    progress_workbook,
    write_workbook,
)


def messages(parsed) -> list[str]:
    return [str(finding) for finding in parsed.errors]


# One bad cell in row 3 of a 进度 sheet (title row 1, header row 2) → exactly this error line.
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (progress_row(month=13), "芜湖6月.xlsx:进度:3:月份: 月份应为1到12之间的整数，实际为“13”"),
        (progress_row(actual=-5), "芜湖6月.xlsx:进度:3:累计完成: 不能为负数"),
        (progress_row(target=0), "芜湖6月.xlsx:进度:3:年度目标: 应大于0，实际为“0”"),
        (progress_row(target="约50"), "芜湖6月.xlsx:进度:3:年度目标: “约50”不是数字"),
        (progress_row(target=""), "芜湖6月.xlsx:进度:3:年度目标: 必填，不能为空"),
        (
            progress_row(year=1999),
            "芜湖6月.xlsx:进度:3:年份: 年份应为2000到2100之间的整数，实际为“1999”",
        ),
        (progress_row(region="  "), "芜湖6月.xlsx:进度:3:地区: 必填，不能为空"),
        (
            progress_row(category="建设类"),
            "芜湖6月.xlsx:进度:3:类别: 未知类别“建设类”，应为工程类、补助类、参保服务类、培训类或其他",
        ),
    ],
)
def test_one_error_per_bad_cell(tmp_path, row, expected):
    path = progress_workbook(
        tmp_path / "芜湖6月.xlsx", [row], title="芜湖市2020年民生工程6月份进度表"
    )
    assert messages(parse_file(path)) == [expected]


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    rows = [
        progress_row(month=13),
        progress_row("15", actual=-1),
        progress_row("23", target="约50"),
    ]
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", rows))
    assert messages(parsed) == [
        "r.xlsx:进度:2:月份: 月份应为1到12之间的整数，实际为“13”",
        "r.xlsx:进度:3:累计完成: 不能为负数",
        "r.xlsx:进度:4:年度目标: “约50”不是数字",
    ]
    assert parsed.refused


def test_header_as_written_names_the_column(tmp_path):
    header = [h.replace("累计完成", "累计 完成") for h in PROGRESS_HEADER]
    path = write_workbook(tmp_path / "r.xlsx", {"进度": [header, progress_row(actual=-2)]})
    assert messages(parse_file(path)) == ["r.xlsx:进度:2:累计 完成: 不能为负数"]


def test_missing_required_column_is_one_error_listing_what_was_found(tmp_path):
    header = [h for h in PROGRESS_HEADER if h not in ("累计完成", "年度目标")]
    rows = [["芜湖市民生工程进度表"], header, ["2020", "6", "芜湖市", "13", "就业创业促进", "见习"]]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"6月进度": rows}))
    assert messages(parsed) == [
        "r.xlsx:6月进度:-:-: 缺少必需列：年度目标、累计完成；找到的列：年份、月份、地区、项目编号、"
        "项目名称、指标名称、计量单位、责任单位、类别"
    ]


def test_duplicate_keys_name_both_rows(tmp_path):
    rows = [progress_row(), progress_row("23", "免费婚前健康检查", 32000, 18252), progress_row()]
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", rows, title="进度表"))
    assert messages(parsed) == [
        "r.xlsx:进度:5:-: 与第3行重复（年份、月份、地区、项目编号、指标名称相同）"
    ]


def test_duplicates_across_two_sheets_of_one_kind(tmp_path):
    sheets = {
        "进度": [PROGRESS_HEADER, progress_row()],
        "进度(续)": [PROGRESS_HEADER, progress_row()],
    }
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", sheets))
    assert messages(parsed) == [
        "r.xlsx:进度(续):2:-: 与工作表“进度”第2行重复（年份、月份、地区、项目编号、指标名称相同）"
    ]


def test_two_sheets_of_one_kind_both_load(tmp_path):
    sheets = {
        "进度": [PROGRESS_HEADER, progress_row()],
        "进度(续)": [PROGRESS_HEADER, progress_row("23", "免费婚前健康检查", 32000, 18252)],
    }
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", sheets))
    assert parsed.errors == []
    assert list(parsed.progress["source_sheet"]) == ["进度", "进度(续)"]


def test_findings_and_rows_follow_the_workbook_order_whichever_sheet_is_read_first(tmp_path):
    # the small second sheets are read and checked while the large first one is still being read
    big = [progress_row(indicator=f"指标{i}") for i in range(3000)]
    big[-1] = progress_row(indicator="末行", actual=-1)
    sheets = {
        "进度": [PROGRESS_HEADER, *big],
        "资金": [FUNDING_HEADER, [2020, 6, "芜湖市", "13", "就业创业促进", -1, 80, 60]],
        "进度(续)": [PROGRESS_HEADER, progress_row(indicator="续表", target=0)],
    }
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", sheets))
    assert messages(parsed) == [
        "r.xlsx:进度:3001:累计完成: 不能为负数",
        "r.xlsx:资金:2:计划投入: 不能为负数",
        "r.xlsx:进度(续):2:年度目标: 应大于0，实际为“0”",
    ]
    assert parsed.progress["indicator"].tolist()[-2:] == ["末行", "续表"]
    assert parsed.progress["source_sheet"].tolist()[-2:] == ["进度", "进度(续)"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some text", "无法读取：不是有效的Excel工作簿（文件可能已损坏，或不是.xlsx格式）"),
        (b"PK\x03\x04broken", "无法读取：不是有效的Excel工作簿（文件可能已损坏，或不是.xlsx格式）"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "无法读取：文件已加密或是旧版.xls格式，请取消密码并另存为.xlsx工作簿",
        ),
    ],
)
def test_not_a_workbook_is_one_error_naming_the_file(tmp_path, content, expected):
    path = tmp_path / "芜湖6月.xlsx"
    path.write_bytes(content)
    assert messages(parse_file(path)) == [f"芜湖6月.xlsx:-:-:-: {expected}"]


def test_zip_without_workbook_parts(tmp_path):
    import zipfile

    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    [error] = messages(parse_file(path))
    assert error.startswith("r.xlsx:-:-:-: 无法读取")


def test_display_name_and_hash(tmp_path):
    path = build_seed003_workbook(tmp_path / "upload-123.xlsx")
    parsed = parse_file(path, display_name="芜湖6月.xlsx")
    assert parsed.name == "芜湖6月.xlsx" and len(parsed.sha256) == 64
    assert parse_file(path).sha256 == parsed.sha256


def test_no_recognised_sheet(tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", {"Sheet1": [PROGRESS_HEADER], "说明": [["x"]]})
    parsed = parse_file(path)
    assert messages(parsed) == [
        "r.xlsx:-:-:-: 没有可识别的工作表：工作表名称中应包含进度、资金、考评或序时"
    ]


def test_other_sheets_ignored_with_a_notice(tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", {"填表说明": [["x"]], "进度": [PROGRESS_HEADER]})
    parsed = parse_file(path)
    assert parsed.errors == []
    assert "已忽略工作表“填表说明”（名称中没有进度、资金、考评或序时）" in parsed.notices


def test_seed003_golden(tmp_path):
    parsed = parse_file(build_seed003_workbook(tmp_path / "芜湖6月.xlsx"))
    assert parsed.errors == []
    assert [str(w) for w in parsed.warnings] == [  # 幼儿教师培训 499 / 159 = 313.84%
        "警告 芜湖6月.xlsx:进度:14:累计完成: 完成率314%超过300%，请核实年度目标和累计完成"
    ]
    assert parsed.notices == ["进度：已跳过1个合计/小计/总计行（第16行）"]
    frame = parsed.progress
    assert len(frame) == len(SEED003_INDICATORS) == 13
    assert list(frame["source_row"]) == list(range(3, 16))
    by_indicator = frame.set_index("indicator")
    assert by_indicator.loc["公益性岗位开发", ["target", "actual"]].tolist() == [2800, 2608]
    assert by_indicator.loc["就业见习", ["target", "actual"]].tolist() == [1171, 569]
    assert by_indicator.loc["免费婚前健康检查", ["target", "actual"]].tolist() == [32000, 18252]
    assert by_indicator.loc["技能脱贫培训", ["project_code", "actual"]].tolist() == ["15", 567]
    assert by_indicator.loc["公办幼儿园开工", "category"] == "工程类"
    assert by_indicator.loc["农村公路扩面延伸工程完工", "actual"] == pytest.approx(1092.463)
    assert set(frame["region"]) == {"芜湖市"}
    assert (frame["year"].tolist(), frame["month"].unique().tolist()) == ([2020] * 13, [6])
    rates = (frame["actual"] / frame["target"]).round(4)
    assert rates[frame["indicator"] == "就业见习"].item() == 0.4859


def test_funding_units_scaled_into_wan_yuan(tmp_path):
    header = [*FUNDING_HEADER[:5], "计划投入（亿元）", "到位资金(元)", "拨付资金（千元）"]
    row = [2020, 6, "芜湖市", "31", "城镇老旧小区改造", 3.956, 132_330_000, 1_000_000]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"资金": [header, row]}))
    assert parsed.errors == []
    assert parsed.funding.loc[0, ["budget", "arrived", "disbursed"]].tolist() == pytest.approx(
        [39560.0, 13233.0, 100000.0]
    )
    assert [str(w) for w in parsed.warnings] == [
        "警告 r.xlsx:资金:2:拨付资金（千元）: 拨付资金（100000万元）高于到位资金（13233万元）"
    ]


def test_unknown_money_unit_names_the_header(tmp_path):
    header = [*FUNDING_HEADER[:5], "计划投入(美元)", "到位资金", "拨付资金"]
    row = [2020, 6, "芜湖市", "31", "城镇老旧小区改造", 1, 1, 1]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"资金": [header, row]}))
    assert messages(parsed) == [
        "r.xlsx:资金:1:计划投入(美元): 无法识别的金额单位“美元”，应为元、千元、万元或亿元"
    ]


def test_negative_money(tmp_path):
    row = [2020, 6, "芜湖市", "31", "城镇老旧小区改造", 100, -3, 0]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"资金进度": [FUNDING_HEADER, row]}))
    assert messages(parsed) == ["r.xlsx:资金进度:2:到位资金: 不能为负数"]


def test_completion_above_300_percent_warns(tmp_path):
    row = progress_row("19", "困难职工生活救助", 43, 357, unit="户")
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", [row]))
    assert parsed.errors == []
    assert [str(w) for w in parsed.warnings] == [
        "警告 r.xlsx:进度:2:累计完成: 完成率830%超过300%，请核实年度目标和累计完成"
    ]


def test_scores_sheet(tmp_path):
    rows = [
        SCORES_HEADER,
        [2020, 9, "县区", "铜官区", 1.35, 0.05, "信息被省民生工程网站采用"],
        [2020, 9, "市直单位", "市交通局", 1.4, None, None],
        [2020, 9, "乡镇", "某镇", 1.2, "", ""],
    ]
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"9月考评": rows}))
    assert messages(parsed) == ["r.xlsx:9月考评:4:对象类型: 未知对象类型“乡镇”，应为县区或市直单位"]
    assert parsed.scores["adjustment"].tolist() == [0.05, 0.0, 0.0]
    assert parsed.scores["unit"].tolist() == ["铜官区", "市交通局", "某镇"]


def test_no_value_marks_in_a_required_cell(tmp_path):
    parsed = parse_file(progress_workbook(tmp_path / "r.xlsx", [progress_row(actual="—")]))
    assert messages(parsed) == ["r.xlsx:进度:2:累计完成: 必填，“—”表示无数值，请填写实际数值"]


def test_empty_sheet_is_skipped_with_a_notice(tmp_path):
    sheets = {"进度": [PROGRESS_HEADER, progress_row()], "考评": [[None], []]}
    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", sheets))
    assert parsed.errors == [] and len(parsed.progress) == 1 and parsed.scores.empty
    assert "工作表“考评”是空表，已跳过" in parsed.notices


def test_header_only_sheet_gives_empty_frames_with_canonical_columns(tmp_path):
    from etl.model import FUNDING_COLUMNS, SOURCE_COLUMNS

    parsed = parse_file(write_workbook(tmp_path / "r.xlsx", {"资金": [FUNDING_HEADER]}))
    assert parsed.errors == [] and parsed.funding.empty
    assert list(parsed.funding.columns) == FUNDING_COLUMNS + SOURCE_COLUMNS


def test_number_written_out_of_range_in_the_sheet_is_an_error(tmp_path):
    """A number cell whose XML says 1e999 (no spreadsheet program writes it; a forged file
    does) reads as infinity: refused at its cell instead of loaded as a target of ∞."""
    rows = [PROGRESS_HEADER, progress_row(indicator="a"), progress_row(indicator="b", target=77)]
    path = write_workbook(tmp_path / "r.xlsx", {"进度": rows})
    forged = tmp_path / "forged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>77</v>", b"<v>1e999</v>")
            target.writestr(info.filename, data)
    parsed = parse_file(forged)
    assert [str(e) for e in parsed.errors] == [
        "forged.xlsx:进度:3:年度目标: “inf”不是有效的数字（超出范围）"
    ]


def test_two_sheets_of_one_name_with_the_same_rows_are_duplicates(tmp_path):
    """Excel never writes two sheets of one name, but a file can: its rows are still the same
    keys twice, and the second sheet's rows are named as duplicates."""
    rows = [PROGRESS_HEADER, progress_row(indicator="a"), progress_row(indicator="b")]
    path = write_workbook(tmp_path / "r.xlsx", {"进度": rows, "进度2": rows})
    twin = tmp_path / "twin.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(twin, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace('"进度2"'.encode(), '"进度"'.encode())
            target.writestr(info, data)
    assert [str(e) for e in parse_file(twin).errors] == [
        "twin.xlsx:进度:2:-: 与另一张同名工作表“进度”第2行重复（年份、月份、地区、项目编号、指标名称相同）",
        "twin.xlsx:进度:3:-: 与另一张同名工作表“进度”第3行重复（年份、月份、地区、项目编号、指标名称相同）",
    ]
