"""Undoing a load (撤销导入, issue 7): its rows are deleted and the rows it superseded come back
exactly; refused when a later load superseded rows of this one."""

from __future__ import annotations

from pathlib import Path

from etl.model import Finding
from etl.writing.db_write import WritableCopy, named_queries
from etl.writing.load_log import insert_log, next_load_id
from etl.writing.load_result import KIND_LABELS, RESERVED_MESSAGE, LoadResult, is_reserved_name
from etl.writing.supervision import recheck as recheck_supervision


def undo_load(db_path: Path, load_id: int, *, by: str) -> LoadResult:
    """Delete the rows of one load and bring back the rows it superseded, exactly (issue 7).

    Refused when a later load superseded rows of this one (undo that one first)."""
    if is_reserved_name(by):
        error = Finding(f"操作人“{by}”", "", None, None, RESERVED_MESSAGE)
        return LoadResult(error.file, None, True, errors=[error], undo_of=load_id)
    with WritableCopy(Path(db_path)) as copy:
        return _undo(copy, named_queries("undo.sql"), load_id, by)


def _undo(copy: WritableCopy, queries: dict[str, str], load_id: int, by: str) -> LoadResult:
    con = copy.connection()
    entry = con.execute(queries["load_entry"], {"load_id": load_id}).fetchone()
    problem = _undo_problem(con, queries, entry, load_id)
    file_name = entry[1] if entry else f"导入编号 {load_id}"
    if problem:
        error = Finding(file_name, "", None, None, problem)
        copy.discard()  # refused: the real file is not even rewritten
        return LoadResult(file_name, None, True, errors=[error], undo_of=load_id)
    con.execute("BEGIN TRANSACTION")
    counts = {}
    for kind in ("progress", "funding", "scores", "schedules"):
        deleted = con.execute(queries[f"delete_{kind}"], {"load_id": load_id}).fetchone()[0]
        restored = con.execute(queries[f"restore_{kind}"], {"load_id": load_id}).fetchone()[0]
        counts[kind] = (deleted, restored)
    notice = _undo_notice(file_name, load_id, counts)
    undo_id = next_load_id(con)
    insert_log(
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
