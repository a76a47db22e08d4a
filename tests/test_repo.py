"""The repository keeps its promises: the README's commands and settings exist, deps are pinned."""

import os
import re
import tomllib
from pathlib import Path

import pytest
from streamlit import config as streamlit_config

REPO_ROOT = Path(__file__).resolve().parents[1]
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def readme_section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no section '## {title}'"
    return match.group(1)


def quick_start_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", readme_section("快速开始"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def makefile_targets() -> set[str]:
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def streamlit_option_names() -> set[str]:
    streamlit_config.get_config_options()
    return set(streamlit_config._config_options_template)


def test_quick_start_has_exactly_two_make_commands():
    assert quick_start_commands() == ["make run", "make test"]


@pytest.mark.parametrize("command", ["make run", "make test"])
def test_quick_start_command_is_a_makefile_target(command):
    assert command.removeprefix("make ") in makefile_targets()


def test_ci_runs_the_readme_test_command():
    ci_script = REPO_ROOT / ".ci" / "run"
    assert os.access(ci_script, os.X_OK)
    commands = [
        line.strip()
        for line in ci_script.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "make test" in commands


@pytest.mark.parametrize("script", ["setup.sh", "run.sh", "test.sh"])
def test_scripts_are_strict_bash(script):
    text = (REPO_ROOT / "scripts" / script).read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text


def test_every_streamlit_config_key_exists():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    keys = {f"{section}.{key}" for section, table in config.items() for key in table}
    assert keys - streamlit_option_names() == set()


@pytest.mark.parametrize("variable", sorted(set(re.findall(r"STREAMLIT_[A-Z_]+", README))))
def test_documented_streamlit_variable_is_a_streamlit_option(variable):
    # Streamlit maps STREAMLIT_SERVER_PORT to server.port, and so on.
    section, _, key = variable.removeprefix("STREAMLIT_").lower().partition("_")
    camel_key = re.sub(r"_(\w)", lambda m: m.group(1).upper(), key)
    assert f"{section}.{camel_key}" in streamlit_option_names()


@pytest.mark.parametrize("variable", sorted(set(re.findall(r"MINSHENG_[A-Z_]+", README))))
def test_documented_project_variable_is_read_by_the_code(variable):
    sources = [
        path
        for folder in ("etl", "metrics", "dashboard", "pages", "warehouse")
        for path in (REPO_ROOT / folder).rglob("*.py")
    ] + [REPO_ROOT / "app.py"]
    assert any(variable in path.read_text(encoding="utf-8") for path in sources)


@pytest.mark.parametrize("requirements", ["requirements.txt", "requirements-dev.txt"])
def test_requirements_are_pinned(requirements):
    lines = (REPO_ROOT / requirements).read_text(encoding="utf-8").splitlines()
    entries = [line.split("#")[0].strip() for line in lines]
    unpinned = [e for e in entries if e and not e.startswith("-r ") and "==" not in e]
    assert unpinned == []


def readme_sheet_columns() -> dict[str, tuple[set[str], set[str]]]:
    """{sheet kind: (required headers, optional headers)} from the README's 数据格式 table."""

    def headers(cell: str) -> set[str]:
        cell = re.sub(r"（.*?）", "", cell).replace(
            "1月 … 12月", ", ".join(f"{m}月" for m in range(1, 13))
        )
        return {name.strip() for name in cell.split(",") if name.strip()}

    rows = re.findall(r"^\| `.+?` \| (\S+) \| (.*?) \|(.*?)\|$", readme_section("数据格式"), re.M)
    return {kind: (headers(required), headers(optional)) for kind, required, optional in rows}


def test_readme_lists_every_sheet_kind():
    from etl.model import SheetKind

    assert sorted(readme_sheet_columns()) == sorted(kind.value for kind in SheetKind)


@pytest.mark.parametrize("kind", ["进度", "资金", "考评", "序时计划"])
def test_readme_sheet_columns_are_the_loaders(kind):
    from etl.model import SheetKind
    from etl.reading.headers import COLUMNS

    columns = COLUMNS[SheetKind(kind)]
    required = {c.header for c in columns if c.required}
    optional = {c.header for c in columns if not c.required}
    assert readme_sheet_columns()[kind] == (required, optional)
