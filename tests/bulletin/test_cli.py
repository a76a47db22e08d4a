"""`python -m bulletin`: files written, Chinese messages, no traceback for a missing db or month."""

from __future__ import annotations

import subprocess
import sys

import docx
import pytest

from bulletin.__main__ import main
from charts.png import browser_available, png_dimensions
from tests.bulletin.bulletin_db import REPO_ROOT


def test_writes_docx_and_markdown_beside_it(warehouse_path, tmp_path, capsys):
    out = tmp_path / "通报" / "2020-09.docx"
    argv = ["--year", "2020", "--month", "9", "--db", str(warehouse_path), "--date", "2020-10-16"]
    assert main([*argv, str(out)]) == 0
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "民生办〔2020〕9号"  # 文号 first, the month by default
    assert "9月份民生工程月度考评情况通报" in [p.text for p in document.paragraphs]
    assert "2020年10月16日" in [p.text for p in document.paragraphs]
    markdown = (tmp_path / "通报" / "2020-09.md").read_text(encoding="utf-8")
    assert "| 义安区 | 1.498 | 1 | 13.715 | 1 |" in markdown
    assert "已生成2020年9月份通报" in capsys.readouterr().out


def test_md_name_writes_markdown_only(warehouse_path, tmp_path):
    out = tmp_path / "2020-08.md"
    assert main(["--year", "2020", "--month", "8", "--db", str(warehouse_path), str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# 8月份民生工程月度考评情况通报")
    assert list(tmp_path.iterdir()) == [out]


def test_month_without_data_names_the_loaded_months(warehouse_path, tmp_path, capsys):
    out = tmp_path / "x.docx"
    assert main(["--year", "2021", "--month", "3", "--db", str(warehouse_path), str(out)]) == 1
    err = capsys.readouterr().err
    assert "错误：2021年3月没有已导入的进度或考评数据。已有数据的月份：2020年1月" in err
    assert "2020年9月。" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2020", "--month", "13"], "参数错误："),
        (["--year", "2020", "--month", "9", "--date", "2020-13-01"], "日期应为 YYYY-MM-DD"),
        (["--month", "9"], "参数错误："),
    ],
)
def test_bad_arguments_are_chinese_messages(warehouse_path, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--db", str(warehouse_path), str(tmp_path / "x.docx")])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_database_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "--year", "2020", "--month", "9",
         "--db", str(tmp_path / "无.duckdb"), str(tmp_path / "x.docx")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "未找到数据库文件" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_database_is_a_message(tmp_path, capsys):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("不是数据库", encoding="utf-8")
    assert main(["--year", "2020", "--month", "9", "--db", str(bad), str(tmp_path / "x.docx")]) == 2
    assert "不是 DuckDB 数据库文件" in capsys.readouterr().err


@pytest.mark.skipif(not browser_available(), reason="no chromium for kaleido")
def test_chart_flag_embeds_the_county_chart(warehouse_path, tmp_path):
    out = tmp_path / "2020-09.docx"
    argv = ["--year", "2020", "--month", "9", "--db", str(warehouse_path), "--chart", str(out)]
    assert main(argv) == 0
    assert len(docx.Document(str(out)).inline_shapes) == 1
    png = (tmp_path / "2020-09-县区进度.png").read_bytes()
    assert png_dimensions(png) == (1800, 1000)
    assert "![各县区完成率与序时进度](2020-09-县区进度.png)" in out.with_suffix(".md").read_text(
        encoding="utf-8"
    )
