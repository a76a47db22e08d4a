"""报送 (issue 19): a 县区 or 市直单位 sends its own month's report; it waits as 待审核 until the
民生办 accepts it (接收入库, through the warehouse's one writer) or returns it (退回).

A file is checked exactly as the 民生办's own load checks it (etl.writing.warehouse.check_file), and then
for being the unit's own (etl.writing.submission_checks). A refused file stores nothing: the unit fixes
it and sends it again. A stored file waits in the activity store (etl.writing.activity_store), not in the
warehouse. A new file of the same unit and month replaces one still waiting (of the same sheet
kinds): the older one becomes 已撤回, which is not a 退回 and does not count against the unit.
Each step writes its audit event (上传报送, 接收入库, 退回) in the same transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.model import Finding
from etl.writing.activity_store import connect, exists, parse_stamp, queries, stamp, write_event
from etl.writing.replacement_plan import FilePlan, plan_file
from etl.writing.submission_checks import report_month, sheet_kinds, unit_findings
from etl.writing.warehouse import Approve, LoadResult, check_file, load_paths
from metrics.config import REPORT_DUE_DAY, SUBMISSION_STATUSES, UNIT_TYPES

NOT_SENT, WAITING, RETURNED, LOADED = SUBMISSION_STATUSES
WITHDRAWN = "已撤回"  # stored only: a waiting file replaced by a newer one of the unit
REPLACED_NOTE = "已被新报送的文件替代"
OFFICE_ROLE = "民生办"
MAX_FILE_BYTES = 20 * 1024 * 1024  # the 数据管理 page's default per-file cap (20 MB)
MAX_NOTE = 500  # characters of a 退回 note
MAX_NAME = 40  # characters of a person's or unit's name
MAX_STORED_ERRORS = 1_000  # lines of a 退回 error list, each at most MAX_NOTE characters
FILE_SUFFIXES = (".xlsx", ".csv")
STAGE_PREFIX = "minsheng-submission-"


@dataclass
class Submission:
    """One stored 报送 of a unit's month."""

    id: int
    unit_kind: str
    unit: str
    year: int
    month: int
    file_name: str
    status: str  # 待审核, 已退回, 已入库, or 已撤回
    submitted_by: str
    submitted_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    note: str  # the 退回 note ("" when none)
    errors: list[str]  # the 退回 error list
    load_id: int | None
    on_time: bool  # sent by the due day (REPORT_DUE_DAY of the next month)
    warnings: list[str] = field(default_factory=list)  # the check's 警告 when it was sent
    kinds: tuple[str, ...] = ()  # sheet kinds it holds: 进度, 资金
    sha256: str = ""


class SubmissionRefused(Exception):
    """The file or the step was refused; nothing was stored. `errors`: located Chinese lines
    (`file:sheet:row:column: message`); `findings`: the same as Finding objects."""

    def __init__(self, errors: list[str], findings: list[Finding] | None = None,
                 warnings: list[str] | None = None):  # fmt: skip
        super().__init__("\n".join(errors))
        self.errors = list(errors)
        self.findings = list(findings or [])
        self.warnings = list(warnings or [])


