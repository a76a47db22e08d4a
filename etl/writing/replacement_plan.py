"""What loading a file would replace, said before it is loaded (替换核对).

A file is the authority for the keys it holds (data contract §2): a file with one of a
region-month's 59 rows replaces all 59. The plan lists, per file, each key it would replace with
its old and new row counts, the current rows that would no longer show (their key is missing
from the file), the hidden sheets it was read from, and regions the database has not seen that
year. `needs_yes` (rows would vanish, or data comes from a hidden sheet) makes the command line
refuse without `--yes`; `needs_confirmation` (those, or a region never seen at all) makes the
数据管理 page ask for a tick before its 导入 button works.

    plan = plan_file(parsed, db_path)       # read-only, before a load (the page's check step)
    load_paths(paths, db, approve=...)      # again inside the load, under the writer's lock
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.model import ParsedFile
from etl.reading.incoming import parsed_table
from etl.writing.db_write import incoming_tables, named_queries, register_incoming
from metrics.schema import read_only_connection
from warehouse.connection import has_warehouse_tables

SHEET_STATES = {
    "hidden": ("隐藏工作表", "在 Excel 中看不到这张表"),
    "veryHidden": ("深度隐藏的工作表", "在 Excel 中取消隐藏也看不到这张表"),
}
_MAX_PLACES = 8  # places named in one summary line before "等 N 个"


@dataclass(frozen=True)
class Replacement:
    """One key the file would replace: a region-month of 进度 or 资金, a 考评 unit-month, a
    序时计划 plan."""

    kind: str  # 进度, 资金, 考评, 序时计划
    year: int
    month: int | None  # None for a 序时计划 (a plan is for the whole year)
    place: str  # the region; `县区 东湖区` for 考评; `项目13` or a 类别 for 序时计划
    old_rows: int
    new_rows: int
    vanished: int  # current rows whose row key the file does not hold: they would no longer show

    @property
    def when(self) -> str:
        return f"{self.year}年" if self.month is None else f"{self.year}年{self.month}月"

    @property
    def shrinks(self) -> bool:
        return self.vanished > 0

    def line(self) -> str:
        """`将替换 2025年6月 西山区 进度 59 行 → 1 行（减少 58 行）`."""
        text = (
            f"将替换 {self.when} {self.place} {self.kind} {self.old_rows} 行 → {self.new_rows} 行"
        )
        fewer = self.old_rows - self.new_rows
        if fewer > 0:
            extra = "" if self.vanished == fewer else f"，原有的 {self.vanished} 行本次没有"
            return f"{text}（减少 {fewer} 行{extra}）"
        if self.vanished:
            return f"{text}（原有的 {self.vanished} 行本次没有，导入后不再显示）"
        return text


@dataclass(frozen=True)
class NewRegion:
    year: int
    region: str
    seen_in_other_year: bool

    def line(self) -> str:
        if self.seen_in_other_year:
            return f"新地区：{self.region}（数据库中{self.year}年还没有这个地区的数据）"
        return f"新地区：{self.region}（数据库中从未有过这个地区，请确认名称无误）"


@dataclass(frozen=True)
class HiddenSheet:
    name: str
    state: str  # hidden or veryHidden, as the workbook says
    rows: int

    def line(self) -> str:
        what, why = SHEET_STATES.get(self.state, SHEET_STATES["hidden"])
        return f"{what}“{self.name}”中的 {self.rows} 行将被导入（{why}，请确认应当导入）"


@dataclass
class FilePlan:
    """What one file would replace; empty when it only adds rows."""

    file_name: str
    replacements: list[Replacement] = field(default_factory=list)
    new_regions: list[NewRegion] = field(default_factory=list)
    hidden_sheets: list[HiddenSheet] = field(default_factory=list)

    @property
    def shrinking(self) -> list[Replacement]:
        return [r for r in self.replacements if r.shrinks]

    @property
    def unknown_regions(self) -> list[NewRegion]:
        return [r for r in self.new_regions if not r.seen_in_other_year]

    @property
    def needs_yes(self) -> bool:
        """Rows would vanish or data comes from a hidden sheet: the command line asks for --yes."""
        return bool(self.shrinking or self.hidden_sheets)

    @property
    def needs_confirmation(self) -> bool:
        """What the page asks a tick for: needs_yes, or a region the database never had."""
        return self.needs_yes or bool(self.unknown_regions)

    def flags(self) -> frozenset[tuple]:
        """The flagged items, without their counts: what a confirmation covers."""
        return frozenset(
            [("shrink", r.kind, r.year, r.month, r.place) for r in self.shrinking]
            + [("hidden", s.name) for s in self.hidden_sheets]
            + [("region", r.year, r.region) for r in self.unknown_regions]
        )

    def lines(self) -> list[str]:
        """The plan in Chinese, flagged items first; [] when the file only adds rows."""
        lines = [r.line() for r in self.shrinking]
        lines += [s.line() for s in self.hidden_sheets]
        lines += _summaries([r for r in self.replacements if not r.shrinks])
        lines += [r.line() for r in self.new_regions]
        return lines

    def flagged_lines(self, flags: frozenset[tuple] | None = None) -> list[str]:
        """The lines of the flagged items (of those in `flags`, when given)."""
        items = (
            [(("shrink", r.kind, r.year, r.month, r.place), r.line()) for r in self.shrinking]
            + [(("hidden", s.name), s.line()) for s in self.hidden_sheets]
            + [(("region", r.year, r.region), r.line()) for r in self.unknown_regions]
        )
        return [line for key, line in items if flags is None or key in flags]

    def vanishing_sentence(self) -> str:
        """Why the command line wants --yes, in one sentence (the shrinking keys and hidden sheets)."""
        parts = [
            f"{r.when} {r.place} {r.kind}将从 {r.old_rows} 行变为 {r.new_rows} 行"
            f"（原有的 {r.vanished} 行将不再显示）"
            for r in self.shrinking
        ]
        parts += [f"数据来自隐藏工作表“{s.name}”（{s.rows} 行）" for s in self.hidden_sheets]
        return "；".join(parts)


def _summaries(replacements: list[Replacement]) -> list[str]:
    """Replacements that keep or add rows, one line per kind and month."""
    groups: dict[tuple, list[Replacement]] = {}
    for r in replacements:
        groups.setdefault((r.kind, r.when), []).append(r)
    lines = []
    for (kind, when), items in groups.items():
        if len(items) == 1:
            lines.append(items[0].line())
            continue
        places = "、".join(r.place for r in items[:_MAX_PLACES])
        if len(items) > _MAX_PLACES:
            places += f"等 {len(items)} 个"
        old, new = sum(r.old_rows for r in items), sum(r.new_rows for r in items)
        lines.append(f"将替换 {when} {places} {kind} 共 {old} 行 → {new} 行")
    return lines


def file_plan(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, *, replacements: bool = True
) -> FilePlan:
    """The plan of one parsed file against the warehouse `con` is on, whose incoming tables
    are the file's (db_write.register_incoming); reads only. `replacements=False` leaves them
    out (the loader adds them with `replaced_keys` once it knows the file replaces anything)."""
    plan = FilePlan(parsed.name, hidden_sheets=hidden_sheets(parsed))
    if replacements:
        plan.replacements = replaced_keys(con)
    plan.new_regions = new_regions(con)
    return plan


def replaced_keys(con: duckdb.DuckDBPyConnection) -> list[Replacement]:
    """The keys of the registered incoming tables that have current rows, with the counts."""
    rows = con.execute(named_queries("plan.sql")["replaced_keys"]).fetchall()
    return [Replacement(*row) for row in rows]


def new_regions(con: duckdb.DuckDBPyConnection) -> list[NewRegion]:
    """Regions of the registered incoming tables worth a word: new to a year that holds other
    regions, or never seen at all (the first file of a year or of the warehouse brings only new
    regions: nothing to say then)."""
    queries = named_queries("plan.sql")
    fresh = con.execute(queries["fresh_regions"]).fetchall()
    if not fresh:
        return []  # the usual file: one anti join, no more
    params = {"years": [year for year, _ in fresh], "regions": [region for _, region in fresh]}
    found = []
    for year, region, year_has_regions, seen_before, has_any in con.execute(
        queries["region_history"], params
    ).fetchall():
        if year_has_regions or (has_any and not seen_before):
            found.append(NewRegion(year, region, seen_before))
    return found


def hidden_sheets(parsed: ParsedFile) -> list[HiddenSheet]:
    """The hidden sheets the file's rows were read from, with their row counts (an empty hidden
    sheet brings nothing: not listed)."""
    found = []
    for name, state in parsed.hidden_sheets:
        rows = 0
        for kind in ("progress", "funding", "scores", "schedules"):
            table = parsed_table(parsed, kind)
            if table.num_rows:
                sheets = table["source_sheet"].to_pylist()
                # a schedule row of the sheet is twelve monthly rows
                per_row = 12 if kind == "schedules" else 1
                rows += sheets.count(name) // per_row
        if rows:
            found.append(HiddenSheet(name, state, rows))
    return found


def plan_file(parsed: ParsedFile, db_path: Path) -> FilePlan:
    """The plan of one parsed file against the warehouse file, read-only (the check step)."""
    if parsed.refused or not Path(db_path).exists():
        return FilePlan(parsed.name, hidden_sheets=hidden_sheets(parsed))
    con = read_only_connection(Path(db_path))
    try:
        if not has_warehouse_tables(con):
            return FilePlan(parsed.name, hidden_sheets=hidden_sheets(parsed))
        register_incoming(con, incoming_tables(parsed))
        return file_plan(con, parsed)
    finally:
        con.close()
