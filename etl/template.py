"""The blank monthly report workbook (填报模板) for counties and departments.

Header rows are exactly the data contract's column names, so a filled template loads as is;
drop-downs and number checks catch the commonest mistakes before the file is sent.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.model import CATEGORIES, UNIT_TYPES

MONTHS = [f"{m}月" for m in range(1, 13)]
# sheet → (title row, [(header, column width)]), headers as in data contract §1
SHEETS: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "进度": (
        "民生工程进度月报（截至本月底累计数）",
        [("年份", 8), ("月份", 8), ("地区", 12), ("项目编号", 10), ("项目名称", 28),
         ("指标名称", 30), ("年度目标", 12), ("累计完成", 12), ("计量单位", 10),
         ("责任单位", 16), ("类别", 12)],
    ),
    "资金": (
        "民生工程资金月报（截至本月底累计数，金额单位：万元）",
        [("年份", 8), ("月份", 8), ("地区", 12), ("项目编号", 10), ("项目名称", 28),
         ("计划投入", 14), ("到位资金", 14), ("拨付资金", 14)],
    ),
    "考评": (
        "民生工程月度考评（当月得分，不累计）",
        [("年份", 8), ("月份", 8), ("对象类型", 12), ("对象名称", 16), ("得分", 10),
         ("加扣分", 10), ("说明", 40)],
    ),
    "序时计划": (
        "民生工程序时计划（各月底应累计完成的百分比，如 50 表示 50%）",
        [("年份", 8), ("项目编号", 10), ("类别", 12)] + [(m, 7) for m in MONTHS],
    ),
}  # fmt: skip
INSTRUCTIONS = [
    "民生工程月报填报说明",
    "",
    "1. 所有数字都填“截至本月底的累计数”（年初到本月底），不要只填当月新增数。",
    "2. 金额一律以“万元”为单位（1亿元 = 10000万元），只填数字，不要写单位。",
    "3. 每张表第2行是表头，请勿修改、删除或调换表头；从第3行起每行填一条数据。",
    "4. 不要合并单元格，不要插入合计、小计行（看板会自动汇总）；不用的行留空即可。",
    "5. 月份填 1–12 的整数；类别、对象类型请从下拉列表中选择。",
    "6. 项目编号按文本填写，如 13、12-1（本模板已设为文本格式，Excel 不会改成日期）。",
    "7. 年度目标须大于0，累计完成、资金不能为负数；没有数据的单元格留空，不要填 0 代替。",
    "8. 地区名称请与往月保持一致（如“铜官区”，不要写成“铜官 区”或“铜官县”）。",
    "9. “考评”表填当月得分（不是累计分），加扣分为正数表示加分、负数表示扣分，并在“说明”中写明原因。",
    "10. “序时计划”表可选：每行一个项目（填项目编号）或一个类别（项目编号留空、填类别），"
    "1–12月填各月底应累计完成的百分比（0–100，逐月不减少）。",
    "11. 不需要的工作表（如考评、序时计划）可以留空；本说明页不会被导入。",
]
DATA_ROWS = 2000  # rows under the header that carry the checks
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_template(out: Path) -> Path:
    """Write the blank workbook to `out` (.xlsx) and return the path."""
    workbook = Workbook()
    _instructions(workbook.active)
    for name, (title, columns) in SHEETS.items():
        sheet = workbook.create_sheet(name)
        _header(sheet, title, columns)
        _validations(sheet, [header for header, _ in columns])
    workbook.save(out)
    return Path(out)


def _instructions(sheet: Worksheet) -> None:
    sheet.title = "填报说明"
    for row, text in enumerate(INSTRUCTIONS, start=1):
        sheet.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _header(sheet: Worksheet, title: str, columns: list[tuple[str, int]]) -> None:
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for index, (header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"  # title and header stay in view


def _validations(sheet: Worksheet, headers: list[str]) -> None:
    def cells(header: str) -> str:
        letter = get_column_letter(headers.index(header) + 1)
        return f"{letter}3:{letter}{DATA_ROWS + 2}"

    def add(validation: DataValidation, header: str, prompt: str) -> None:
        validation.error = prompt
        validation.errorTitle = "填写有误"
        validation.prompt = prompt
        validation.showErrorMessage = True
        validation.showInputMessage = True
        validation.add(cells(header))
        sheet.add_data_validation(validation)

    add(DataValidation(type="whole", operator="between", formula1="2000", formula2="2100"),
        "年份", "年份填四位整数，如 2020")  # fmt: skip
    if "月份" in headers:
        add(DataValidation(type="whole", operator="between", formula1="1", formula2="12"),
            "月份", "月份填 1–12 的整数")  # fmt: skip
    if "类别" in headers:
        add(DataValidation(type="list", formula1=_choices(CATEGORIES), allow_blank=True),
            "类别", "请从下拉列表选择类别")  # fmt: skip
    if "对象类型" in headers:
        add(DataValidation(type="list", formula1=_choices(UNIT_TYPES)),
            "对象类型", "请从下拉列表选择：县区 或 市直单位")  # fmt: skip
    for month in (m for m in MONTHS if m in headers):
        add(DataValidation(type="decimal", operator="between", formula1="0", formula2="100"),
            month, "填 0–100 的百分数，如 50 表示 50%")  # fmt: skip
    if "项目编号" in headers:  # text, so Excel keeps 12-1 instead of turning it into a date
        letter = get_column_letter(headers.index("项目编号") + 1)
        sheet.column_dimensions[letter].number_format = "@"


def _choices(values: tuple[str, ...]) -> str:
    return '"' + ",".join(values) + '"'
