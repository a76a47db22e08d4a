"""Mutated report files for bench/fuzz_load.py: one demo file changed in one way.

`mutate(index, seed, demo_files, folder)` writes file number `index` of a run (the same file
for the same seed and index, so a case can be run again alone) and returns (path, kind).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from pathlib import Path

FORMULAS = (
    "=1+1", '=HYPERLINK("http://example.com","点击")', "+SUM(A1:A3)", "-2+3", "@SUM(1,2)",
    "cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", "+A1", "-A1*2", "@A1", "=-1", "+1+1", "-(1)",
    "=东湖区", '@HYPERLINK("http://x")', "-$B$2", "+Sheet1!A1",
)  # fmt: skip
NO_VALUES = ("—", "——", "无", "-", "/", "", "  ", "N/A", "…", "－", "— —")
LEGIT_TRICKY = ("12-1", "-5", "+5", "@市民生办", "A-1", "1-2-3", "（二期）", "3-12")
NUMBERS = (1e15, 9e307, 1e300, -1.0, 0.0, 1e-300, "1e999", "NaN", "inf", "1,000", "１２３", "50%",
           "-0", 2**63, 1e10 + 1, 123456789012.0)  # fmt: skip
JUNK = ("\u200b东湖区", "东湖\u202e区", "<b>x</b>", "'; DROP TABLE x;--", "合计", "填报人：张三",
        dt.datetime(2025, 12, 1), True, "\t", "年份", "😀", "\\x00")  # fmt: skip
SHEET_NAMES = ("其他", "进度2", "资金进度", "序时进度", "考评表", "progress", "Sheet1", "进度")
KINDS = (  # (kind, weight)
    ("cell", 36), ("header", 9), ("sheet", 9), ("zip", 14), ("bytes", 15), ("csv", 15),
    ("big_sheet", 2),
)  # fmt: skip


def mutate(index: int, seed: int, demo_files: list[Path], folder: Path) -> tuple[Path, str]:
    rng = random.Random(f"{seed}-{index}")
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    workbooks = [p for p in demo_files if p.suffix == ".xlsx"]
    source = rng.choice(workbooks)
    stem = f"{index:05d}_{kind}_{source.stem}"
    if kind == "csv":
        return _csv(rng, source, folder, stem), kind
    out = folder / f"{stem}.xlsx"
    try:
        if kind in ("cell", "header", "sheet"):
            _with_openpyxl(rng, kind, source, out)
        elif kind == "zip":
            out.write_bytes(_zip(rng, source.read_bytes()))
        elif kind == "bytes":
            out.write_bytes(_flip(rng, source.read_bytes()))
        else:
            out.write_bytes(_big_sheet(rng, source.read_bytes()))
    except Exception:  # noqa: BLE001 - openpyxl cannot make this one: flip bytes instead
        out.write_bytes(_flip(rng, source.read_bytes()))
        kind = "bytes"
    return out, kind


def cell_value(rng: random.Random):
    group = rng.choice((FORMULAS, NO_VALUES, LEGIT_TRICKY, NUMBERS, JUNK, "long"))
    if group == "long":
        return "区" * rng.randint(10_000, 32_767) if rng.random() < 0.7 else "项" * 201
    return rng.choice(group)


def _set(cell, value) -> None:
    if type(cell).__name__ == "MergedCell":
        return  # inside a merged range: only its first cell holds a value
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text as written, `=1+1` too: not a formula openpyxl would write


def _with_openpyxl(rng: random.Random, kind: str, source: Path, out: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(source)
    sheet = rng.choice(book.worksheets)
    header = next((r for r in range(1, 6) if sum(c.value is not None for c in sheet[r]) >= 4), 1)
    if kind == "cell":
        for _ in range(rng.choice((1, 1, 1, 2, 5))):
            row = rng.randint(header + 1, max(header + 1, sheet.max_row))
            column = rng.randint(1, max(1, sheet.max_column))
            _set(sheet.cell(row, column), cell_value(rng))
    elif kind == "header":
        column = rng.randint(1, max(1, sheet.max_column))
        cell = sheet.cell(header, column)
        others = [c.value for c in sheet[header] if c.value]
        choice = rng.choice(("delete", "rename", "duplicate", "unit", "fullwidth", "value"))
        if choice == "delete":
            cell.value = None
        elif choice == "rename":
            _set(cell, rng.choice(("地 区", "区域", "Region", "年度目标（亿元）", "备注", "")))
        elif choice == "duplicate" and others:
            _set(cell, rng.choice(others))
        elif choice == "unit":
            _set(cell, f"{cell.value or '计划投入'}{rng.choice(('(亿元)', '(美元)', '（元）'))}")
        elif choice == "fullwidth" and isinstance(cell.value, str):
            _set(cell, f"　{cell.value}　")
        else:
            _set(cell, cell_value(rng))
    else:
        choice = rng.choice(("rename", "delete", "copy", "hide", "empty", "move"))
        if choice == "rename":
            sheet.title = rng.choice([n for n in SHEET_NAMES if n not in book.sheetnames] or ["X"])
        elif choice == "delete":
            book.remove(sheet)
            if not book.worksheets:
                book.create_sheet("空白")
        elif choice == "copy":
            book.copy_worksheet(sheet)
        elif choice == "hide" and len(book.worksheets) > 1:
            sheet.sheet_state = rng.choice(("hidden", "veryHidden"))
        elif choice == "empty":
            book.create_sheet(rng.choice(("进度空表", "资金", "考评附表")))
        else:
            book.move_sheet(sheet, offset=-len(book.worksheets))
    book.save(out)


def _zip(rng: random.Random, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = [(info, source.read(info)) for info in source.infolist()]
    choice = rng.choice(("drop", "duplicate", "case", "garbage", "truncate", "stored",
                         "bad_xml", "empty", "nested", "huge_count"))  # fmt: skip
    if choice == "truncate":
        return data[: rng.randint(0, len(data) - 1)]
    if choice == "empty":
        return _empty_zip()
    target = rng.randrange(len(members))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for position, (info, content) in enumerate(members):
            name = info.filename
            compression = zipfile.ZIP_STORED if choice == "stored" else zipfile.ZIP_DEFLATED
            if position == target:
                if choice == "drop":
                    continue
                if choice == "case":
                    name = name.upper()
                if choice == "bad_xml":
                    content = content[: rng.randint(0, len(content))] + b'<c r="A1"><v>'
                if choice == "huge_count" and b"<sst" in content:
                    content = content.replace(b"<sst ", b'<sst uniqueCount="4000000000" ', 1)
            out.writestr(zipfile.ZipInfo(name, info.date_time), content, compression)
            if position == target and choice == "duplicate":
                out.writestr(zipfile.ZipInfo(name, info.date_time), content[: len(content) // 2])
        if choice == "garbage":
            out.writestr("xl/worksheets/sheet99.xml", bytes(rng.randrange(256) for _ in range(512)))
        if choice == "nested":
            out.writestr("xl/embeddings/inner.xlsx", data)
    return buffer.getvalue()


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        position = rng.randrange(len(out))
        choice = rng.random()
        if choice < 0.7:
            out[position] ^= 1 << rng.randrange(8)
        elif choice < 0.85:
            del out[position]
        else:
            out.insert(position, rng.randrange(256))
    return bytes(out)


def _big_sheet(rng: random.Random, data: bytes) -> bytes:
    """The first sheet replaced by one of 1.1 to 5 million number cells."""
    columns = 10
    rows = rng.randint(110_000, 500_000)
    letters = "ABCDEFGHIJ"
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
        for r in range(1, rows + 1)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[columns - 1]}{rows}"/><sheetData>{body}</sheetData></worksheet>'
    ).encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            out.writestr(info.filename, content)
    return buffer.getvalue()


def _csv(rng: random.Random, source: Path, folder: Path, stem: str) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    sheet = rng.choice(book.worksheets)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    kind = next((k for k in ("考评", "资金", "进度", "序时") if k in sheet.title), "进度")
    if rng.random() < 0.6 and len(rows) > 3:
        for _ in range(rng.choice((1, 1, 3))):
            row = rng.choice(rows[3:])
            if row:
                row[rng.randrange(len(row))] = cell_value(rng)
    text = io.StringIO()
    delimiter = rng.choice((",", ",", ",", "\t", ";"))
    csv.writer(text, delimiter=delimiter).writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    encoding = rng.choice(("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "big5", "latin-1"))
    data = text.getvalue().encode(encoding, errors="replace")
    if rng.random() < 0.2:
        data = _flip(rng, data)
    path = folder / f"{stem}_{kind}.csv"
    path.write_bytes(data)
    return path
