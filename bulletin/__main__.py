"""`python -m bulletin --year 2025 --month 9 [--db X] [--date 2025-10-16] [--number 9] [--chart] OUT.docx`

Writes the month's 通报 as OUT.docx and the same text as OUT.md beside it (OUT.md alone when OUT
ends in .md). Messages are Chinese; a missing database or an empty month is a message, not a
traceback. The 文号 prefix, 红头 and 抄送/印发 come from `[minsheng.bulletin]` in
.streamlit/secrets.toml of the current directory or MINSHENG_BULLETIN_* (bulletin.form).
Exit codes: 0 written, 1 no data for the month, 2 bad arguments or unreadable database.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

from bulletin.content import NoDataForMonth
from bulletin.form import read_form, secrets_file_section
from bulletin.render import RenderedBulletin, render_bulletin
from metrics.db import Warehouse, WarehouseUnavailable
from metrics.periods import available_periods
from warehouse.argparse_zh import ChineseArgumentParser
from warehouse.paths import db_path_problem, resolve_db_path

DEBUG_ENV = "MINSHENG_DEBUG"


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，例如 2025-10-16：{text}") from exc


PROG = "python -m bulletin"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog=prog,
        description="生成民生工程月度考评情况通报（.docx 与 Markdown）。",
    )
    parser.add_argument(
        "out",
        type=Path,
        metavar="输出文件",
        help="输出文件，如 通报-2025-09.docx（以 .md 结尾则只写 Markdown）",
    )
    parser.add_argument("--year", type=int, required=True, metavar="年", help="年份，如 2025")
    parser.add_argument("--month", type=int, required=True, choices=range(1, 13), metavar="月",
                        help="月份，1 到 12")  # fmt: skip
    parser.add_argument(
        "--db",
        metavar="数据库",
        help="数据库文件（默认：环境变量 MINSHENG_DB，否则项目目录下的 data/minsheng.duckdb）",
    )
    parser.add_argument("--date", type=_parse_date, default=None, metavar="日期",
                        help="落款日期 YYYY-MM-DD（默认为通报的惯常日期：次月10日）")  # fmt: skip
    parser.add_argument("--number", type=int, default=None, metavar="号",
                        help="文号中的序号（默认为月份，即当年第几期通报）")  # fmt: skip
    parser.add_argument("--chart", action="store_true",
                        help="在通报中插入“各县区完成率与序时进度”图（需要 Chromium）")  # fmt: skip
    return parser


def _periods_text(wh: Warehouse) -> str:
    try:
        periods = available_periods(wh)
    except WarehouseUnavailable:
        return ""
    if periods.empty:
        return "数据库中还没有任何月份的数据。"
    months = [f"{int(r.year)}年{int(r.month)}月" for r in periods.itertuples()]
    return "已有数据的月份：" + "、".join(months) + "。"


def main(argv: list[str] | None = None, *, prog: str = PROG) -> int:
    """The command line; `prog` names it in usage lines (`python -m etl bulletin` is an alias).
    Never a traceback unless MINSHENG_DEBUG is set: a failure is one Chinese sentence."""
    args = build_parser(prog).parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("已中断，未生成通报。", file=sys.stderr)
        return 1
    except Exception:
        if os.environ.get(DEBUG_ENV, "").strip():
            raise
        print(f"错误：生成通报时出错，未生成通报（设置环境变量 {DEBUG_ENV}=1 后重试可看到技术细节）。",
              file=sys.stderr)  # fmt: skip
        return 1


def _run(args: argparse.Namespace) -> int:
    db_path = resolve_db_path(args.db)
    problem = db_path_problem(db_path)
    if problem is not None:
        print(f"错误：{problem}", file=sys.stderr)
        return 2
    wh = Warehouse(db_path)
    if not wh.exists():
        print(f"错误：未找到数据库文件 {db_path}。请先导入月报（python -m etl load 文件…）"
              "或用 --db 指定数据库。", file=sys.stderr)  # fmt: skip
        return 2
    out: Path = args.out
    chart_path = out.with_name(out.stem + "-县区进度.png")
    form = read_form(secrets_file_section(Path(".streamlit/secrets.toml")), os.environ)
    form = dataclasses.replace(form, number=args.number)
    try:
        rendered = render_bulletin(wh, args.year, args.month, args.date, with_chart=args.chart,
                                   chart_file=chart_path.name, form=form)  # fmt: skip
    except NoDataForMonth:
        print(f"错误：{args.year}年{args.month}月没有已导入的进度或考评数据。{_periods_text(wh)}",
              file=sys.stderr)  # fmt: skip
        return 1
    except WarehouseUnavailable as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    for note in rendered.notes:
        print(f"提示：{note}", file=sys.stderr)
    try:
        written = _write_outputs(out, rendered, chart_path)
    except OSError as exc:
        print(f"错误：无法写入 {out}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"已生成{args.year}年{args.month}月份通报：" + "、".join(str(p) for p in written))
    return 0


def _write_outputs(out: Path, rendered: RenderedBulletin, chart_path: Path) -> list[Path]:
    """OUT.docx and OUT.md beside it (OUT.md alone for a .md name), plus the chart PNG if any."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if rendered.chart_png is not None:
        chart_path.write_bytes(rendered.chart_png)
        written.append(chart_path)
    if out.suffix.lower() != ".md":
        out.write_bytes(rendered.docx)
        written.append(out)
    md_path = out if out.suffix.lower() == ".md" else out.with_suffix(".md")
    md_path.write_text(rendered.markdown, encoding="utf-8")
    written.append(md_path)
    return written


if __name__ == "__main__":
    sys.exit(main())
