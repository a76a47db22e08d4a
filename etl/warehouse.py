"""Loading checked report files into the DuckDB warehouse (数据入库), and undoing a load.

A file is the authority for the keys it holds (data contract §2): its rows replace the current
rows of those keys, which are kept and marked `superseded_by` so an undo restores them exactly.
Every attempt, refused or not, gets a `load_log` row. All writes go through
`db_write.writable_copy` (lock, copy, swap), so readers never see a half-loaded file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb

from etl.db_warnings import database_warnings, normalise_name, warning_checks
from etl.db_write import (
    WritableCopy,
    has_warehouse_tables,
    incoming_tables,
    named_queries,
    read_only_connection,
    register_incoming,
    use_writer_database,
    writable_copy,
)
from etl.handoff import quick_handoff
from etl.incoming import parsed_table
from etl.model import KIND_COLUMNS, Finding, ParsedFile
from etl.paths import resolve_db_path  # noqa: F401 - the loader's documented entry point
from etl.replacement_plan import FilePlan, file_plan, replaced_keys
from etl.supervision import recheck as recheck_supervision

# approve(plan) → None when the file may replace what its plan says, else the reason it may not
Approve = Callable[[FilePlan], "str | None"]

KIND_LABELS = {"progress": "进度", "funding": "资金", "scores": "考评", "schedule": "序时计划"}
UNCHANGED_NOTICE = "内容与已导入的相同，未改动"
_MAX_PLACES = 8  # regions named in one replacement notice before "等 N 个"
# Findings stored per load attempt (load_log, load_finding): a forged 18 MB file had 298,886,
# which grew the database by 23 MB (and every later load copies it). The count is kept, and the
# clerk gets the whole list when the file is checked or loaded; only the stored copy is capped.
MAX_STORED_FINDINGS = 1_000
WRITE_FAILED = "写入数据库时出错，未导入。请联系管理员（技术细节已记入日志）"
log = logging.getLogger(__name__)
# The demo's loads are recognised by this loaded_by (etl.demo.is_demo_database), so no one else
# may load or undo under it: only build_demo_database passes `_demo=True`.
RESERVED_LOADED_BY = "demo"
RESERVED_MESSAGE = (
    f"导入人“{RESERVED_LOADED_BY}”是示例数据专用的名字，不能用于导入或撤销，请换一个名字"
)


@dataclass
class LoadResult:
    """What happened to one file (or one undo): shown to the clerk, recorded in load_log."""

    file_name: str
    load_id: int | None
    refused: bool
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # keys of KIND_LABELS
    unchanged: bool = False  # same content as the load that owns its keys: nothing written
    undo_of: int | None = None  # set when this result records an undo
    plan: FilePlan | None = None  # what it replaced (or would have), when a load asked for it
    unconfirmed: bool = False  # not loaded: its plan needed a confirmation it did not have

    def summary(self) -> str:
        """One Chinese line, e.g. `✔ 芜湖6月.xlsx：进度 8000 行，资金 100 行，警告 2 条`."""
        if self.undo_of is not None:
            if self.refused:
                return (
                    f"✘ 未撤销导入编号 {self.undo_of}（{self.file_name}）：{self.errors[0].message}"
                )
            return f"↶ 已撤销导入编号 {self.undo_of}（{self.file_name}）"
        if self.unconfirmed:
            return f"✘ {self.file_name}：需要确认，未导入"
        if self.refused:
            return f"✘ {self.file_name}：{len(self.errors)} 处错误，未导入"
        if self.unchanged:
            parts = [UNCHANGED_NOTICE]
        else:
            parts = [f"{KIND_LABELS[k]} {n} 行" for k, n in self.rows.items() if n] or ["无数据行"]
        if self.warnings:
            parts.append(f"警告 {len(self.warnings)} 条")
        return f"✔ {self.file_name}：{'，'.join(parts)}"

    def lines(self) -> list[str]:
        """Everything to print for the file: errors, warnings, notices, then the summary."""
        found = [str(f) for f in self.errors + self.warnings]
        return found + [f"说明：{n}" for n in self.notices] + [self.summary()]


def load_paths(
    paths: list[Path],
    db_path: Path,
    *,
    loaded_by: str = "cli",
    show_progress: bool = False,
    on_result: Callable[[LoadResult], None] | None = None,
    approve: Approve | None = None,
    _demo: bool = False,
) -> list[LoadResult]:
    """Parse and load files (folders expand to their .xlsx/.csv in name order), one transaction
    each, all in one swap of the warehouse file. `on_result` sees each file as it finishes.
    loaded_by "demo" is refused (nothing written) unless the demo build passes `_demo`.

    `approve`: each file's replacement plan (etl.replacement_plan), worked out inside its
    transaction under the writer's lock, goes to approve(plan) before the file is committed;
    a reason returned (not None) refuses the file, and nothing of it is written or logged.
    Without it (the demo build, tools) files load as before."""
    from etl.parse import iter_report_files, parse_file  # parse.py is etl-read's module

    files = iter_report_files([Path(p) for p in paths])
    if is_reserved_name(loaded_by) and not _demo:
        return [_reserved_refusal(path.name) for path in files]
    parsed = (parse_file(path) for path in _progress(files, show_progress))
    return _load(parsed, db_path, loaded_by, on_result, _demo, approve, one_file=len(files) == 1)


def load_parsed(
    parsed_files: Iterable[ParsedFile],
    db_path: Path,
    *,
    loaded_by: str = "cli",
    on_result: Callable[[LoadResult], None] | None = None,
    approve: Approve | None = None,
    _demo: bool = False,
) -> list[LoadResult]:
    """Load files already parsed by parse_file or check_file (e.g. the app's check step).
    Same rules as load_paths; the database warnings are worked out again at load time."""
    one_file = isinstance(parsed_files, list | tuple) and len(parsed_files) == 1
    return _load(parsed_files, db_path, loaded_by, on_result, _demo, approve, one_file=one_file)


def _load(
    parsed_files, db_path, loaded_by, on_result, _demo, approve, *, one_file
) -> list[LoadResult]:
    if is_reserved_name(loaded_by) and not _demo:
        return [_reserved_refusal(parsed.name) for parsed in parsed_files]
    results = []
    # the copy is opened while the first file is parsed
    with quick_handoff(), WritableCopy(Path(db_path), one_commit=one_file) as copy:
        for parsed in parsed_files:
            result = _load_one(copy.connection(), parsed, loaded_by, approve)
            results.append(result)
            if on_result is not None:
                on_result(result)
        if results and all(r.unconfirmed for r in results):
            copy.discard()  # nothing was written: the warehouse file is not even rewritten
    return results


def check_file(path: Path, db_path: Path, *, display_name: str | None = None) -> ParsedFile:
    """Full validation of one file, including warnings that need the warehouse; writes nothing."""
    from etl.parse import parse_file

    parsed = parse_file(Path(path), display_name=display_name)
    if parsed.refused or not Path(db_path).exists():
        return parsed
    con = read_only_connection(Path(db_path))
    try:
        if has_warehouse_tables(con):
            register_incoming(con, incoming_tables(parsed))
            parsed.warnings = parsed.warnings + database_warnings(con, parsed)
    finally:
        con.close()
    return parsed


def undo_load(db_path: Path, load_id: int, *, by: str) -> LoadResult:
    """Delete the rows of one load and bring back the rows it superseded, exactly (issue 7).

    Refused when a later load superseded rows of this one (undo that one first)."""
    if is_reserved_name(by):
        error = Finding(f"操作人“{by}”", "", None, None, RESERVED_MESSAGE)
        return LoadResult(error.file, None, True, errors=[error], undo_of=load_id)
    queries = named_queries("undo.sql")
    try:
        with writable_copy(Path(db_path)) as con:
            return _undo(con, queries, load_id, by)
    except _Refused as refused:  # the copy is dropped: the real file is not even rewritten
        return refused.result


def is_reserved_name(loaded_by: object) -> bool:
    """Whether a loader/user name is the demo's (also as `Demo`, ` demo `, `ｄｅｍｏ`)."""
    if not isinstance(loaded_by, str):
        return False
    return normalise_name(loaded_by).casefold() == RESERVED_LOADED_BY


def _reserved_refusal(file_name: str) -> LoadResult:
    error = Finding(file_name, "", None, None, RESERVED_MESSAGE)
    return LoadResult(file_name, None, True, errors=[error])


class _Refused(Exception):
    def __init__(self, result: LoadResult):
        super().__init__(result.summary())
        self.result = result


def _undo(con, queries: dict[str, str], load_id: int, by: str) -> LoadResult:
    entry = con.execute(queries["load_entry"], {"load_id": load_id}).fetchone()
    problem = _undo_problem(con, queries, entry, load_id)
    file_name = entry[1] if entry else f"导入编号 {load_id}"
    if problem:
        error = Finding(file_name, "", None, None, problem)
        raise _Refused(LoadResult(file_name, None, True, errors=[error], undo_of=load_id))
    con.execute("BEGIN TRANSACTION")
    counts = {}
    for kind in ("progress", "funding", "scores", "schedules"):
        deleted = con.execute(queries[f"delete_{kind}"], {"load_id": load_id}).fetchone()[0]
        restored = con.execute(queries[f"restore_{kind}"], {"load_id": load_id}).fetchone()[0]
        counts[kind] = (deleted, restored)
    notice = _undo_notice(file_name, load_id, counts)
    undo_id = _next_load_id(con)
    _insert_log(
        con, undo_id, file_name, entry[2], by, refused=False, replaced=[notice], undo_of=load_id,
    )  # fmt: skip
    con.execute(queries["mark_undone"], {"undo_id": undo_id, "load_id": load_id})
    rechecked = recheck_supervision(con, undo_id, by)  # 督办台账: the open items, judged again
    con.execute("COMMIT")
    return LoadResult(file_name, undo_id, False, notices=[notice, *rechecked], undo_of=load_id)


def _undo_problem(con, queries, entry, load_id: int) -> str | None:
    if entry is None:
        return f"没有编号为 {load_id} 的导入记录"
    _, _, _, refused, undo_of, undone_by, unchanged_of = entry
    if refused:
        return "这次导入被拒绝，没有写入数据，无需撤销"
    if undo_of is not None:
        return "这是一条撤销记录，不能再撤销"
    if undone_by is not None:
        return f"这次导入已被撤销（撤销记录编号 {undone_by}）"
    if unchanged_of is not None:
        return "这次导入内容与已导入的相同，没有改动数据，无需撤销"
    later = con.execute(queries["later_loads"], {"load_id": load_id}).fetchall()
    if later:
        names = "、".join(f"《{name}》（编号 {lid}）" for lid, name in later)
        return f"它的部分数据已被之后导入的{names}替换，请先撤销那些导入"
    return None


def _undo_notice(file_name: str, load_id: int, counts: dict[str, tuple[int, int]]) -> str:
    labels = dict(zip(counts, KIND_LABELS.values(), strict=True))
    deleted = "，".join(f"{labels[k]} {d} 行" for k, (d, _) in counts.items() if d) or "无"
    restored = "，".join(f"{labels[k]} {r} 行" for k, (_, r) in counts.items() if r) or "无"
    return f"撤销了《{file_name}》（编号 {load_id}）：删除 {deleted}；恢复 {restored}"


def _load_one(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, loaded_by: str, approve: Approve | None
) -> LoadResult:
    rows = row_counts(parsed)
    if parsed.refused:
        return _record_refusal(con, parsed, loaded_by, rows, parsed.errors)
    # Which loads own the file's keys, the replacement plan and the database warnings are read
    # from the committed state, each through a connection of its own in a thread, while this
    # one inserts the file's rows (DuckDB runs them all without the GIL).
    tables = incoming_tables(parsed)
    # the plan's replacements are worked out once the owners say the file replaces anything
    plans = [] if approve is None else [partial(file_plan, parsed=parsed, replacements=False)]
    checks = [_current_owners, *plans, *warning_checks(parsed)]
    readers = [con.cursor() for _ in checks]  # made here: a connection serves one thread
    try:
        with ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="reader") as pool:
            # the owners and the plan read every kind's keys, the warnings the 进度/资金 rows only
            needs = [tables] * (1 + len(plans))
            warned = {kind: tables[kind] for kind in ("progress", "funding")}
            needs += [warned] * (len(checks) - len(needs))
            owners, *others = [
                pool.submit(_run_check, reader, needed, check)
                for reader, needed, check in zip(readers, needs, checks, strict=True)
            ]
            plan, warnings = (others[0], others[1:]) if plans else (None, others)
            return _write_file(
                con, tables, owners, warnings, parsed, loaded_by, rows, (plan, approve)
            )
    finally:
        for reader in readers:
            reader.close()


