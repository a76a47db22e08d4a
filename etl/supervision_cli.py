"""`python -m etl supervise open|note|close|reopen|list …` (督办台账, data contract §5).

The same operations as the 督办 page, for a month's scripted routine. Messages are Chinese; a
refused operation prints ✘ and its reason, exits 1 and leaves the database as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from etl.writing.supervision import STATUSES, Outcome
from metrics.config import SUPERVISION_COLOURS as COLOURS

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应写作 YYYY-MM-DD（如 2025-05-31），收到“{text}”"
        ) from None


def month_argument(text: str) -> int:
    try:
        month = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应为 1–12，收到“{text}”") from None
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"月份应为 1–12，收到“{text}”")
    return month


def add_supervise_parser(commands, db_help: str) -> None:
    """The `supervise` command and its subcommands, added to etl.cli's parser."""
    from metrics.config import SEVERITY_LABELS

    supervise = commands.add_parser(
        "supervise", help="督办台账：下发督办、记录整改、销号、查看",
        description="督办台账：为滞后指标下发督办，记录整改情况，销号，列出督办事项。",
    )  # fmt: skip
    actions = supervise.add_subparsers(dest="action", metavar="操作",
                                       parser_class=type(supervise))  # fmt: skip

    def item_command(name: str, help_text: str, text_flag: str, text_help: str):
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("item_id", type=int, metavar="督办编号", help="督办事项的编号")
        sub.add_argument(text_flag, required=True, metavar="内容", help=text_help)
        sub.add_argument("--by", default="cli", metavar="操作人", help="记入督办记录的操作人")
        sub.add_argument("--db", metavar="数据库", help=db_help)

    opener = actions.add_parser("open", help="为某月的滞后指标下发督办",
                                description="为该月每个达到严重程度、尚无未销号督办的滞后指标下发督办。")  # fmt: skip
    opener.add_argument("--year", type=int, required=True, metavar="年")
    opener.add_argument("--month", type=month_argument, required=True, metavar="月")
    opener.add_argument("--min-severity", default="橙", choices=SEVERITY_LABELS,
                        metavar="黄|橙|红", help="最低严重程度（默认 橙）")  # fmt: skip
    opener.add_argument("--deadline", type=date_argument, metavar="YYYY-MM-DD",
                        help="整改期限（默认：该月的下一个月的最后一天）")  # fmt: skip
    opener.add_argument("--by", default="cli", metavar="操作人", help="记入督办记录的操作人")
    opener.add_argument("--db", metavar="数据库", help=db_help)
    item_command("note", "记录整改情况（待整改 → 整改中）", "--text", "整改情况")
    item_command("close", "销号（已销号）", "--note", "销号说明")
    item_command("reopen", "重新打开已销号的督办事项", "--note", "重新打开的原因")

    lister = actions.add_parser(
        "list", help="列出督办事项", description="列出督办事项及其三色状态。"
    )
    lister.add_argument("--year", type=int, metavar="年")
    lister.add_argument("--status", choices=STATUSES, metavar="状态",
                        help=f"只列出该状态（{'、'.join(STATUSES)}）")  # fmt: skip
    lister.add_argument("--as-of", type=date_argument, metavar="YYYY-MM-DD",
                        help="按该日期计算红、蓝、黄（默认今天）")  # fmt: skip
    lister.add_argument("--db", metavar="数据库", help=db_help)


def run(args) -> int:
    from etl.writing import supervision
    from warehouse.paths import resolve_db_path

    if args.action is None:
        print("参数错误：请指定操作：open、note、close、reopen 或 list。", file=sys.stderr)
        return EXIT_USAGE
    db_path = resolve_db_path(args.db)
    if not Path(db_path).exists():
        print(f"参数错误：数据库不存在：{db_path}", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "list":
        return _list(db_path, args)
    if args.action == "open":
        outcome = supervision.open_lagging(db_path, args.year, args.month, by=args.by,
                                           min_severity=args.min_severity,
                                           deadline=args.deadline)  # fmt: skip
    elif args.action == "note":
        outcome = supervision.add_note(db_path, args.item_id, args.text, by=args.by)
    elif args.action == "close":
        outcome = supervision.close_item(db_path, args.item_id, args.note, by=args.by)
    else:
        outcome = supervision.reopen_item(db_path, args.item_id, args.note, by=args.by)
    return _report(outcome)


def _report(outcome: Outcome) -> int:
    print(f"{'✔' if outcome.ok else '✘'} {outcome.message}")
    return EXIT_OK if outcome.ok else EXIT_REFUSED


def _list(db_path: Path, args) -> int:
    from etl.writing.db_write import named_queries
    from metrics.schema import read_only_connection

    queries = named_queries("supervision.sql")
    as_of = args.as_of or dt.date.today()
    con = read_only_connection(Path(db_path))
    try:
        if not con.execute(queries["has_ledger"]).fetchone()[0]:
            print("数据库中还没有督办事项。")
            return EXIT_OK
        con.execute("SET VARIABLE supervision_as_of = $day", {"day": as_of})
        cursor = con.execute(queries["list_items"], {"year": args.year, "status": args.status})
        names = [d[0] for d in cursor.description]
        items = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    for item in items:
        print(item_line(item))
    print(summary_line(items, as_of))
    return EXIT_OK


def gap_text(gap: float | None) -> str:
    if gap is None:
        return "—"
    points = round(-gap * 100, 1)
    return f"落后{points:.1f}个百分点" if points > 0 else f"达到序时进度（{-points:+.1f}个百分点）"


def item_line(item: dict) -> str:
    """One item as a line: 编号 1｜红｜待整改｜2025年4月｜乙县｜市人社局｜… ｜期限 2025-05-31｜原因：…"""
    unit = "｜".join(u or "—" for u in (item["region"], item["department"]))
    parts = [f"编号 {item['item_id']}", item["colour"] or "—", item["status"],
             f"{item['year']}年{item['month']}月", unit]  # fmt: skip
    if item["indicator"] is not None:
        parts.append(f"{item['project_name'] or item['project_code']}（{item['indicator']}）")
        parts.append(f"下发时{gap_text(item['gap_opened'])}")
        if item["latest_month"] is not None:
            parts.append(f"最新（{item['latest_month']}月）{gap_text(item['gap_latest'])}")
    else:
        parts.append("督查发现")
    parts.append(f"期限 {item['deadline']}")
    parts.append(f"原因：{item['reason']}")
    return "｜".join(parts)


def summary_line(items: list[dict], as_of: dt.date) -> str:
    by_status = "、".join(f"{s} {sum(i['status'] == s for i in items)}" for s in STATUSES)
    by_colour = "、".join(f"{c} {sum(i['colour'] == c for i in items)}" for c in COLOURS)
    return f"共 {len(items)} 项：{by_status}；未销号的按 {as_of} 计：{by_colour}"
