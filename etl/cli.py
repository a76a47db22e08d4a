"""Command line of the loader: `python -m etl load|check|template|demo|undo …` (命令行)."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from warehouse.argparse_zh import ChineseArgumentParser

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
DEBUG_ENV = "MINSHENG_DEBUG"  # set (e.g. =1) to print the technical details to stderr
BULLETIN_USAGE = "bulletin --year 年 --month 月 输出.docx [--db 数据库] [--date 日期] [--chart]"

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="python -m etl",
        description="民生工程月报导入工具：检查、导入月报文件，生成空白填报模板。",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="命令", parser_class=ChineseArgumentParser
    )
    db_help = "数据库文件（默认：环境变量 MINSHENG_DB，否则项目目录下的 data/minsheng.duckdb）"

    load = commands.add_parser("load", help="导入月报文件或文件夹",
                               description="导入 .xlsx/.csv 月报；文件夹按文件名顺序递归导入。")  # fmt: skip
    load.add_argument("paths", nargs="+", metavar="路径", help="月报文件或文件夹")
    load.add_argument("--db", metavar="数据库", help=db_help)
    load.add_argument("--by", default="cli", metavar="导入人", help="记入导入记录的导入人")
    load.add_argument(
        "--yes",
        action="store_true",
        help="确认替换：导入后已有数据的行会减少或消失、或数据来自隐藏工作表时，仍然导入",
    )

    check = commands.add_parser("check", help="只检查月报，不导入",
                                description="完整检查月报（含与已导入数据对照的警告），不写入数据库。")  # fmt: skip
    check.add_argument("paths", nargs="+", metavar="路径", help="月报文件或文件夹")
    check.add_argument("--db", metavar="数据库", help=db_help)

    template = commands.add_parser("template", help="生成空白填报模板",
                                   description="生成带填报说明和下拉选项的空白月报模板（.xlsx）。")  # fmt: skip
    template.add_argument("out", metavar="输出文件", help="模板保存位置，如 民生工程月报模板.xlsx")

    demo = commands.add_parser("demo", help="用演示数据重建演示数据库")
    demo.add_argument("--db", metavar="数据库", help=db_help)
    demo.add_argument("--overwrite", action="store_true", help="数据库已有正式数据时也覆盖（慎用）")

    undo = commands.add_parser("undo", help="撤销一次导入",
                               description="删除该次导入的数据，恢复被它替换的数据。")  # fmt: skip
    undo.add_argument("load_id", type=int, metavar="导入编号", help="导入记录（load_log）中的编号")
    undo.add_argument("--db", metavar="数据库", help=db_help)
    undo.add_argument("--by", default="cli", metavar="操作人", help="记入导入记录的操作人")

    from etl.supervision_cli import add_supervise_parser  # 督办台账 (data contract §5)

    add_supervise_parser(commands, db_help)

    # `python -m etl bulletin …` is handed to bulletin's own command line whole (see main);
    # the entry here lists it in the help.
    commands.add_parser(
        "bulletin",
        help=f"生成月度通报（.docx 与 Markdown），同 python -m bulletin：{BULLETIN_USAGE}",
        description="生成民生工程月度考评情况通报；参数与 python -m bulletin 相同。",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get(DEBUG_ENV, "").strip():
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    else:
        _quiet_logs()
    if argv[:1] == ["bulletin"]:  # an alias: bulletin's parser, help and exit codes
        from bulletin.__main__ import main as bulletin_main

        return bulletin_main(argv[1:], prog="python -m etl bulletin")
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return EXIT_USAGE
    if hasattr(args, "db"):  # a folder or a stray file is named before any lock file is made
        from warehouse.paths import db_path_problem, resolve_db_path

        problem = db_path_problem(resolve_db_path(args.db))
        if problem is not None:
            print(f"参数错误：{problem}", file=sys.stderr)
            return EXIT_USAGE
    previous, thread_hook = _stop_on_sigterm(), threading.excepthook
    if not os.environ.get(DEBUG_ENV, "").strip():
        threading.excepthook = _quiet_thread_failure
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("已中断，数据库未改动。", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - the clerk gets a sentence, not a traceback
        log.exception("python -m etl %s failed", args.command)
        print(f"出错了，数据库未改动：{failure_sentence(exc)}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        threading.excepthook = thread_hook
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _quiet_thread_failure(hook) -> None:
    """A helper thread's failure goes to the log, not to stderr as a traceback: the main thread
    meets it (re-raised, or the work missing) and says it in one sentence."""
    exc_info = (hook.exc_type, hook.exc_value, hook.exc_traceback)
    log.debug("thread %s failed", getattr(hook.thread, "name", "?"), exc_info=exc_info)


def _stop_on_sigterm():
    """A terminated run (kill, a timeout) unwinds like Ctrl-C: temporary files and copies are
    removed on the way out. Returns the handler to put back (None off the main thread)."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, interrupt)


def _quiet_logs() -> None:
    """No log output on the terminal unless MINSHENG_DEBUG is set: with no handler configured,
    Python's last-resort handler would print a logged exception's traceback on stderr, under
    the clerk's one sentence. (A program that configures logging keeps its own handlers.)"""
    etl_log = logging.getLogger("etl")
    if logging.getLogger().handlers or any(
        isinstance(h, logging.NullHandler) for h in etl_log.handlers
    ):
        return
    etl_log.addHandler(logging.NullHandler())