def _replacements(con, tables: dict[str, object]) -> list:
    """The plan's replacements, read from the committed state (the file's own rows, inserted in
    this connection's open transaction, are not among them)."""
    reader = con.cursor()
    try:
        use_writer_database(reader)
        register_incoming(reader, tables)
        return replaced_keys(reader)
    finally:
        reader.close()


def _run_check(reader, tables: dict[str, object], check) -> list:
    use_writer_database(reader)
    register_incoming(reader, tables)
    return check(reader)


def _current_owners(con) -> list[tuple[int, str]]:
    """(load_id, sha256) of the loads that own current rows of the file's keys."""
    return con.execute(named_queries("load.sql")["current_owners"]).fetchall()


def _write_file(
    con, tables, owners_task, warning_tasks, parsed, loaded_by, rows, approval
) -> LoadResult:
    queries = named_queries("load.sql")
    plan_task, approve = approval
    con.execute("BEGIN TRANSACTION")
    try:
        register_incoming(con, tables)
        load_id = _next_load_id(con)
        kinds = _kinds_with_rows(parsed)
        # inserted before the owners are known: the usual load, a new month, replaces nothing
        _insert_rows(con, queries, load_id, kinds)
        owners = owners_task.result()
        unchanged = len(owners) == 1 and owners[0][1] == parsed.sha256
        plan = None if plan_task is None else plan_task.result()
        if plan is not None and owners and not unchanged:
            plan.replacements = _replacements(con, tables)
        reason = None if plan is None or unchanged else approve(plan)
        if reason is not None:  # not confirmed: nothing of the file is kept, nothing logged
            con.execute("ROLLBACK")
            error = Finding(parsed.name, "", None, None, reason)
            return LoadResult(parsed.name, None, True, [error], list(parsed.warnings),
                              list(parsed.notices), rows, plan=plan, unconfirmed=True)  # fmt: skip
        replaced = []
        if unchanged:  # the same file again: keep none of its rows
            con.execute("ROLLBACK")
            con.execute("BEGIN TRANSACTION")
            load_id = _next_load_id(con)
        elif owners:
            replaced = _supersede(con, queries, load_id, kinds)
        # a file checked with check_file already holds its database warnings: don't repeat them
        found = [finding for task in warning_tasks for finding in task.result()]
        warnings = parsed.warnings + [w for w in found if w not in parsed.warnings]
        result = LoadResult(parsed.name, load_id, False, [], warnings, list(parsed.notices), rows)
        result.plan = plan
        if unchanged:
            result.unchanged = True
            result.notices.append(UNCHANGED_NOTICE)
            _insert_log(con, load_id, parsed.name, parsed.sha256, loaded_by, refused=False,
                        rows=rows, warnings=warnings, unchanged_of=owners[0][0])  # fmt: skip
        else:
            result.notices += replaced
            _insert_log(con, load_id, parsed.name, parsed.sha256, loaded_by, refused=False,
                        rows=rows, warnings=warnings, replaced=replaced)  # fmt: skip
            # 督办台账: open items judged against the new figures, in this file's transaction
            result.notices += recheck_supervision(con, load_id, loaded_by)
        con.execute("COMMIT")
        return result
    except Exception:  # a bug or a broken database must refuse this file only
        con.execute("ROLLBACK")
        # the clerk gets a sentence; DuckDB's own (English) message goes to the log only
        log.exception("writing %s into the warehouse failed", parsed.name)
        error = Finding(parsed.name, "", None, None, WRITE_FAILED)
        return _record_refusal(con, parsed, loaded_by, rows, [error])


