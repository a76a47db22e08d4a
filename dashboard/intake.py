"""Upload intake for the 数据管理 page: size caps, type by content, staging for the loader.

Uploaded files are screened here, then written under their own names into a private temp folder
and handed to the same loader API as the CLI (`etl.writing.warehouse.check_file` / `load_paths`), so the
single-writer design and the loader's hostile-file guards (etl/reading/guards.py via parse_file) apply.
Problems found here are `Finding`s, printed and exported like the loader's own errors.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from etl.model import Finding

MB = 1024 * 1024
DEFAULT_MAX_FILE_MB = 20
DEFAULT_MAX_BATCH_MB = 100
SUFFIXES = (".xlsx", ".csv")

FileKind = Literal["xlsx", "csv"]

_XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Text files hold tabs and line ends, never other C0 control bytes; NUL marks a binary file.
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 13}


@dataclass(frozen=True)
class IntakeLimits:
    """Size caps in bytes: one file, and all files of one upload together."""

    max_file_bytes: int = DEFAULT_MAX_FILE_MB * MB
    max_batch_bytes: int = DEFAULT_MAX_BATCH_MB * MB

    @property
    def max_file_mb(self) -> int:
        return max(1, self.max_file_bytes // MB)


def read_limits(minsheng_secrets: Mapping[str, Any], environ: Mapping[str, str]) -> IntakeLimits:
    """Caps from `[minsheng] max_file_mb / max_batch_mb` in secrets, else the environment
    (`MINSHENG_MAX_FILE_MB`, `MINSHENG_MAX_BATCH_MB`), else 20 MB / 100 MB."""

    def megabytes(key: str, env: str, default: int) -> int:
        raw = minsheng_secrets.get(key, environ.get(env))
        try:
            value = float(raw) if raw is not None else default
        except (TypeError, ValueError):
            value = default
        return int(value * MB) if value > 0 else default * MB

    return IntakeLimits(
        megabytes("max_file_mb", "MINSHENG_MAX_FILE_MB", DEFAULT_MAX_FILE_MB),
        megabytes("max_batch_mb", "MINSHENG_MAX_BATCH_MB", DEFAULT_MAX_BATCH_MB),
    )


def sniff_kind(data: bytes) -> FileKind | None:
    """What the bytes are, whatever the name says: an xlsx workbook, CSV text, or neither."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return "xlsx" if all(m in names for m in _XLSX_MEMBERS) else None
    if not data.strip() or _CONTROL_BYTES.intersection(data):
        return None
    for encoding in _CSV_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "csv"
    return None


def safe_file_name(name: str) -> str | None:
    """The bare file name of an upload, or None when it cannot be a file name here."""
    bare = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not bare or bare in {".", ".."} or bare.startswith(".") or "\x00" in bare:
        return None
    return bare if len(bare.encode("utf-8")) <= 200 else None


_KIND_NAMES = {"xlsx": "Excel 工作簿（.xlsx）", "csv": "CSV 文本文件"}


@dataclass(frozen=True)
class Upload:
    """One uploaded file that passed intake: its bare name and its bytes."""

    name: str
    data: bytes
    kind: FileKind


def _refusal(name: str, message: str) -> Finding:
    return Finding(file=name, sheet="", row=None, column=None, message=message)


def screen_uploads(
    files: list[tuple[str, bytes]], limits: IntakeLimits
) -> tuple[list[Upload], list[Finding]]:
    """Split uploads into files for the loader and refusals (one Finding per refused file).

    Checks, in order: a usable name, the per-file cap, the batch cap (files past it are refused,
    in upload order), one file per name, a .xlsx/.csv name, and content that is that type.
    """
    accepted: list[Upload] = []
    refused: list[Finding] = []
    batch_bytes = 0
    seen: set[str] = set()
    for raw_name, data in files:
        name = safe_file_name(raw_name)
        if name is None:
            refused.append(_refusal(raw_name or "-", "文件名无效"))
            continue
        size_mb = len(data) / MB
        if len(data) > limits.max_file_bytes:
            cap = limits.max_file_bytes / MB
            refused.append(
                _refusal(name, f"文件大小 {size_mb:.1f} MB，超过单个文件上限 {cap:g} MB")
            )
            continue
        if batch_bytes + len(data) > limits.max_batch_bytes:
            cap = limits.max_batch_bytes / MB
            refused.append(
                _refusal(name, f"本批文件合计超过上限 {cap:g} MB，此文件未接收，请分批上传")
            )
            continue
        if name.casefold() in seen:
            refused.append(_refusal(name, "同名文件在本批中出现多次，只接收第一个"))
            continue
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            refused.append(_refusal(name, "只接收 .xlsx 工作簿或 .csv 文件"))
            continue
        kind = sniff_kind(data)
        expected: FileKind = "xlsx" if suffix == ".xlsx" else "csv"
        if kind != expected:
            actual = "无法识别的内容" if kind is None else _KIND_NAMES[kind]
            refused.append(
                _refusal(name, f"文件内容不是{_KIND_NAMES[expected]}（实际为{actual}），请检查文件")
            )
            continue
        batch_bytes += len(data)
        seen.add(name.casefold())
        accepted.append(Upload(name, data, expected))
    return accepted, refused


def stage_uploads(uploads: list[Upload]) -> tuple[Path, list[Path]]:
    """Write uploads under their own names into a new private temp folder (mode 0700).

    The loader reports file names from the path, so the clerk sees the county's own file name.
    The caller removes the folder with `discard_stage` once the load is done.
    """
    folder = Path(tempfile.mkdtemp(prefix="minsheng-upload-"))
    paths = []
    try:
        for upload in uploads:
            path = folder / upload.name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(upload.data)
            paths.append(path)
    except BaseException:
        # a full disk or a bad name: the caller never gets the folder, so remove it here
        discard_stage(folder)
        raise
    return folder, paths


def discard_stage(folder: Path | None) -> None:
    if folder is not None and folder.name.startswith("minsheng-upload-"):
        shutil.rmtree(folder, ignore_errors=True)
