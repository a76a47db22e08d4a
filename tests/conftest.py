"""Repo-wide test fixtures. Keep this file tiny: each test folder has its own conftest."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's top folder (where app.py and the README live)."""
    return REPO_ROOT
