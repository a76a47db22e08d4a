"""A warehouse whose every text field holds Markdown and HTML payloads, loaded by the real loader.

Each payload carries a tag naming the field it sits in (r1 = region 1, n2 = project name 2 …), and
every link or image it would make points at `evil.example` or uses `javascript:`. A page that
renders any of them as Markdown or HTML shows an `<a>` or `<img>` the product did not create;
the browser test (tests/browser/test_markup_injection.py) looks for exactly that.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

EVIL_HOST = "evil.example"

# One template per way text could become a link, an image, a heading or emphasis.
TEMPLATES = (
    "[点此核对{tag}](https://evil.example/{tag})",
    "![图{tag}](http://evil.example/{tag}.png)",
    "[脚本{tag}](javascript:alert('{tag}'))",
    '<a href="https://evil.example/{tag}">网页{tag}</a>',
    '<img src="https://evil.example/{tag}.png" onerror="alert(1)">',
    "# 标题{tag}",
    "**粗体{tag}**",
    "https://evil.example/{tag}",
    "www.evil.example/{tag}",
    "x{tag}@evil.example",
    ":red[红字{tag}] :material/home:",
)
HEADINGS = tuple(f"标题{p}" for p in "rdnicuo")  # what a rendered "# 标题…" would put in an <h1>
BOLD = tuple(f"粗体{p}" for p in "rdnicuo")


def payloads(prefix: str) -> list[str]:
    """Every template, tagged `prefix` plus its position: distinct values for one field."""
    return [t.format(tag=f"{prefix}{i}") for i, t in enumerate(TEMPLATES)]


REGIONS = payloads("r")
DEPARTMENTS = payloads("d")
PROJECT_NAMES = payloads("n")
INDICATORS = payloads("i")
CODES = payloads("c")
UNITS = payloads("u")
NOTES = payloads("o")
YEAR = 2025
MONTHS = (5, 6)
# (target, actual by month): ahead, yellow, orange and red by June, so every list has rows.
ACTUALS = ((100, {5: 45, 6: 60}), (100, {5: 35, 6: 45}), (100, {5: 20, 6: 30}), (100, {5: 5, 6: 8}))
# Workbook name: the load log and 数据管理 show it. No "/" is possible in a file name.
BY = "[签名](https://evil.example/by)"  # who loaded the file and wrote the 督办 notes
FILE_NAME = "[文件](https:evil.example) <img src=x onerror=alert(1)>.xlsx"


def _progress_rows() -> list[list[object]]:
    rows = []
    for month in MONTHS:
        for r, region in enumerate(REGIONS):
            for p, code in enumerate(CODES):
                target, actual = ACTUALS[(r + p) % len(ACTUALS)]
                department = DEPARTMENTS[p]
                rows.append([YEAR, month, region, code, PROJECT_NAMES[p], INDICATORS[p], target,
                             actual[month], UNITS[p], department, "其他"])  # fmt: skip
    return rows


def _funding_rows() -> list[list[object]]:
    return [
        [YEAR, month, region, code, PROJECT_NAMES[p], 1000, 400 + 10 * p, 150 + 5 * r]
        for month in MONTHS
        for r, region in enumerate(REGIONS)
        for p, code in enumerate(CODES)
    ]


def _score_rows() -> list[list[object]]:
    rows = []
    for month in MONTHS:
        for kind, names in (("县区", REGIONS), ("市直单位", DEPARTMENTS)):
            for n, name in enumerate(names):
                adjustment = 0.05 if n % 2 == 0 else -0.05
                rows.append([YEAR, month, kind, name, 1.4 + n / 100 + adjustment, adjustment,
                             NOTES[n]])  # fmt: skip
    return rows


def _schedule_rows() -> list[list[object]]:
    # Only some codes get a plan of their own; the others fall back to month/12.
    return [
        [YEAR, code, None, *[round(m * 100 / 12, 1) for m in range(1, 13)]] for code in CODES[:3]
    ]


def write_workbook(folder: Path) -> Path:
    """The payload report as one workbook of all four sheet kinds."""
    book = Workbook()
    sheets = (
        ("进度", ["年份", "月份", "地区", "项目编号", "项目名称", "指标名称", "年度目标",
                "累计完成", "计量单位", "责任单位", "类别"], _progress_rows()),
        ("资金", ["年份", "月份", "地区", "项目编号", "项目名称", "计划投入", "到位资金",
                "拨付资金"], _funding_rows()),
        ("考评", ["年份", "月份", "对象类型", "对象名称", "得分", "加扣分", "说明"], _score_rows()),
        ("序时计划", ["年份", "项目编号", "类别", *[f"{m}月" for m in range(1, 13)]],
         _schedule_rows()),
    )  # fmt: skip
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    path = folder / FILE_NAME
    book.save(path)
    return path


def build_payload_database(db_path: Path) -> Path:
    """Load the payload workbook through the loader, as a clerk's upload would."""
    from etl.writing.warehouse import load_paths

    db_path.parent.mkdir(parents=True, exist_ok=True)
    source = write_workbook(db_path.parent)
    results = load_paths([source], db_path, loaded_by=BY)
    refused = [line for r in results if r.refused for line in r.lines()]
    assert not refused, refused
    _supervise(db_path)
    return db_path


def _supervise(db_path: Path) -> None:
    """督办 items whose reasons, notes and signatures are payloads too (typed by users)."""
    from etl.writing import supervision

    opened = supervision.open_lagging(db_path, YEAR, MONTHS[-1], min_severity="黄", by=BY)
    assert opened.ok, opened.message
    for i, item_id in enumerate(opened.item_ids[: len(NOTES)]):
        assert supervision.add_note(db_path, item_id, NOTES[i], by=BY).ok
    for region, department, reason in zip(REGIONS, DEPARTMENTS, NOTES, strict=True):
        if max(len(region), len(department)) > 40:  # a manual item names a unit in 40 characters
            continue
        manual = supervision.open_manual(
            db_path, YEAR, MONTHS[-1], reason=reason, region=region, department=department, by=BY
        )
        assert manual.ok, manual.message
