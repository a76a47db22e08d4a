"""argparse in Chinese (中文命令行帮助): the help, usage and error lines of every command.

argparse writes its own words in English (usage:, options:, show this help message and exit,
error:, the following arguments are required …); the classes here put Chinese in their place.
"""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2

# argparse's phrases in its error messages, longest first where one contains another
ARGPARSE_PHRASES = (
    ("the following arguments are required", "缺少参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的取值"),
    ("invalid int value", "不是整数"),
    ("invalid float value", "不是数字"),
    ("invalid Path value", "不是有效的路径"),
    ("expected one argument", "需要一个值"),
    ("expected at least one argument", "至少需要一个值"),
    ("expected at most one argument", "最多一个值"),
    ("ignored explicit argument", "不接受值"),
    ("not allowed with argument", "不能与此参数同时使用"),
    ("ambiguous option", "有歧义的选项"),
    ("could match", "可能是"),
    ("choose from", "可选"),
    ("argument ", "参数 "),
)


def chinese_message(message: str) -> str:
    if message.startswith("argument 命令:"):  # the subcommand (metavar 命令) is a command
        message = message.replace("invalid choice", "无效的命令")
    for phrase, chinese in ARGPARSE_PHRASES:
        message = message.replace(phrase, chinese)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix="" when it builds a subcommand's prog: keep that
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse that speaks Chinese and reports usage problems with exit status 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"参数错误：{chinese_message(message)}\n使用 -h 查看帮助。\n")
