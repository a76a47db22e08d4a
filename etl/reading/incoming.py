"""A parsed file's rows as Arrow tables: what the warehouse reads as `incoming_<kind>`.

The reader builds them straight from its checked column lists (pa.array takes a list of 8,000
cells at C speed), so loading a file never goes through pandas; DuckDB scans Arrow without
touching Python objects. Frames set by hand (tests, tools) are converted here too.
"""

from __future__ import annotations

import functools

import pandas as pd
import pyarrow as pa

from etl.model import INTEGER_FIELDS, KIND_COLUMNS, NUMBER_FIELDS, SOURCE_COLUMNS, ParsedFile


def arrow_type(column: str) -> pa.DataType:
    if column in INTEGER_FIELDS:
        return pa.int64()
    if column in NUMBER_FIELDS:
        return pa.float64()
    return pa.string()


def table_from_lists(kind: str, data: dict[str, list]) -> pa.Table:
    """Columns of one kind (canonical + source columns, all the same length) → a typed table."""
    names = [*KIND_COLUMNS[kind], *SOURCE_COLUMNS]
    return pa.table({name: pa.array(data[name], type=arrow_type(name)) for name in names})


def table_from_arrays(kind: str, arrays: dict[str, pa.Array], rows: int) -> pa.Table:
    """Columns of one kind already as Arrow arrays (etl.reading.fast) → the same typed table as
    table_from_lists; a column missing from `arrays` is all empty."""
    names = [*KIND_COLUMNS[kind], *SOURCE_COLUMNS]
    columns = [arrays.get(name, pa.nulls(rows, arrow_type(name))) for name in names]
    return pa.table(columns, schema=pa.schema([(name, arrow_type(name)) for name in names]))


@functools.cache
def empty_table(kind: str) -> pa.Table:
    """The typed table of a kind the file has no rows of (most files lack two or three)."""
    return table_from_lists(kind, {name: [] for name in [*KIND_COLUMNS[kind], *SOURCE_COLUMNS]})


def table_from_frame(kind: str, frame: pd.DataFrame) -> pa.Table:
    """A frame set by hand (object columns of Python values) → the same typed table."""
    if not len(frame):
        return empty_table(kind)
    data = {}
    for name in [*KIND_COLUMNS[kind], *SOURCE_COLUMNS]:
        values = frame[name].astype(object).where(frame[name].notna(), None).tolist()
        if name in INTEGER_FIELDS:
            values = [None if v is None else int(v) for v in values]
        elif name in NUMBER_FIELDS:
            values = [None if v is None else float(v) for v in values]
        data[name] = values
    return table_from_lists(kind, data)


def parsed_table(parsed: ParsedFile, kind: str) -> pa.Table:
    """A parsed file's rows of one kind: the reader's own table, or one made from a frame."""
    table = parsed.tables.get(kind)
    if table is not None:
        return table
    if not parsed.row_count(kind):  # no rows at all: not even a frame to make
        return empty_table(kind)
    return table_from_frame(kind, getattr(parsed, kind))