def _insert_rows(con, queries, load_id: int, kinds: list[str]) -> None:
    """The file's rows, of the kinds it has rows of."""
    for kind in kinds:
        con.execute(queries[f"insert_{kind}"], {"load_id": load_id})


def _supersede(con, queries, load_id: int, kinds: list[str]) -> list[str]:
    """Mark the earlier current rows of the file's keys as replaced by this load; return the
    notices. Only when other loads own some of the keys: a new month skips these statements."""
    params = {"load_id": load_id}
    con.execute(queries["file_keys"])
    for kind in kinds:
        con.execute(queries[f"supersede_{kind}"], params)
    rows = con.execute(queries["replaced_groups"], params).fetchall()
    return [_replacement_notice(*row) for row in rows]


def _kinds_with_rows(parsed: ParsedFile) -> list[str]:
    return [kind for kind in KIND_COLUMNS if parsed.row_count(kind)]


def _replacement_notice(_load_id, file_name, kind, year, month, places) -> str:
    places = sorted(places)
    shown = "、".join(places[:_MAX_PLACES])
    if len(places) > _MAX_PLACES:
        shown += f"等 {len(places)} 个"
    when = f"{year}年" if month is None else f"{year}年{month}月"
    return f"替换了《{file_name}》导入的 {when} {shown} {kind}数据"


