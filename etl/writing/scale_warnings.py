"""Warehouse-relative scale warnings (与已有数据比的数量级警告): see etl.reading.magnitude."""

from __future__ import annotations

import duckdb

from etl.model import Finding, ParsedFile
from etl.reading.incoming import parsed_table
from etl.reading.magnitude import HUGE_MONEY, HUGE_TARGET, SCALE_FACTOR, readable
from etl.writing.db_write import named_queries


def scale_warnings(parsed: ParsedFile, con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Targets and budgets more than SCALE_FACTOR times the largest the warehouse holds for the
    same indicator or project (those above the absolute bounds are told at parse time)."""
    queries = named_queries("scale_warnings.sql")
    findings = []
    checks = (
        ("progress", "huge_targets", HUGE_TARGET, "年度目标", "该指标", ""),
        ("funding", "huge_budgets", HUGE_MONEY, "计划投入", "该项目", "万元"),
    )
    for kind, query, bound, column, whose, unit in checks:
        if not parsed_table(parsed, kind).num_rows:
            continue
        for sheet, row, value, largest in con.execute(
            queries[query], [SCALE_FACTOR, bound]
        ).fetchall():
            message = (
                f"{column}（{readable(value)}{unit}）是数据库中{whose}已有最大值"
                f"（{readable(largest)}{unit}）的{SCALE_FACTOR}倍以上，请核实数值和单位"
            )
            findings.append(Finding(parsed.name, sheet, row, column, message, True))
    return findings
