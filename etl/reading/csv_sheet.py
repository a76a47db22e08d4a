"""Reading a .csv report file: one sheet, its kind from the file name, its encoding guessed."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from etl.reading.guards import MAX_SHEET_CELLS, Limits, too_many_cells
from etl.reading.sheets import RawSheet, ReadError, sheet_kind


def read_csv(path: Path, max_cells: int = MAX_SHEET_CELLS) -> RawSheet:
    """A .csv file is one sheet; its kind comes from the file name. More than max_cells cells
    refuse it as they are counted (etl.reading.guards.MAX_SHEET_CELLS)."""
    kind = sheet_kind(path.stem)
    if kind is None:
        raise ReadError("无法判断表类型：CSV文件名中应包含进度、资金、考评或序时")
    text = decode_csv(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows, cells = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells += len(row)
            if cells > max_cells:
                raise ReadError(too_many_cells(kind.value, None, Limits(max_sheet_cells=max_cells)))
            rows.append(row)
    except csv.Error as exc:  # the csv module's reason is English: name the usual one in Chinese
        reason = (
            "有单元格内容过长" if "field limit" in str(exc) else "请用 Excel 重新另存为 CSV 后再试"
        )
        raise ReadError(f"无法读取：CSV格式有误（{reason}）") from None
    return RawSheet(kind.value, kind, rows)


def decode_csv(raw: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (covers GBK, what Excel on Chinese Windows writes)."""
    if raw.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ReadError("无法读取：文件编码无法识别（应为UTF-8或GBK/GB18030编码的CSV）")
