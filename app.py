"""民生工程进度看板: `streamlit run app.py`. Pages live in pages/, shared pieces in dashboard/."""

from dashboard import recycle, upload_gate

# First, before the heavy imports of the first run: only 民生办 sessions may upload (issue 22).
upload_gate.install()
recycle.start()  # under `python -m dashboard.serve` only: a fresh process after idle time

from dashboard.router import run_app  # noqa: E402

run_app()
