"""Loading checked report files into the DuckDB warehouse (数据入库); undoing a load is etl.writing.undo's.

A file is the authority for the keys it holds (data contract §2): its rows replace the current
rows of those keys, which are kept and marked `superseded_by` so an undo restores them exactly.
Every attempt, refused or not, gets a `load_log` row. All writes go through
`warehouse.writer.WritableCopy` (lock, copy, swap), so readers never see a half-loaded file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import duckdb

from etl.handoff import quick_handoff
from etl.model import KIND_COLUMNS, Finding, ParsedFile, SheetKind
from etl.writing.db_warnings import database_warnings, warning_checks
from etl.writing.db_write import (
    WritableCopy,
    incoming_tables,
    named_queries,
    register_incoming,
)
from etl.writing.load_log import MAX_STORED_FINDINGS, insert_log, next_load_id  # noqa: F401 - the cap, re-exported
from etl.writing.load_result import (  # noqa: F401 - the loader's API, re-exported
    KIND_LABELS,
    RESERVED_MESSAGE,
    UNCHANGED_NOTICE,
    LoadResult,
    is_reserved_name,
)
from etl.writing.replacement_plan import FilePlan, file_plan, replaced_keys
from etl.writing.supervision import recheck as recheck_supervision
from etl.writing.undo import undo_load  # noqa: F401 - the loader's API, re-exported
from metrics.schema import read_only_connection
from warehouse.connection import has_warehouse_tables
from warehouse.paths import resolve_db_path  # noqa: F401 - the loader's documented entry point
from warehouse.writer import use_writer_database

# approve(plan) → None when the file may replace what its plan says, else the reason it may not
Approve = Callable[[FilePlan], "str | None"]

_MAX_PLACES = 8  # regions named in one replacement notice before "等 N 个"
WRITE_FAILED = "写入数据库时出错，未导入。请联系管理员（技术细节已记入日志）"
log = logging.getLogger(__name__)


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

    `approve`: each file's replacement plan (etl.writing.replacement_plan), worked out inside its
    transaction under the writer's lock, goes to approve(plan) before the file is committed;
    a reason returned (not None) refuses the file, and nothing of it is written or logged.
    Without it (the demo build, tools) files load as before."""
    from etl.reading.parse import iter_report_files, parse_file  # parse.py is etl-read's module

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
    from etl.reading.parse import parse_file

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


def _reserved_refusal(file_name: str) -> LoadResult:
    error = Finding(file_name, "", None, None, RESERVED_MESSAGE)
    return LoadResult(file_name, None, True, errors=[error])


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
        return _run_check(reader, tables, replaced_keys)
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
        load_id = next_load_id(con)
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
            load_id = next_load_id(con)
        elif owners:
            replaced = _supersede(con, queries, load_id, kinds)
        # a file checked with check_file already holds its database warnings: don't repeat them
        found = [finding for task in warning_tasks for finding in task.result()]
        already = set(parsed.warnings)  # a set: thousands of findings each side
        warnings = parsed.warnings + [w for w in found if w not in already]
        result = LoadResult(parsed.name, load_id, False, [], warnings, list(parsed.notices), rows)
        result.plan = plan
        if unchanged:
            result.unchanged = True
            result.notices.append(UNCHANGED_NOTICE)
            insert_log(con, load_id, parsed.name, parsed.sha256, loaded_by, refused=False,
                        rows=rows, warnings=warnings, unchanged_of=owners[0][0])  # fmt: skip
        else:
            result.notices += replaced
            insert_log(con, load_id, parsed.name, parsed.sha256, loaded_by, refused=False,
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
    load_id = next_load_id(con)
    insert_log(con, load_id, parsed.name, parsed.sha256, loaded_by, refused=True, rows=rows,
                warnings=parsed.warnings, errors=errors)  # fmt: skip
    con.execute("COMMIT")
    return LoadResult(parsed.name, load_id, True, list(errors), list(parsed.warnings),
                      list(parsed.notices), rows)  # fmt: skip


def row_counts(parsed: ParsedFile) -> dict[str, int]:
    """Rows per kind as load_log names them (a 序时计划 row of the sheet counts once)."""
    counts = parsed.rows_per_kind()
    return {
        "progress": counts[SheetKind.PROGRESS],
        "funding": counts[SheetKind.FUNDING],
        "scores": counts[SheetKind.SCORES],
        "schedule": counts[SheetKind.SCHEDULE],
    }


def _progress(files: list[Path], show: bool) -> Iterator[Path]:
    if not show:
        yield from files
        return
    from tqdm import tqdm

    yield from tqdm(files, desc="导入", unit="个文件", leave=False)
