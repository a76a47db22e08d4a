#!/usr/bin/env bash
# Install what the tests need (first run only), then lint and run the whole test suite.
# Every check runs even when an earlier one fails; the exit status is non-zero if any failed.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not browser" -x
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

setup_main dev system
cd "$REPO_ROOT"

failed=()
say "ruff check ."
"$VENV/bin/ruff" check . || failed+=("ruff check")
say "ruff format --check ."
"$VENV/bin/ruff" format --check . || failed+=("ruff format")
say "pytest"
# Exit status 5 (no tests collected) counts as a failure like any other non-zero status.
"$VENV/bin/python" -m pytest "$@" || failed+=("pytest")

if [[ ${#failed[@]} -gt 0 ]]; then
    printf '失败: %s\n' "${failed[*]}" >&2
    exit 1
fi
say "全部通过"