def failure_sentence(exc: BaseException) -> str:
    """A plain Chinese reason for an unexpected failure; the technical detail goes to the log
    (shown on stderr when MINSHENG_DEBUG is set), never into the sentence."""
    if isinstance(exc, PermissionError):
        return "没有读写数据库文件或其所在文件夹的权限，请联系管理员。"
    if _disk_full(exc):
        return "磁盘空间不足，请清理后重试。"
    if isinstance(exc, OSError):
        return "读写数据库文件时出错，请检查磁盘和文件夹后重试。"
    return f"程序内部错误，请联系管理员（设置环境变量 {DEBUG_ENV}=1 后重试可看到技术细节）。"


def _disk_full(exc: BaseException) -> bool:
    """ENOSPC, from Python or from DuckDB (whose IOException carries the system's words)."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return "No space left on device" in str(exc) or "errno 28" in str(exc).lower()


def _load(args) -> int:
    from etl.reading.parse import iter_report_files
    from etl.writing.warehouse import load_paths, resolve_db_path

    files = _report_files(args.paths, iter_report_files)
    if files is None:
        return EXIT_USAGE
    show_progress = len(files) > 1 and sys.stderr.isatty()
    # Results are printed only once the batch is swapped in: a failed swap raises (and main
    # says the database is unchanged) before any ✔ claims a file landed.
    results = load_paths(files, resolve_db_path(args.db), loaded_by=args.by,
                         show_progress=show_progress, approve=_approval(args.yes))  # fmt: skip
    for result in results:
        for line in result.lines():
            print(line)
    return EXIT_REFUSED if any(r.refused for r in results) else EXIT_OK


def _approval(yes: bool):
    """Print each file's replacement plan before it is written; without --yes, refuse a file
    whose load would make rows vanish or that was read from a hidden sheet."""

    def approve(plan) -> str | None:
        for line in plan.lines():
            print(f"核对《{plan.file_name}》：{line}")
        if plan.needs_yes and not yes:
            return f"{plan.vanishing_sentence()}，未导入。核对无误后请加 --yes 重新运行。"
        return None

    return approve


def _check(args) -> int:
    from etl.reading.parse import iter_report_files
    from etl.writing.replacement_plan import plan_file
    from etl.writing.warehouse import KIND_LABELS, check_file, resolve_db_path, row_counts

    files = _report_files(args.paths, iter_report_files)
    if files is None:
        return EXIT_USAGE
    db_path = resolve_db_path(args.db)
    refused = 0
    for path in files:
        parsed = check_file(path, db_path)
        for finding in parsed.errors + parsed.warnings:
            print(finding)
        if parsed.refused:
            refused += 1
            print(f"✘ {parsed.name}：{len(parsed.errors)} 处错误，不能导入")
            continue
        for line in plan_file(parsed, db_path).lines():
            print(f"核对《{parsed.name}》：{line}")
        counts = row_counts(parsed)
        parts = [f"{KIND_LABELS[k]} {n} 行" for k, n in counts.items() if n] or ["无数据行"]
        if parsed.warnings:
            parts.append(f"警告 {len(parsed.warnings)} 条")
        print(f"✔ {parsed.name}：检查通过，{'，'.join(parts)}")
    return EXIT_REFUSED if refused else EXIT_OK


def _template(args) -> int:
    from etl.template import write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"参数错误：模板文件名应以 .xlsx 结尾：{out}", file=sys.stderr)
        return EXIT_USAGE
    if not out.parent.is_dir():
        print(f"参数错误：文件夹不存在：{out.parent}", file=sys.stderr)
        return EXIT_USAGE
    write_template(out)
    print(f"✔ 已生成填报模板：{out}")
    return EXIT_OK


def _demo(args) -> int:
    from etl.demo import build_demo_database
    from etl.writing.warehouse import resolve_db_path

    db_path = resolve_db_path(args.db)
    try:
        results = build_demo_database(db_path, overwrite=args.overwrite)
    except FileExistsError as exc:  # the database holds real data: its message says so
        print(f"未改动：{exc}。确需覆盖请加 --overwrite。", file=sys.stderr)
        return EXIT_REFUSED
    for result in results:
        print(result.summary())
    print(f"演示数据库：{db_path}")
    return EXIT_REFUSED if any(r.refused for r in results) else EXIT_OK


def _undo(args) -> int:
    from etl.writing.warehouse import resolve_db_path, undo_load

    db_path = resolve_db_path(args.db)
    if not db_path.exists():
        print(f"参数错误：数据库不存在：{db_path}", file=sys.stderr)
        return EXIT_USAGE
    result = undo_load(db_path, args.load_id, by=args.by)
    for notice in result.notices:
        print(f"说明：{notice}")
    print(result.summary())
    return EXIT_REFUSED if result.refused else EXIT_OK


def _report_files(paths: list[str], expand) -> list[Path] | None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"参数错误：找不到文件或文件夹：{path}", file=sys.stderr)
        return None
    files = expand([Path(p) for p in paths])
    if not files:
        print("参数错误：没有找到 .xlsx 或 .csv 月报文件", file=sys.stderr)
        return None
    return files


def _supervise(args) -> int:
    from etl.supervision_cli import run

    return run(args)


COMMANDS = {"load": _load, "check": _check, "template": _template, "demo": _demo, "undo": _undo,
            "supervise": _supervise}  # fmt: skip
