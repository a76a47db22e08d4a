"""The load_log row and its findings (load_finding) of every load attempt, refused or not."""

from __future__ import annotations

import datetime as dt

from etl.model import Finding
from etl.writing.db_write import named_queries

# Findings stored per load attempt (load_log, load_finding): a forged 18 MB file had 298,886,
# which grew the database by 23 MB (and every later load copies it). The count is kept, and the
# clerk gets the whole list when the file is checked or loaded; only the stored copy is capped.
MAX_STORED_FINDINGS = 1_000


def next_load_id(con) -> int:
    return con.execute(named_queries("load.sql")["next_load_id"]).fetchone()[0]


def insert_log(
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
