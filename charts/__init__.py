"""Charts as pictures (PNG), for the dashboard's 下载图片 and the bulletin's --chart alike.

No streamlit import here: the app, the CLI and tests all use this package.
"""
