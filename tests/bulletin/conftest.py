"""Fixtures of the bulletin tests: one small real warehouse per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bulletin.bulletin_db import build_warehouse


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("bulletin") / "minsheng.duckdb")
