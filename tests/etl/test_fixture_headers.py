"""The header rows the tests write (tests/etl/fixtures.py, also used by tests/dashboard) are the
contract's (data contract §1) and the loader's column list (etl.reading.headers.COLUMNS) agrees."""

import pytest

from etl.model import SheetKind
from etl.reading.headers import COLUMNS
from tests.etl.fixtures import FUNDING_HEADER, PROGRESS_HEADER, SCHEDULE_HEADER, SCORES_HEADER


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        (SheetKind.PROGRESS, PROGRESS_HEADER),
        (SheetKind.FUNDING, FUNDING_HEADER),
        (SheetKind.SCORES, SCORES_HEADER),
        (SheetKind.SCHEDULE, SCHEDULE_HEADER),
    ],
)
def test_fixture_headers_are_the_loaders_columns(kind, header):
    assert [c.header for c in COLUMNS[kind]] == list(header)
