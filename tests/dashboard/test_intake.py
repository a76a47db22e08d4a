"""Upload intake of the 数据管理 page: type by content, size caps, names (dashboard.intake)."""

from __future__ import annotations

import io
import stat
import zipfile

import openpyxl
import pytest

from dashboard import intake
from dashboard.intake import IntakeLimits, screen_uploads


def workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "进度"
    book.active.append(["年份", "月份", "地区"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


XLSX = workbook_bytes()
CSV_TEXT = "年份,月份,地区\n2026,6,铜官区\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (XLSX, "xlsx"),
        (CSV_TEXT.encode("utf-8"), "csv"),
        (CSV_TEXT.encode("utf-8-sig"), "csv"),
        (CSV_TEXT.encode("gb18030"), "csv"),
        ("年份\t月份\r\n2026\t6\r\n".encode("gbk"), "csv"),
        # a zip that is not a workbook (e.g. a .docx or a plain archive)
        (zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), None),
        (zip_bytes({"readme.txt": b"hi"}), None),
        (b"PK\x03\x04 truncated zip", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", None),  # old binary .xls
        (b"abc\x00def", None),
        (b"abc\x07def", None),
        (b"", None),
        (b"   \n", None),
        (b"\xff\xfe\x00\x00garbage", None),
    ],
)
def test_sniff_kind_by_content(data, kind):
    assert intake.sniff_kind(data) == kind


LIMITS = IntakeLimits(max_file_bytes=1000, max_batch_bytes=2500)


def refusals(files, limits=LIMITS) -> dict[str, str]:
    accepted, refused = screen_uploads(files, limits)
    return {f.file: f.message for f in refused}


@pytest.mark.parametrize(
    ("name", "data", "message_part"),
    [
        ("芜湖6月.xlsx", CSV_TEXT.encode(), "文件内容不是Excel 工作簿（.xlsx）（实际为CSV 文本文件）"),
        ("芜湖6月.xlsx", b"just some text", "实际为CSV 文本文件"),
        ("铜官区进度.csv", b"\x00\x01\x02binary", "文件内容不是CSV 文本文件（实际为无法识别的内容）"),
        ("铜官区进度.csv", XLSX[:900], "实际为无法识别的内容"),
        ("芜湖6月.xls", b"a,b\n", "只接收 .xlsx 工作簿或 .csv 文件"),
        ("报表.exe", b"MZ\x90\x00", "只接收"),
    ],
)  # fmt: skip
def test_wrong_content_is_refused_with_a_reason(name, data, message_part):
    assert message_part in refusals([(name, data)], IntakeLimits())[name]


def test_csv_named_xlsx_content_is_refused():
    name = "铜官区进度.csv"
    assert "实际为Excel 工作簿（.xlsx）" in refusals([(name, XLSX)], IntakeLimits())[name]


def test_good_files_pass_with_their_kind():
    accepted, refused = screen_uploads(
        [("芜湖6月.xlsx", XLSX), ("铜官区进度.csv", CSV_TEXT.encode("gb18030"))], IntakeLimits()
    )
    assert refused == []
    assert [(u.name, u.kind) for u in accepted] == [
        ("芜湖6月.xlsx", "xlsx"),
        ("铜官区进度.csv", "csv"),
    ]


def csv_of_size(size: int) -> bytes:
    line = b"2026,6,region\n"
    return (line * (size // len(line) + 1))[:size]


def test_file_over_the_cap_is_refused_and_one_at_the_cap_passes():
    got = refusals([("a进度.csv", csv_of_size(1000)), ("b进度.csv", csv_of_size(1001))])
    assert list(got) == ["b进度.csv"]
    assert "超过单个文件上限" in got["b进度.csv"]


def test_batch_cap_refuses_files_past_it_in_upload_order():
    files = [(f"{i}进度.csv", csv_of_size(900)) for i in range(4)]
    accepted, refused = screen_uploads(files, LIMITS)
    assert [u.name for u in accepted] == ["0进度.csv", "1进度.csv"]
    assert [f.file for f in refused] == ["2进度.csv", "3进度.csv"]
    assert all("本批文件合计超过上限" in f.message for f in refused)


def test_same_name_twice_keeps_the_first():
    accepted, refused = screen_uploads(
        [("a进度.csv", b"x,y\n1,2\n"), ("A进度.CSV", b"x,y\n3,4\n")], LIMITS
    )
    assert [u.data for u in accepted] == [b"x,y\n1,2\n"]
    assert "同名文件" in refused[0].message


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("芜湖6月.xlsx", "芜湖6月.xlsx"),
        ("../../etc/进度.csv", "进度.csv"),
        ("C:\\Users\\clerk\\进度.csv", "进度.csv"),
        ("  铜官区.csv ", "铜官区.csv"),
        ("..", None),
        (".hidden.csv", None),
        ("", None),
        ("a\x00.csv", None),
        ("长" * 80 + ".csv", None),
    ],
)
def test_safe_file_name(raw, safe):
    assert intake.safe_file_name(raw) == safe


@pytest.mark.parametrize(
    ("secrets_map", "environ", "expected_mb"),
    [
        ({}, {}, (20, 100)),
        ({"max_file_mb": 5, "max_batch_mb": 30}, {}, (5, 30)),
        ({}, {"MINSHENG_MAX_FILE_MB": "2", "MINSHENG_MAX_BATCH_MB": "8"}, (2, 8)),
        ({"max_file_mb": 5}, {"MINSHENG_MAX_FILE_MB": "2"}, (5, 100)),
        ({"max_file_mb": "many"}, {"MINSHENG_MAX_BATCH_MB": "-1"}, (20, 100)),
    ],
)
def test_read_limits(secrets_map, environ, expected_mb):
    limits = intake.read_limits(secrets_map, environ)
    assert (limits.max_file_bytes / intake.MB, limits.max_batch_bytes / intake.MB) == expected_mb


def test_stage_writes_private_files_under_their_own_names():
    accepted, _ = screen_uploads([("芜湖6月.xlsx", XLSX)], IntakeLimits())
    folder, paths = intake.stage_uploads(accepted)
    try:
        assert [p.name for p in paths] == ["芜湖6月.xlsx"]
        assert paths[0].read_bytes() == XLSX
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600
    finally:
        intake.discard_stage(folder)
    assert not folder.exists()


def test_stage_removes_its_folder_when_writing_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(intake.tempfile, "tempdir", str(tmp_path))
    upload = intake.Upload("芜湖6月.xlsx", XLSX, "xlsx")
    with pytest.raises(FileExistsError):  # the second file cannot be created under the same name
        intake.stage_uploads([upload, upload])
    assert list(tmp_path.iterdir()) == []
