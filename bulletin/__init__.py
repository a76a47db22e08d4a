"""月度通报: the monthly bulletin (.docx and Markdown) and charts as PNG, built from the metrics layer.

No streamlit import here: the app, the CLI (`python -m bulletin`) and tests all use this package.
"""

from bulletin.content import NoDataForMonth, build_content
from bulletin.model import BulletinContent
from bulletin.render import RenderedBulletin, render_bulletin

__all__ = [
    "BulletinContent",
    "NoDataForMonth",
    "RenderedBulletin",
    "build_content",
    "render_bulletin",
]
