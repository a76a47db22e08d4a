"""What a load or an undo did (LoadResult), and the loader name kept for the demo's loads."""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.model import Finding
from etl.reading.normalise import fold
from etl.writing.replacement_plan import FilePlan
from warehouse.model import DEMO_LOADED_BY

KIND_LABELS = {"progress": "进度", "funding": "资金", "scores": "考评", "schedule": "序时计划"}
UNCHANGED_NOTICE = "内容与已导入的相同，未改动"
# The demo's loads are recognised by this loaded_by (etl.demo.is_demo_database), so no one else
# may load or undo under it: only build_demo_database passes `_demo=True`.
RESERVED_LOADED_BY = DEMO_LOADED_BY
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


def is_reserved_name(loaded_by: object) -> bool:
    """Whether a loader/user name is the demo's (also as `Demo`, ` demo `, `ｄｅｍｏ`)."""
    if not isinstance(loaded_by, str):
        return False
    return fold(loaded_by).casefold() == RESERVED_LOADED_BY
