"""Placeholder: the dashboard helper replaces this file."""

import streamlit as st

st.set_page_config(page_title="民生工程进度看板", layout="wide")
st.title("民生工程进度看板")