def due_date(year: int, month: int) -> dt.date:
    """The day a month's report is due: REPORT_DUE_DAY of the next month (12月 → next 1月)."""
    return dt.date(year + month // 12, month % 12 + 1, REPORT_DUE_DAY)


def submit(
    db_path: Path, *, unit_kind: str, unit: str, file_name: str, content: bytes, by: str,
    at: dt.datetime | None = None, max_bytes: int = MAX_FILE_BYTES, role: str | None = None,
) -> Submission:  # fmt: skip
    """Check a unit's file and store it as 待审核; raise SubmissionRefused (storing nothing)
    when it has any error. `role` for the audit event defaults to the unit kind."""
    unit_kind, unit, by = _unit_kind(unit_kind), _name(unit, "报送单位"), _name(by, "报送人")
    name = _file_name(file_name)
    if not content:
        _refuse(name, "文件是空的，请检查后重新上传")
    if len(content) > max_bytes:
        size, cap = len(content) / 2**20, max_bytes / 2**20
        _refuse(name, f"文件大小 {size:.1f} MB，超过单个文件上限 {cap:g} MB")
    with staged(name, content) as path:
        parsed = check_file(path, db_path, display_name=name)
    findings = list(parsed.errors) + unit_findings(parsed, unit_kind, unit, db_path)
    month, month_errors = report_month(parsed)
    findings += month_errors
    warnings = [str(w) for w in parsed.warnings]
    if findings:
        raise SubmissionRefused([str(f) for f in findings], findings, warnings)
    kinds = sheet_kinds(parsed)
    now = stamp(at)
    with connect(db_path, write=True) as con:
        q = queries()
        key = {"unit_kind": unit_kind, "unit": unit, "year": month[0], "month": month[1]}
        for waiting_id, waiting_kinds in con.execute(q["waiting_of_unit"], key).fetchall():
            if set(waiting_kinds.split(",")) & set(kinds):
                params = {"id": waiting_id, "by": by, "at": now, "note": REPLACED_NOTE}
                con.execute(q["withdraw"], params)
        cursor = con.execute(q["insert_submission"], {
            **key, "kinds": ",".join(kinds), "file_name": name,
            "sha256": hashlib.sha256(content).hexdigest(), "submitted_by": by,
            "submitted_at": now, "warnings": json.dumps(warnings, ensure_ascii=False),
        })  # fmt: skip
        new_id = cursor.lastrowid
        con.execute(q["insert_file"], {"id": new_id, "content": content})
        write_event(con, at=at, user=by, role=role or unit_kind, unit=unit, action="上传报送",
                    detail=_about(name, unit, *month, new_id))  # fmt: skip
    return _one(db_path, new_id)


def submissions(
    db_path: Path, *, year: int | None = None, month: int | None = None,
    unit: str | None = None, status: str | None = None,
) -> list[Submission]:  # fmt: skip
    """Stored submissions, newest first; each filter left None matches all."""
    return _select(db_path, year=year, month=month, unit=unit, status=status)


def submission(db_path: Path, submission_id: int) -> Submission | None:
    found = _select(db_path, id=int(submission_id))
    return found[0] if found else None


def submission_file(db_path: Path, submission_id: int) -> tuple[str, bytes]:
    """(original file name, bytes) of a stored submission."""
    row = None
    if exists(db_path):
        with connect(db_path) as con:
            row = con.execute(queries()["file_of"], {"id": int(submission_id)}).fetchone()
    if row is None:
        raise SubmissionRefused([_missing(submission_id)])
    return row[0], bytes(row[1])


def submission_plan(db_path: Path, submission_id: int) -> FilePlan:
    """What accepting it would replace in the warehouse (替换核对), read-only: show it before
    接收入库. A 市直单位's file replaces whole region-months (data contract §2)."""
    name, content = submission_file(db_path, submission_id)
    with staged(name, content) as path:
        return plan_file(check_file(path, db_path, display_name=name), db_path)


def accept(
    db_path: Path, submission_id: int, *, by: str, approve: Approve | None = None,
    role: str = OFFICE_ROLE, at: dt.datetime | None = None,
) -> LoadResult:  # fmt: skip
    """接收入库: load a 待审核 file through the warehouse's one writer. Loaded → 已入库 with its
    load_id. Refused by the loader (or not approved) → stays 待审核; the result says why."""
    current = submission(db_path, submission_id)
    problem = _accept_problem(current, submission_id, by)
    if problem:
        name = current.file_name if current else f"报送编号 {submission_id}"
        return LoadResult(name, None, True, errors=[Finding(name, "", None, None, problem)])
    name, content = submission_file(db_path, submission_id)
    with staged(name, content) as path:
        [result] = load_paths([path], db_path, loaded_by=by.strip(), approve=approve)
    if result.refused:
        return result
    with connect(db_path, write=True) as con:
        params = {"id": current.id, "by": by.strip(), "at": stamp(at), "load_id": result.load_id}
        con.execute(queries()["mark_loaded"], params)
        about = _about(name, current.unit, current.year, current.month, current.id)
        write_event(con, at=at, user=by.strip(), role=role, unit=current.unit,
                    action="接收入库", detail=f"{about}，导入编号 {result.load_id}")  # fmt: skip
    return result


def return_submission(
    db_path: Path, submission_id: int, *, by: str, note: str, errors: list[str] | None = None,
    role: str = OFFICE_ROLE, at: dt.datetime | None = None,
) -> Submission:  # fmt: skip
    """退回: a 待审核 submission goes back to its unit with a note (required) and error lines."""
    by = _name(by, "操作人")
    text = (note or "").strip()
    if not text:
        raise SubmissionRefused(["请填写退回说明（告诉报送单位要改什么）"])
    if len(text) > MAX_NOTE:
        raise SubmissionRefused([f"退回说明不能超过 {MAX_NOTE} 个字（现有 {len(text)} 个）"])
    lines = [str(e)[:MAX_NOTE] for e in (errors or [])][:MAX_STORED_ERRORS]
    current = submission(db_path, submission_id)
    if current is None:
        raise SubmissionRefused([_missing(submission_id)])
    with connect(db_path, write=True) as con:
        params = {"id": current.id, "by": by, "at": stamp(at), "note": text,
                  "errors": json.dumps(lines, ensure_ascii=False)}  # fmt: skip
        if con.execute(queries()["mark_returned"], params).rowcount != 1:
            raise SubmissionRefused([_not_waiting(current.id)])  # changed meanwhile: rolled back
        about = _about(current.file_name, current.unit, current.year, current.month, current.id)
        write_event(con, at=at, user=by, role=role, unit=current.unit, action="退回",
                    detail=f"{about}：{text}")  # fmt: skip
    return _one(db_path, current.id)


@contextlib.contextmanager
def staged(file_name: str, content: bytes) -> Iterator[Path]:
    """The bytes as `<private temp folder>/<file_name>` (the loader names a file by its path);
    the folder is removed when the block ends, however it ends."""
    folder = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX))  # mode 0700
    try:
        path = folder / file_name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _select(db_path: Path, **filters) -> list[Submission]:
    if not exists(db_path):
        return []
    params = {"year": None, "month": None, "unit": None, "status": None, "id": None, **filters}
    with connect(db_path) as con:
        rows = con.execute(queries()["submissions"], params).fetchall()
    return [_from_row(row) for row in rows]