def _record_refusal(con, parsed: ParsedFile, loaded_by, rows, errors) -> LoadResult:
    con.execute("BEGIN TRANSACTION")  # the log row and its findings land together
    load_id = _next_load_id(con)
    _insert_log(con, load_id, parsed.name, parsed.sha256, loaded_by, refused=True, rows=rows,
                warnings=parsed.warnings, errors=errors)  # fmt: skip
    con.execute("COMMIT")
    return LoadResult(parsed.name, load_id, True, list(errors), list(parsed.warnings),
                      list(parsed.notices), rows)  # fmt: skip


def _next_load_id(con) -> int:
    return con.execute(named_queries("load.sql")["next_load_id"]).fetchone()[0]


def _insert_log(
    con, load_id, file_name, sha256, loaded_by, *, refused, rows=None, warnings=(), errors=(),
    replaced=(), undo_of=None, unchanged_of=None,
) -> None:  # fmt: skip
    rows = rows or {}
    con.execute(
        named_queries("load.sql")["insert_log"],
        {
            "load_id": load_id, "file_name": file_name, "sha256": sha256,
            "loaded_at": dt.datetime.now().replace(microsecond=0), "loaded_by": loaded_by,
            "refused": refused,
            "rows_progress": rows.get("progress", 0), "rows_funding": rows.get("funding", 0),
            "rows_scores": rows.get("scores", 0), "rows_schedule": rows.get("schedule", 0),
            "n_warnings": len(warnings),
            "warnings": _printed(file_name, warnings, MAX_STORED_FINDINGS - len(errors)),
            "errors": _printed(file_name, errors, MAX_STORED_FINDINGS), "replaced": list(replaced),
            "undo_of": undo_of, "unchanged_of": unchanged_of,
        },
    )  # fmt: skip
    findings = _stored_findings(file_name, errors, warnings)
    if findings:
        _insert_findings(con, load_id, findings)


