#!/usr/bin/env bash
# Install what the dashboard needs (first run only) and start it on the demo data.
# Streamlit reads STREAMLIT_SERVER_ADDRESS / STREAMLIT_SERVER_PORT from the environment;
# MINSHENG_DB names another database than data/minsheng.duckdb.
set -euo pipefail

# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

setup_main
cd "$REPO_ROOT"

db="${MINSHENG_DB:-data/minsheng.duckdb}"
if [[ ! -e "$db" ]]; then
    say "数据库 $db 不存在, 用 data/demo/ 的演示数据建立"
    MINSHENG_DB="$db" "$VENV_PYTHON" -m etl demo
fi

say "启动看板: python -m dashboard.serve (即 streamlit run app.py, 空闲时换新进程归还内存)"
exec "$VENV_PYTHON" -m dashboard.serve "$@"