def _one(db_path: Path, submission_id: int) -> Submission:
    found = submission(db_path, submission_id)
    assert found is not None
    return found


def _from_row(row) -> Submission:
    (id_, unit_kind, unit, year, month, file_name, status, submitted_by, submitted_at,
     reviewed_by, reviewed_at, note, errors, warnings, load_id, kinds, sha256) = row  # fmt: skip
    sent = parse_stamp(submitted_at)
    return Submission(
        id=id_, unit_kind=unit_kind, unit=unit, year=year, month=month, file_name=file_name,
        status=status, submitted_by=submitted_by, submitted_at=sent, reviewed_by=reviewed_by,
        reviewed_at=parse_stamp(reviewed_at), note=note or "", errors=json.loads(errors),
        load_id=load_id, on_time=sent.date() <= due_date(year, month),
        warnings=json.loads(warnings), kinds=tuple(k for k in kinds.split(",") if k),
        sha256=sha256,
    )  # fmt: skip


def _accept_problem(current: Submission | None, submission_id: int, by: str) -> str | None:
    if current is None:
        return _missing(submission_id)
    if current.status != WAITING:
        return _not_waiting(current.id, current.status)
    if not (by or "").strip():
        return "请填写操作人"
    return None


def _unit_kind(value: str) -> str:
    if value not in UNIT_TYPES:
        raise SubmissionRefused([f"报送单位类型只能是{'或'.join(UNIT_TYPES)}，不能是“{value}”"])
    return value


def _name(value: str, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise SubmissionRefused([f"请填写{what}"])
    if len(text) > MAX_NAME:
        raise SubmissionRefused([f"{what}不能超过 {MAX_NAME} 个字（现有 {len(text)} 个）"])
    return text


def _file_name(value: str) -> str:
    """The bare name of the upload; it must be a .xlsx or .csv a folder can hold."""
    bare = str(value or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not bare or bare.startswith(".") or "\x00" in bare or len(bare.encode()) > 200:
        raise SubmissionRefused([f"文件名无效：“{value}”"])
    if Path(bare).suffix.lower() not in FILE_SUFFIXES:
        _refuse(bare, "只接收 .xlsx 工作簿或 .csv 文件")
    return bare


def _refuse(file_name: str, message: str) -> None:
    finding = Finding(file_name, "", None, None, message)
    raise SubmissionRefused([str(finding)], [finding])


def _about(file_name: str, unit: str, year: int, month: int, submission_id: int) -> str:
    return f"《{file_name}》（{unit} {year}年{month}月，报送编号 {submission_id}）"


def _missing(submission_id: int) -> str:
    return f"没有编号为 {submission_id} 的报送"


def _not_waiting(submission_id: int, status: str | None = None) -> str:
    now = f"状态是“{status}”，" if status else "状态已变，"
    return f"报送编号 {submission_id} 的{now}只有待审核的报送可以接收入库或退回"