def _stored_findings(file_name: str, errors, warnings) -> list[tuple[Finding, bool]]:
    """The findings stored for one load attempt: errors first, at most MAX_STORED_FINDINGS, and
    then one line saying how many were left out."""
    findings = [(f, False) for f in errors] + [(f, True) for f in warnings]
    if len(findings) <= MAX_STORED_FINDINGS:
        return findings
    kept = findings[:MAX_STORED_FINDINGS]
    left_out = findings[MAX_STORED_FINDINGS:]
    message = stored_cap_message(len(findings), len(left_out))
    only_warnings = all(is_warning for _, is_warning in left_out)
    return [*kept, (Finding(file_name, "", None, None, message, only_warnings), only_warnings)]


def stored_cap_message(total: int, left_out: int) -> str:
    return (
        f"共 {total} 条错误和警告，只保存了前 {total - left_out} 条，另有 {left_out} 条未保存"
        "（检查时可看到并下载完整列表）"
    )


def _printed(file_name: str, findings, room: int) -> list[str]:
    """Findings as printed lines for load_log, at most `room` of them (then one line more
    saying how many were left out)."""
    room = max(room, 0)
    lines = [str(f) for f in findings[:room]]
    if len(findings) > room:
        left_out = len(findings) - room
        lines.append(str(Finding(file_name, "", None, None, f"另有 {left_out} 条未保存")))
    return lines


def _insert_findings(con, load_id: int, findings: list[tuple[Finding, bool]]) -> None:
    """The findings as structured rows (load_finding), so no reader parses printed lines."""
    con.execute(
        named_queries("load.sql")["insert_findings"],
        {
            "load_id": load_id,
            "is_warning": [is_warning for _, is_warning in findings],
            "files": [f.file for f, _ in findings],
            "sheets": [f.sheet or None for f, _ in findings],
            "rows": [f.row for f, _ in findings],
            "cols": [f.column or None for f, _ in findings],
            "messages": [f.message for f, _ in findings],
        },
    )


def row_counts(parsed: ParsedFile) -> dict[str, int]:
    """Rows per kind as load_log records them (a 序时计划 row of the sheet counts once)."""
    # a schedule row of the sheet is stored as 12 monthly rows: count the sheet's rows
    plans = 0
    if parsed.row_count("schedules"):
        table = parsed_table(parsed, "schedules")
        sources = zip(
            table["source_sheet"].to_pylist(), table["source_row"].to_pylist(), strict=True
        )
        plans = len(set(sources))
    return {
        "progress": parsed.row_count("progress"),
        "funding": parsed.row_count("funding"),
        "scores": parsed.row_count("scores"),
        "schedule": plans,
    }


def _progress(files: list[Path], show: bool) -> Iterator[Path]:
    if not show:
        yield from files
        return
    from tqdm import tqdm

    yield from tqdm(files, desc="导入", unit="个文件", leave=False)
