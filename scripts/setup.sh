#!/usr/bin/env bash
# Prepare the project's virtual environment; safe to run again (a second run takes a second).
#
#   scripts/setup.sh            runtime packages (requirements.txt)
#   scripts/setup.sh dev        also test and lint tools (requirements-dev.txt)
#   scripts/setup.sh dev system also Debian's chromium and a CJK font for the browser tests, and
#                               LibreOffice Writer and poppler for the 通报's PDF page tests
#
# Other scripts source this file and call the functions directly.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
VENV_PYTHON="$VENV/bin/python"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '错误: %s\n' "$*" >&2; exit 1; }

# Prints a Python >= 3.11 to build the venv with: python3.11 first, else python3 if new enough.
find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [[ -x "$VENV_PYTHON" ]] && "$VENV_PYTHON" -c 'import sys' 2>/dev/null; then
        return 0
    fi
    local python
    python="$(find_python)" || die "需要 Python 3.11 或更新版本 (python3.11 或 python3)"
    say "创建虚拟环境 .venv ($("$python" --version))"
    rm -rf "$VENV"
    "$python" -m venv "$VENV" ||
        die "创建 .venv 失败; Debian 上请先安装 python3-venv: apt-get install python3-venv"
}

# Hash of a requirements file together with the files it includes (-r other.txt).
requirements_hash() {
    local file="$1"
    local included
    included="$(sed -n 's/^[[:space:]]*-r[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$REPO_ROOT/$file")"
    (
        cd "$REPO_ROOT"
        cat "$file"
        for inc in $included; do cat "$inc"; done
    ) | sha256sum | cut -d' ' -f1
}

# pip install -r FILE, only when FILE (or what it includes) changed since the last install.
install_requirements() {
    local file="$1"
    local stamp="$VENV/.setup-stamp-$file"
    local wanted
    wanted="$(requirements_hash "$file")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
        return 0
    fi
    say "安装 $file"
    "$VENV_PYTHON" -m pip install --disable-pip-version-check --quiet -r "$REPO_ROOT/$file"
    printf '%s\n' "$wanted" >"$stamp"
}

APT_LOCK_WAIT="${APT_LOCK_WAIT:-600}"  # seconds apt-get waits for another apt/dpkg to finish

# Root runs apt-get itself; anyone else goes through sudo when it exists.
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "需要 root 权限安装系统软件包: $*"
    fi
}

is_deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Debian's chromium drives the browser tests (Playwright cannot download its own browser here);
# the WenQuanYi font (5 MB) makes Chinese text render instead of empty boxes, and fontconfig
# indexes it (a Recommends, which --no-install-recommends would skip). LibreOffice Writer
# (headless, no GUI) renders the 通报 .docx to PDF and poppler-utils reads the pages back
# (tests/bulletin/test_pdf_pages.py, skipped without them).
ensure_browser_packages() {
    local missing=() optional=() package
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    for package in fontconfig fonts-wqy-microhei; do
        is_deb_installed "$package" || missing+=("$package")
    done
    # Optional: without them the PDF page tests skip, so a failed install only says so.
    command -v libreoffice >/dev/null 2>&1 || optional+=(libreoffice-writer-nogui)
    command -v pdftotext >/dev/null 2>&1 || optional+=(poppler-utils)
    if [[ ${#missing[@]} -eq 0 && ${#optional[@]} -eq 0 ]]; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "找不到 apt-get, 请手动安装: ${missing[*]} ${optional[*]}"
    # Unattended upgrades may hold the dpkg/apt lock: wait for it instead of failing at once.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" \
        update -qq
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "安装系统软件包: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" \
            install -y -qq --no-install-recommends "${missing[@]}"
    fi
    if [[ ${#optional[@]} -gt 0 ]]; then
        say "安装系统软件包（可选）: ${optional[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" \
            install -y -qq --no-install-recommends "${optional[@]}" \
            || say "未能安装 ${optional[*]}：通报 PDF 分页的测试将跳过"
    fi
}

setup_main() {
    ensure_venv
    install_requirements requirements.txt
    if [[ "${1:-}" == "dev" ]]; then
        install_requirements requirements-dev.txt
    fi
    if [[ "${2:-}" == "system" ]]; then
        ensure_browser_packages
    fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    setup_main "$@"
fi
