"""民生工程进度看板: `streamlit run app.py`. Pages live in pages/, shared pieces in dashboard/."""

from dashboard.router import run_app

run_app()
