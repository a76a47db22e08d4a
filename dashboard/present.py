"""汇报模式 (meeting mode): the dashboard's figures one topic per screen for the 调度会 projector.

Opened by the sidebar button 汇报模式 or by a link `?mode=present&screen=N` that keeps the filter
parameters (year, month, region, dept, cat). The URL is the state: the screen number and the
filters are read from it on every run and written back, so a copied link opens the same screen.
No sidebar or Streamlit chrome (dashboard/present.css, injected only in this mode); 上一页/下一页
buttons answer the ← → keys and a remote clicker's PageUp/PageDown (Streamlit's own button
shortcuts); an optional 自动翻页 advances on a timer (a fragment that reruns the app).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data, layout
from dashboard.filters import (
    SEEDED,
    describe,
    filters_of,
    period_list,
    url_choices,
    url_params,
)
from dashboard.present_screens import SCREENS
from metrics.filters import Filters
from metrics.plain_text import escape_markdown, md

MODE_KEY, MODE_PRESENT, SCREEN_KEY = "mode", "present", "screen"
CSS_PATH = Path(__file__).resolve().parent / "present.css"
AUTO_SECONDS = (10, 15, 20, 30, 45, 60)
_TICK_ARMED = "_present_tick_armed"  # the auto-advance fragment's first call is the app's own run


def requested() -> bool:
    """Whether the URL asks for meeting mode."""
    return st.query_params.get(MODE_KEY) == MODE_PRESENT


def parse_screen(raw: str | None, n_screens: int = len(SCREENS)) -> tuple[int, str | None]:
    """The 1-based screen number of a URL value, and a notice when it was unusable."""
    if raw is None:
        return 1, None
    try:
        screen = int(str(raw).strip())
    except ValueError:
        screen = 0
    if 1 <= screen <= n_screens:
        return screen, None
    return 1, f"链接中的页码“{raw}”无效（共{n_screens}页），已从第1页开始"


def present_params(f: Filters, screen: int) -> dict[str, str]:
    return {**url_params(f), MODE_KEY: MODE_PRESENT, SCREEN_KEY: str(screen)}


def url_filters() -> tuple[Filters, list[str]]:
    """The view the URL names, checked like the sidebar checks it (bad values → defaults)."""
    values, notices = url_choices(period_list(data.fetch("available_periods")))
    return filters_of(values), notices


# ---------------------------------------------------------------- callbacks (run before a rerun)


def enter() -> None:
    """Sidebar button: the same view in meeting mode, from the first screen."""
    st.query_params[MODE_KEY] = MODE_PRESENT
    st.query_params[SCREEN_KEY] = "1"


def _go(screen: int) -> None:
    st.query_params[SCREEN_KEY] = str(screen)


def _leave(params: dict[str, str]) -> None:
    st.query_params.from_dict(params)


def sidebar_button() -> None:
    """The way in, under the sidebar filters."""
    st.sidebar.button(
        "汇报模式",
        key="present_enter",
        on_click=enter,
        icon=":material/slideshow:",
        help="全屏逐页展示总体进展、资金、滞后项目、县区排名、部门排名（← → 键翻页）",
        width="stretch",
    )


# ---------------------------------------------------------------- drawing


def inject_css() -> None:
    st.html(layout.style_tag(CSS_PATH))


def _controls(f: Filters, screen: int) -> None:
    n = len(SCREENS)
    row = st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
    row.button(
        "上一页",
        key="present_prev",
        on_click=_go,
        args=(screen - 1,),
        disabled=screen <= 1,
        shortcut="Left",
        icon=":material/chevron_left:",
    )
    row.html(f'<span class="present-counter">{screen} / {n}</span>', width="content")
    row.button(
        "下一页",
        key="present_next",
        on_click=_go,
        args=(screen + 1,),
        disabled=screen >= n,
        shortcut="Right",
        icon=":material/chevron_right:",
        icon_position="right",
        type="primary",
    )
    # A presenter's remote clicker sends PageDown/PageUp; a button has one shortcut, so these
    # two twins answer those keys and stay invisible (present.css).
    with st.container(key="present_clicker"):
        st.button("下一页", key="present_next_clicker", on_click=_go, args=(screen + 1,),
                  disabled=screen >= n, shortcut="PageDown")  # fmt: skip
        st.button("上一页", key="present_prev_clicker", on_click=_go, args=(screen - 1,),
                  disabled=screen <= 1, shortcut="PageUp")  # fmt: skip
    row = st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
    auto = row.toggle("自动翻页", key="present_auto")
    if auto:
        row.selectbox(
            "每页秒数",
            AUTO_SECONDS,
            index=AUTO_SECONDS.index(20),
            key="present_seconds",
            format_func=lambda s: f"每页{s}秒",
            label_visibility="collapsed",
            width=130,
            placeholder="请选择",
        )
    row.button(
        "退出汇报模式",
        key="present_exit",
        on_click=_leave,
        args=(url_params(f),),
        icon=":material/close:",
        type="tertiary",
    )


def _auto_advance(screen: int) -> None:
    """Go to the next screen (after the last: the first) every N seconds while 自动翻页 is on."""
    seconds = int(st.session_state.get("present_seconds", 20))
    st.session_state[_TICK_ARMED] = False

    def tick() -> None:
        if st.session_state.get(_TICK_ARMED):
            _go(screen % len(SCREENS) + 1)
            st.rerun(scope="app")
        st.session_state[_TICK_ARMED] = True

    st.fragment(tick, run_every=seconds)()


def run_present(is_demo: bool = False) -> None:
    """Draw meeting mode for the view and screen the URL names."""
    # Back in the normal view the sidebar filters re-read the URL (their widgets were not drawn
    # here, so Streamlit dropped their state).
    st.session_state.pop(SEEDED, None)
    inject_css()
    f, notices = url_filters()
    screen, notice = parse_screen(st.query_params.get(SCREEN_KEY))
    if notice:
        notices.append(notice)
    for text in notices:
        st.toast(escape_markdown(text), icon=":material/link_off:")
    wanted = present_params(f, screen)
    if {k: st.query_params[k] for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)

    current = SCREENS[screen - 1]
    with st.container(key="present_header"):
        left, right = st.columns([3, 2], vertical_alignment="center")
        with left:
            st.title(escape_markdown(current.title), anchor=False)
            tag = " · 示例数据" if is_demo else ""
            st.caption(md("截至{}年{}月底累计 · {}{}", f.year, f.month, describe(f), tag))
        with right:
            _controls(f, screen)
    with st.container(key="present_screen"):
        current.draw(f)
    if st.session_state.get("present_auto"):
        _auto_advance(screen)
