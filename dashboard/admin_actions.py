"""The 数据管理 page's actions, without any Streamlit: check an upload batch, load the files that
passed, undo a load. All go through the loader's own API (etl.writing.warehouse), so the CLI and the page
share one validation and one single-writer path.

Callers must hold the 民生办 role: the page's handlers call `dashboard.auth.require_admin()` and
pass the user it returns; nothing here can be reached from a widget without that call.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.intake import IntakeLimits, Upload, discard_stage, screen_uploads, stage_uploads
from etl.model import Finding, SheetKind
from etl.writing.replacement_plan import FilePlan, plan_file
from etl.writing.warehouse import LoadResult, check_file, load_paths, undo_load
from metrics.admin import findings_frame, load_history

log = logging.getLogger(__name__)

SHEET_ORDER = (SheetKind.PROGRESS, SheetKind.FUNDING, SheetKind.SCORES, SheetKind.SCHEDULE)


@dataclass
class CheckedFile:
    """One uploaded file after the check step (校验): what would load, and what is wrong."""

    name: str
    upload: Upload | None  # None when intake refused it (size, type): nothing for the loader
    rows: dict[str, int] = field(default_factory=dict)  # sheet kind (进度…) → rows
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    plan: FilePlan | None = None  # what it would replace, as the database was at the check

    @property
    def passed(self) -> bool:
        return self.upload is not None and not self.errors

    @property
    def needs_confirmation(self) -> bool:
        return self.passed and self.plan is not None and self.plan.needs_confirmation


@dataclass
class CheckedBatch:
    files: list[CheckedFile]
    # set by the page's “我已核对，确认替换” tick; load_passed checks it again for each file
    confirmed: bool = False
    token: str = field(default_factory=lambda: uuid.uuid4().hex)  # this check, for widget keys

    @property
    def passed(self) -> list[CheckedFile]:
        return [f for f in self.files if f.passed]

    @property
    def needs_confirmation(self) -> bool:
        """Some file that passed would make rows vanish, brings a hidden sheet's rows or a
        region the database never had: the 导入 button waits for the tick."""
        return any(f.needs_confirmation for f in self.files)

    @property
    def refused(self) -> list[CheckedFile]:
        return [f for f in self.files if not f.passed]

    def return_list(self) -> pd.DataFrame:
        """退回意见: every error of the refused files, one a row, to send back to the counties."""
        return findings_frame([e for f in self.refused for e in f.errors])


def _unexpected(name: str, what: str, exc: Exception) -> Finding:
    log.exception("数据管理: %s %s 时出错", name, what)
    return Finding(name, "", None, None, f"{what}时出错（{type(exc).__name__}），请联系管理员")


def check_uploads(
    files: list[tuple[str, bytes]], db_path: Path, limits: IntakeLimits
) -> CheckedBatch:
    """Intake (size, type by content), then the loader's full validation; writes no data."""
    uploads, intake_refusals = screen_uploads(files, limits)
    checked = [CheckedFile(f.file, None, errors=[f]) for f in intake_refusals]
    if not uploads:
        return CheckedBatch(checked)
    folder, paths = stage_uploads(uploads)
    try:
        for upload, path in zip(uploads, paths, strict=True):
            checked.append(_check_one(upload, path, db_path))
    finally:
        discard_stage(folder)
    order = {name: i for i, (name, _) in enumerate(files)}
    checked.sort(key=lambda f: order.get(f.name, len(order)))
    return CheckedBatch(checked)


def _check_one(upload: Upload, path: Path, db_path: Path) -> CheckedFile:
    try:
        parsed = check_file(path, db_path)
    except Exception as exc:  # the loader promises no exceptions; a bug must not blank the page
        return CheckedFile(upload.name, upload, errors=[_unexpected(upload.name, "检查", exc)])
    counts = parsed.rows_per_kind()
    checked = CheckedFile(
        upload.name,
        upload,
        rows={kind.value: int(counts.get(kind, 0)) for kind in SHEET_ORDER},
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        notices=list(parsed.notices),
    )
    if not parsed.refused:
        try:
            checked.plan = plan_file(parsed, db_path)
        except Exception as exc:  # the plan decides what may load: without it, nothing does
            checked.errors.append(_unexpected(upload.name, "核对替换情况", exc))
    return checked


def load_passed(batch: CheckedBatch, db_path: Path, *, user: str) -> list[LoadResult]:
    """Load the files of `batch` that passed the check, as `user`; the loader's LoadResults.

    The files are staged again from the checked bytes (so what loads is what was checked) and
    loaded by `etl.writing.warehouse.load_paths`, which validates once more inside its transaction and
    works out each file's replacement plan again under the writer's lock: a file whose plan
    needs a confirmation loads only when the batch was confirmed and the plan flags nothing
    the check step did not show (the database may have changed in between).
    """
    uploads = [f.upload for f in batch.passed if f.upload is not None]
    if not uploads:
        return []
    folder, paths = stage_uploads(uploads)
    try:
        results = load_paths(
            paths, db_path, loaded_by=user, show_progress=False, approve=_approval(batch)
        )
    finally:
        discard_stage(folder)
    for result in results:
        log.info("数据管理: %s 导入 %s", user, result.summary())
    return results


CONFIRM_LABEL = "我已核对，确认替换"


def _approval(batch: CheckedBatch):
    """approve(plan) for load_paths: the server's own check of the page's confirmation."""
    shown = {f.name: f.plan.flags() for f in batch.files if f.plan is not None}

    def approve(plan: FilePlan) -> str | None:
        if not plan.needs_confirmation:
            return None
        confirmed = shown.get(plan.file_name, frozenset()) if batch.confirmed else frozenset()
        unconfirmed = plan.flags() - confirmed
        if not unconfirmed:
            return None
        lines = "；".join(plan.flagged_lines(unconfirmed))
        if batch.confirmed:
            return f"检查之后数据库有变化，以下情况未经确认：{lines}。未导入，请重新检查"
        return f"需要确认：{lines}。未导入，请在检查结果中勾选“{CONFIRM_LABEL}”后再导入"

    return approve


def undoable_loads(db_path: Path) -> pd.DataFrame:
    """导入记录 rows that 撤销 may be offered for."""
    history = load_history(db_path)
    if history.empty:
        return history
    return history[history["can_undo"].astype(bool)]


def undo(db_path: Path, load_id: int, *, user: str) -> LoadResult | None:
    """Undo load `load_id` as `user` (etl.writing.warehouse.undo_load); its LoadResult, or None when
    the load is unknown or no longer undoable (undone, refused, an undo itself)."""
    candidates = undoable_loads(db_path)
    if candidates.empty or int(load_id) not in set(candidates["load_id"].astype(int)):
        return None
    result = undo_load(db_path, int(load_id), by=user)
    log.info("数据管理: %s 撤销导入 #%s: %s", user, load_id, result.summary())
    return result
