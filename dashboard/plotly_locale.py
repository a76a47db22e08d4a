"""Plotly's toolbar (modebar) and its notices in Chinese.

Streamlit's plotly bundle registers no locale but English, so `locale: "zh-CN"` alone would
change nothing. Plotly also reads a chart's own `locales` from its config, so the dictionary
travels with every chart. The words follow plotly.js's zh-CN locale; only the strings this
app's charts can show are listed (a missing one falls back to English, which the browser test
tests/browser/test_no_english.py would catch).
"""

from __future__ import annotations

LOCALE = "zh-CN"

DICTIONARY = {
    "Autoscale": "自动缩放",
    "Box Select": "矩形框选",
    "Click to enter Colorscale title": "点击输入色阶标题",
    "Click to enter Plot subtitle": "点击输入图表副标题",
    "Click to enter Plot title": "点击输入图表标题",
    "Click to enter X axis title": "点击输入X轴标题",
    "Click to enter Y axis title": "点击输入Y轴标题",
    "Compare data on hover": "悬停时比较数据",
    "Double-click on legend to isolate one trace": "双击图例只看这一条",
    "Double-click to zoom back out": "双击还原缩放",
    "Download plot as a PNG": "下载为 PNG 图片",
    "Download plot as JSON": "下载为 JSON",
    "Download plot": "下载图表",
    "Draw circle": "画圆",
    "Draw closed freeform": "画封闭图形",
    "Draw line": "画线",
    "Draw open freeform": "画开放图形",
    "Draw rectangle": "画矩形",
    "Erase active shape": "删除所选图形",
    "Image download succeeded": "图片已下载",
    "JSON download succeeded": "JSON 已下载",
    "Lasso Select": "套索选择",
    "Orbital rotation": "轨道旋转",
    "Pan": "平移",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Reset": "重置",
    "Reset axes": "还原坐标轴",
    "Reset camera to default": "视角恢复默认",
    "Reset camera to last save": "视角恢复上次保存",
    "Reset view": "还原视图",
    "Reset views": "还原视图",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Snapshot succeeded": "快照已生成",
    "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
    "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 下载失败！",
    "Taking snapshot - this may take a few seconds": "正在生成快照，请稍候",
    "Toggle Spike Lines": "显示/隐藏参考线",
    "Toggle show closest data on hover": "显示/隐藏悬停时最近的数据",
    "Turntable rotation": "转台旋转",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
}

# Dates on a time axis as Chinese readers write them (plotly.js's zh-CN format).
FORMAT = {
    "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    "months": [f"{m}月" for m in range(1, 13)],
    "shortMonths": [f"{m}月" for m in range(1, 13)],
    "date": "%Y-%m-%d",
    "year": "%Y年",
    "month": "%Y年%-m月",
    "dayMonth": "%-m月%-d日",
    "dayMonthYear": "%Y年%-m月%-d日",
}

# Merged into every chart's config (dashboard.layout.chart).
CONFIG = {"locale": LOCALE, "locales": {LOCALE: {"dictionary": DICTIONARY, "format": FORMAT}}}
