"""The app's frame: page list, first start, demo banner, shared filters, then the chosen page.

app.py only calls `run_app()`. Page files are given by absolute path so the same router runs from
app.py and from a test script elsewhere (AppTest treats a `pages/` folder next to its script as
the old file-based navigation, so page tests start the router with another default page).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import admin_page, auth, layout, present, sign_in
from dashboard.filters import sidebar_filters
from dashboard.startup import check_database
from metrics.db import WarehouseUnavailable
from metrics.plain_text import escape_markdown, md
from metrics.reach import ANONYMOUS, Identity

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"

# (file stem, title, icon), in the order of the navigation menu
PAGES = [
    ("overview", "总览", ":material/dashboard:"),
    ("funding", "资金", ":material/payments:"),
    ("progress", "进度", ":material/trending_up:"),
    ("lagging", "滞后", ":material/warning:"),
    ("supervision", "督办", ":material/assignment_late:"),
    ("forecast", "预警", ":material/online_prediction:"),
    ("ranking", "排名", ":material/leaderboard:"),
    ("bulletin", "月度通报", ":material/description:"),
    ("lineage", "数据溯源", ":material/manage_search:"),
    ("annual", "年度总结", ":material/summarize:"),
    ("data_admin", "数据管理", ":material/upload_file:"),
]
# Pages that work without loaded data (a clerk loads the first files into an empty database).
OPEN_WITHOUT_DATA = {"数据管理", "报送"}
# Pages a 县区 or 市直单位 account does not get: the 通报 draft lists every unit's items.
OFFICE_ONLY = {"bulletin", "annual"}  # 年度总结 too: it names every unit's unfinished items


ROUTED = "_routed"  # set while the router runs a page; a page run without it was not routed


def page_list(identity: Identity = ANONYMOUS) -> list[tuple[str, str, str]]:
    """The pages this identity may open; a unit's 数据管理 is its 报送 page. A page left out is
    not served at all: its URL opens the default page."""
    if not identity.reports:
        return list(PAGES)
    return [
        (stem, "报送" if stem == "data_admin" else title, icon)
        for stem, title, icon in PAGES
        if stem not in OFFICE_ONLY
    ]


DEFAULT_URL_SUFFIX = "_home"  # see navigation_pages


def navigation_pages(
    default_page: str = "overview", identity: Identity = ANONYMOUS
) -> list[st.Page]:
    """The menu's pages; the default page opens at the app's root URL.

    Streamlit serves the default page at / only: its own path (/overview) matched nothing and
    showed an English "Page not found". A hidden second entry of the same file answers that
    path; the default page's reserved path gets a suffix, as two pages cannot share a path.
    """
    pages = []
    for stem, title, icon in page_list(identity):
        default = stem == default_page
        path = PAGES_DIR / f"{stem}.py"
        url_path = stem + DEFAULT_URL_SUFFIX if default else stem
        pages.append(st.Page(path, title=title, icon=icon, url_path=url_path, default=default))
        if default:
            pages.append(st.Page(path, title=title, icon=icon, url_path=stem, visibility="hidden"))
    return pages


def ensure_routed() -> None:
    """Call first in every page file: a page run without the router reroutes (see reroute)."""
    if not st.session_state.get(ROUTED):
        reroute()


def reroute() -> None:
    """Rerun through the router when a page file ran on its own.

    Streamlit treats a `pages/` folder as its old file-based navigation until st.navigation has
    been called once in the server process, so the very first visit after a start, by a copied
    link such as /lagging?month=5, runs pages/lagging.py without app.py. Declaring the pages
    switches to st.navigation for good; the rerun then goes through app.py.
    """
    st.navigation(navigation_pages(), position="hidden")
    st.rerun()


def run_app(default_page: str = "overview") -> None:
    # Who the session is, worked out once for the whole run: every data read asks again.
    with auth.once_per_run():
        _run(default_page)


def _run(default_page: str) -> None:
    presenting = present.requested()  # 汇报模式: ?mode=present, no sidebar or menu
    st.set_page_config(
        page_title="民生工程进度看板",
        page_icon=":material/monitoring:",
        layout="wide",
        initial_sidebar_state="collapsed" if presenting else "auto",
    )
    config = auth.current_config()
    identity = auth.current_identity(config)
    if identity.reach(config.visitor_reach).closed:
        st.navigation(navigation_pages(default_page), position="hidden")
        sign_in_gate(config, identity)
        return
    page = st.navigation(
        navigation_pages(default_page, identity), position="hidden" if presenting else "sidebar"
    )
    state = check_database()
    if presenting and not state.problem:
        try:
            present.run_present(is_demo=state.is_demo)
        except WarehouseUnavailable as exc:
            layout.empty_state(str(exc))
        return
    if state.problem and page.title in OPEN_WITHOUT_DATA:
        layout.page_styles()  # the uploader's Chinese label (dashboard/pages.css)
        st.session_state[ROUTED] = True
        try:
            page.run()
        finally:
            st.session_state.pop(ROUTED, None)
        return
    if state.problem:
        st.title("民生工程进度看板")
        layout.empty_state(state.problem)
        return
    layout.page_styles()
    if state.is_demo:
        layout.demo_banner()
    try:
        filters, notices = sidebar_filters()
        for notice in notices:  # once, where it stays readable (a toast as well said it twice)
            st.info(escape_markdown(notice), icon=":material/link_off:")
        st.session_state["_filters"] = filters
        present.sidebar_button()
        identity_box(identity, sign_out=page.title not in OPEN_WITHOUT_DATA)
        st.session_state[ROUTED] = True
        page.run()
    except WarehouseUnavailable as exc:
        # The file went away or broke between two runs (e.g. replaced by hand): say so plainly.
        layout.empty_state(str(exc))
    finally:
        st.session_state.pop(ROUTED, None)


def sign_in_gate(config: auth.AuthConfig, identity: Identity) -> None:
    """A deployment that shows nothing to visitors: the title and the sign-in form only."""
    st.title("民生工程进度看板")
    admin_page.show_flash()
    sign_in.access_panel(config, identity, prefix="gate")


def identity_box(identity: Identity, *, sign_out: bool = True) -> None:
    """Who is looking, at the foot of the sidebar: the reach of every figure on the page.
    `sign_out`: False on the sign-in page, which has its own button."""
    side = st.sidebar
    side.caption(md("当前身份：{}", identity.label))
    if identity.reports:
        side.caption(md("数据范围：仅{}", identity.unit))
    if sign_out and identity.role != "访客":
        side.button("退出登录", key="side_sign_out", on_click=auth.sign_out)
